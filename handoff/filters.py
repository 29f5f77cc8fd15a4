import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import AnyRowFilter
from core.sorting import Sorting
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


# Optional columns of the queue (core.sorting). Without a key the queue keeps its own order,
# most urgent first (handoff.selectors.queue_base), which "Most urgent first" goes back to.
QUEUE_SORTING = Sorting(
    keys={
        "lead": ("lead__first_name", "lead__last_name", "lead__email"),
        "organization": ("lead__organization",),
        "score": ("score",),
        "waiting": ("created_at",),
    }
)
# The queue API's `ordering`: the handoff's own columns (a cursor page reads them off the row).
QUEUE_API_SORTING = QUEUE_SORTING.only("score", "waiting")

# The returned list, newest return first.
RETURNED_SORTING = Sorting(
    keys={
        "lead": ("lead__first_name", "lead__last_name", "lead__email"),
        "organization": ("lead__organization",),
        "reason": ("return_reason__label",),
        "by": ("assignee__first_name", "assignee__last_name", "assignee__username"),
        "returned": ("returned_at",),
    },
    default="-returned",
)

# An account executive's pipeline, soonest close first.
OPPORTUNITY_SORTING = Sorting(
    keys={
        "name": ("name",),
        "stage": ("stage",),
        "amount": ("amount",),
        "close": ("expected_close_date",),
        "owner": ("owner__first_name", "owner__last_name", "owner__username"),
    },
    default="close",
)
# The opportunities API's `ordering`: the opportunity's own columns.
OPPORTUNITY_API_SORTING = OPPORTUNITY_SORTING.only("name", "stage", "amount", "close")

# SQLs waiting for an account executive, newest promotion first.
SQL_SORTING = Sorting(
    keys={
        "lead": ("lead__first_name", "lead__last_name", "lead__email"),
        "organization": ("lead__organization",),
        "promoted": ("created_at",),
        "by": ("actor__first_name", "actor__last_name", "actor__username"),
    },
    default="-promoted",
)

# A team's reps; the load is their open handoffs (handoff.assignment.with_open_load).
MEMBER_SORTING = Sorting(
    keys={
        "rep": ("user__first_name", "user__last_name", "user__username"),
        "load": ("load",),
        "weight": ("weight",),
    },
    default="rep",
)

# The teams, by name.
TEAM_SORTING = Sorting(
    keys={
        "team": ("name",),
        "assignment": ("mode",),
        "manager": ("manager__first_name", "manager__last_name", "manager__username"),
    },
    default="team",
)
