import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import AnyRowFilter
from handoff.models import Handoff, Opportunity, OpportunityStage, ReasonKind, ReturnReason
from leads.models import Channel, LeadStatus, search_key


def search_leads(queryset, name, value):
    """Every word must appear in the lead's name, email, organization or title, in any script."""
    for word in search_key(value).split():
        queryset = queryset.filter(lead__search_text__contains=word)
    return queryset


class QueueFilter(django_filters.FilterSet):
    """Queue filters, shared by the queue page and the queue API."""

    q = django_filters.CharFilter(label=_("Search"), method=search_leads)
    channel = AnyRowFilter(
        label=_("Channel"),
        field_name="lead__channel",
        queryset=Channel.objects.all(),
        to_field_name="slug",
        empty_label=_("All channels"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="lead__status",
        choices=LeadStatus.choices,
        empty_label=_("All statuses"),
    )

    class Meta:
        model = Handoff
        fields = ["q", "channel", "status"]


class ReturnedFilter(django_filters.FilterSet):
    """The returned-leads list: marketing reads what came back and why."""

    q = django_filters.CharFilter(label=_("Search"), method=search_leads)
    reason = AnyRowFilter(
        label=_("Reason"),
        field_name="return_reason",
        queryset=ReturnReason.objects.filter(kind=ReasonKind.RETURN),
        to_field_name="code",
        empty_label=_("All reasons"),
    )
    channel = AnyRowFilter(
        label=_("Channel"),
        field_name="lead__channel",
        queryset=Channel.objects.all(),
        to_field_name="slug",
        empty_label=_("All channels"),
    )
    returned_from = django_filters.DateFilter(
        label=_("Returned from"), field_name="returned_at", lookup_expr="date__gte"
    )
    returned_to = django_filters.DateFilter(
        label=_("Returned until"), field_name="returned_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Handoff
        fields = ["q", "reason", "channel", "returned_from", "returned_to"]


class OpportunityFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=OpportunityStage.choices, empty_label=_("All stages")
    )

    class Meta:
        model = Opportunity
        fields = ["stage"]
