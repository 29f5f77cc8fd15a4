from datetime import UTC

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django_countries import countries as iso_countries
from django_countries.django_filters import CountryFilter
from drf_spectacular.utils import extend_schema_field

from core.filters import AnyIdFilter, AnyRowFilter
from core.sorting import Sorting
from leads.countries import lead_countries
from leads.models import Channel, Lead, LeadStatus, Stage, search_key


@extend_schema_field({"type": "string", "enum": [code for code, _name in iso_countries]})
class LeadCountryFilter(CountryFilter):
    """A country by its ISO 3166 alpha-2 code, every one of which the schema lists: a code no
    lead is in narrows to nothing, anything else is refused."""


class LeadFilter(django_filters.FilterSet):
    """Lead list filters, shared by the lead page and the API."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Stage.choices, empty_label=_("All stages")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=LeadStatus.choices, empty_label=_("All statuses")
    )
    channel = AnyRowFilter(
        label=_("Channel"),
        queryset=Channel.objects.all(),
        to_field_name="slug",
        empty_label=_("All channels"),
    )
    country = LeadCountryFilter(
        label=_("Country"), choices=lead_countries, empty_label=_("All countries")
    )
    owner = AnyIdFilter(
        label=_("Owner"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        empty_label=_("Any owner"),
    )
    updated_since = django_filters.IsoDateTimeFilter(label=_("Updated since"), method="since")

    class Meta:
        model = Lead
        fields = ["q", "stage", "status", "channel", "country", "owner", "updated_since"]

    def since(self, queryset, name, value):
        """Compared in UTC: PostgreSQL refuses offsets past ±15:59, which ISO 8601 allows; a
        moment outside the calendar once in UTC is before or after every lead."""
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            return queryset if value.year == 1 else queryset.none()
        return queryset.filter(updated_at__gte=value)

    def search(self, queryset, name, value):
        """Every word must appear in the name, email, organization or title, in any script."""
        for word in search_key(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset


# The lead list's columns a person may sort by (core.sorting); newest first by default.
LEAD_SORTING = Sorting(
    keys={
        "name": ("first_name", "last_name", "email"),
        "organization": ("organization",),
        "title": ("title",),
        "channel": ("channel__name",),
        "stage": ("stage",),
        "status": ("status",),
        "score": ("score",),
        "owner": ("owner__first_name", "owner__last_name", "owner__username"),
        "created": ("created_at",),
    },
    default="-created",
)
# The API's `ordering`: the lead's own columns (a cursor page reads its position off the row).
LEAD_API_SORTING = LEAD_SORTING.only("organization", "stage", "status", "score", "created")
