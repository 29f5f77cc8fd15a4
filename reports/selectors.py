"""The funnel and returns reports. The funnel reads the rows it needs and aggregates them in
Python (on PostgreSQL it is aggregated in SQL from the leads' passes instead: reports.cohort);
the returns report is counted in SQL, with each lead's entry read off its passes.

Both reports read the same cohort (leads that entered MQL in the range, narrowed by team, channel,
campaign and agreement version) so that their numbers agree: the funnel counts the cohort's
returns to marketing after entry (moves to recycled with a return reason in their context; a lost
opportunity also recycles a lead but is not a return) and its disqualifications (moves to
disqualified), the returns report counts the cohort's returned and disqualified handoffs after
entry, and handoff.services.outcomes makes one of each together.

The campaign is the lead's `attributes["campaign"]`, the campaign that brought the lead in;
activities' campaigns are not used, because a lead touched by several campaigns would be counted
once per campaign and the rows would no longer add up to the total.
"""

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import Case, Count, DateField, F, OuterRef, Q, Subquery, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncWeek
from django.utils.translation import gettext as _

from core.databases import report_connection, report_reads
from core.i18n import localized
from handoff.models import Handoff, Outcome, ReasonKind, ReturnReason
from leads.models import Channel, FunnelPass, Lead, Stage, StageChange
from reports.cohort import funnel_figures
from reports.filters import ReportFilters
from reports.funnel import Change, FunnelRow, LeadPath, breakdown, lead_paths, summarize


def agreement_version_of(value) -> int | None:
    """The version recorded in a move's JSON context, tolerating rows written without one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def channel_label(item) -> str:
    return item.channel or _("No channel")


def version_label(item) -> str:
    if item.agreement_version is None:
        return _("No version recorded")
    return _("Version %(version)s") % {"version": item.agreement_version}


def campaign_label(item) -> str:
    return item.campaign or _("No campaign")


def by_channel(item) -> int | None:
    return item.channel_id


def by_version(item) -> int | None:
    return item.agreement_version


def _mql_entries(filters: ReportFilters):
    """MQL moves in the range by leads that match the filters (not yet the version filter)."""
    return StageChange.objects.filter(
        filters.lead_conditions(),
        to_stage=Stage.MQL,
        created_at__gte=filters.start,
        created_at__lt=filters.end,
    )


@dataclass(frozen=True)
class MqlWeek:
    monday: date
    count: int


@report_reads
def mql_weeks(*, today: date, weeks: int = 8) -> list[MqlWeek]:
    """MQLs per week, Monday to Sunday in the server's time zone, for the `weeks` weeks up to
    the one holding `today` (oldest first, this week so far last): each week's figure is the
    funnel's MQL count for that week's dates, the leads that entered MQL in it. One query."""
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    filters = ReportFilters(date_from=first, date_to=this_monday + timedelta(days=6))
    counted = dict(
        _mql_entries(filters)
        .annotate(week=Cast(TruncWeek("created_at"), output_field=DateField()))
        .values("week")
        .annotate(leads=Count("lead_id", distinct=True))
        .order_by()
        .values_list("week", "leads")
    )
    mondays = [first + timedelta(weeks=index) for index in range(weeks)]
    return [MqlWeek(monday, counted.get(monday, 0)) for monday in mondays]


def cohort_changes(filters: ReportFilters):
    """The stage changes of cohort candidates from the start of the range on, in path order.

    Two queries: the candidates' channel and campaign once per lead, then their moves (only
    MQL moves carry the agreement version, read as text to skip decoding every context).
    """
    candidates = _mql_entries(filters).values("lead_id")
    leads = {
        lead_id: (channel_id, channel or "", "" if campaign is None else str(campaign))
        for lead_id, channel_id, channel, campaign in Lead.objects.filter(
            pk__in=candidates
        ).values_list("pk", "channel_id", "channel__name", "attributes__campaign")
    }
    rows = (
        StageChange.objects.filter(lead_id__in=candidates, created_at__gte=filters.start)
        .annotate(
            version=Case(
                When(to_stage=Stage.MQL, then=KT("context__agreement_version")), default=None
            ),
            # handoff.services.outcomes records the reason; a lost opportunity has none.
            return_reason=Case(
                When(to_stage=Stage.RECYCLED, then=KT("context__return_reason")), default=None
            ),
        )
        .order_by("lead_id", "created_at", "id")
        .values_list("lead_id", "to_stage", "created_at", "version", "return_reason")
    )
    for lead_id, to_stage, at, version, return_reason in rows.iterator(5000):
        channel_id, channel, campaign = leads[lead_id]
        yield Change(
            lead_id,
            to_stage,
            at,
            agreement_version_of(version),
            channel_id,
            channel,
            campaign,
            bool(return_reason),
        )


def cohort_paths(filters: ReportFilters) -> list[LeadPath]:
    return lead_paths(
        cohort_changes(filters),
        start=filters.start,
        end=filters.end,
        agreement_version=filters.agreement_version,
    )


@dataclass(frozen=True)
class FunnelReport:
    filters: ReportFilters
    total: FunnelRow
    by_channel: list[FunnelRow]
    by_campaign: list[FunnelRow]
    by_agreement_version: list[FunnelRow]

    def breakdowns(self) -> list[tuple[str, str, str, list[FunnelRow]]]:
        """(key, heading, column heading, rows) per grouping, in the order pages show them."""
        return [
            ("channel", _("By channel"), _("Channel"), self.by_channel),
            ("campaign", _("By campaign"), _("Campaign"), self.by_campaign),
            (
                "agreement_version",
                _("By agreement version"),
                _("Agreement version"),
                self.by_agreement_version,
            ),
        ]


@report_reads
def funnel_report(*, filters: ReportFilters) -> FunnelReport:
    """On PostgreSQL, aggregates of the cohort's passes in SQL (reports.cohort); SQLite, the
    try-it-out database, walks the stage history in Python."""
    if report_connection().vendor == "postgresql":
        return funnel_from_passes(filters)
    return funnel_from_history(filters)


def funnel_from_history(filters: ReportFilters) -> FunnelReport:
    paths = cohort_paths(filters)
    return FunnelReport(
        filters=filters,
        total=summarize(paths, key="total", label=_("All leads")),
        by_channel=breakdown(paths, key=by_channel, label=channel_label),
        by_campaign=breakdown(paths, key=lambda path: path.campaign, label=campaign_label),
        by_agreement_version=breakdown(paths, key=by_version, label=version_label),
    )


class Group(NamedTuple):
    """What the labels read of a group of the cohort."""

    channel: str = ""
    campaign: str = ""
    agreement_version: int | None = None


def funnel_from_passes(filters: ReportFilters) -> FunnelReport:
    figures = funnel_figures(filters)
    channel_ids = [item.key for item in figures if item.breakdown == "channel" and item.key]
    names = dict(Channel.objects.filter(pk__in=channel_ids).values_list("pk", "name"))
    labels = {
        "total": lambda key: _("All leads"),
        "channel": lambda key: channel_label(Group(channel=names.get(key, ""))),
        "campaign": lambda key: campaign_label(Group(campaign=key)),
        "agreement_version": lambda key: version_label(Group(agreement_version=key)),
    }
    rows: dict[str, list[FunnelRow]] = {breakdown: [] for breakdown in labels}
    for item in figures:
        rows[item.breakdown].append(
            FunnelRow(
                key="total" if item.breakdown == "total" else item.key,
                label=labels[item.breakdown](item.key),
                counts=item.counts,
                returned=item.returned,
                disqualified=item.disqualified,
                median_stays=item.median_stays,
            )
        )
    for group_rows in rows.values():
        group_rows.sort(key=lambda row: (-row.counts[Stage.MQL], row.label))
    return FunnelReport(
        filters=filters,
        total=rows["total"][0],
        by_channel=rows["channel"],
        by_campaign=rows["campaign"],
        by_agreement_version=rows["agreement_version"],
    )


@dataclass(frozen=True)
class ReturnGroup:
    """Returns and disqualifications of one channel or agreement version, counted per reason."""

    key: Hashable
    label: str
    count: int
    by_reason: dict[int, int]

    def share_of(self, reason_id: int) -> float | None:
        return self.by_reason.get(reason_id, 0) / self.count if self.count else None


@dataclass(frozen=True)
class ReasonRow:
    reason_id: int
    label: str
    count: int
    share: float
    kind: str = ReasonKind.RETURN

    @property
    def heading(self) -> str:
        """The label where both kinds stand side by side (each has its "Other")."""
        if self.kind == ReasonKind.DISQUALIFY:
            return _("Disqualified: %(reason)s") % {"reason": self.label}
        return self.label


@dataclass(frozen=True)
class ReturnsReport:
    """`total` counts returns to marketing (the funnel's "Returned"), `disqualified` the
    disqualifications (the funnel's "Disqualified"); reasons and groups hold both, each reason
    with its share of all of them."""

    filters: ReportFilters
    total: int
    reasons: list[ReasonRow]
    by_channel: list[ReturnGroup]
    by_agreement_version: list[ReturnGroup]
    disqualified: int = 0

    def matrix(self, groups: list[ReturnGroup]) -> list[tuple[ReturnGroup, list[tuple]]]:
        """Each group with (count, share of the group) per reason, in the order of `reasons`."""
        return [
            (
                group,
                [
                    (group.by_reason.get(reason.reason_id, 0), group.share_of(reason.reason_id))
                    for reason in self.reasons
                ],
            )
            for group in groups
        ]

    @property
    def channel_matrix(self):
        return self.matrix(self.by_channel)

    @property
    def version_matrix(self):
        return self.matrix(self.by_agreement_version)


class ReturnCount(NamedTuple):
    """How many returned or disqualified handoffs of cohort leads share a reason, a channel and
    an agreement version."""

    reason_id: int
    channel_id: int | None
    agreement_version: int | None
    handoffs: int


def cohort_return_counts(filters: ReportFilters) -> list[ReturnCount]:
    """Returned and disqualified handoffs of cohort leads decided at or after the lead's MQL
    entry in the range, counted per reason, channel and the entry's agreement version.

    One grouped query: the entry is the lead's first pass in the range (leads.FunnelPass, off
    its lead index: a pass's `previous_entered_at` says whether it is the first), the channel the
    lead's (off lead_channel_idx), so a year's returns come back as a few hundred counts.
    """
    entry = FunnelPass.objects.filter(
        Q(previous_entered_at__isnull=True) | Q(previous_entered_at__lt=filters.start),
        lead_id=OuterRef("lead_id"),
        entered_at__gte=filters.start,
        entered_at__lt=filters.end,
    )
    handoffs = (
        Handoff.objects.filter(
            filters.lead_conditions(), outcome__in=(Outcome.RETURNED, Outcome.DISQUALIFIED)
        )
        .annotate(
            entered_at=Subquery(entry.values("entered_at")[:1]),
            entry_version=Subquery(entry.values("agreement_version")[:1]),
            decided_at=Coalesce("returned_at", "disqualified_at"),
        )
        .filter(entered_at__isnull=False, decided_at__gte=F("entered_at"))
    )
    if filters.agreement_version is not None:
        handoffs = handoffs.filter(entry_version=filters.agreement_version)
    keys = ("return_reason_id", "lead__channel_id", "entry_version")
    counted = handoffs.values(*keys).annotate(handoffs=Count("pk")).order_by()
    return [ReturnCount(*row) for row in counted.values_list(*keys, "handoffs")]


def _groups(counts: list[ReturnCount], *, key, label) -> list[ReturnGroup]:
    """Returns per `key` of a count, counted per reason, labelled by `label(key)`."""
    grouped: dict[Hashable, Counter] = {}
    for count in counts:
        grouped.setdefault(key(count), Counter())[count.reason_id] += count.handoffs
    rows = [
        ReturnGroup(
            key=group,
            label=label(group),
            count=sum(by_reason.values()),
            by_reason=dict(by_reason),
        )
        for group, by_reason in grouped.items()
    ]
    return sorted(rows, key=lambda row: (-row.count, row.label))


@report_reads
def returns_report(*, filters: ReportFilters) -> ReturnsReport:
    """Three queries: the counts, then the reasons' and the channels' names, all of them (a few
    dozen rows each), so that an empty report costs what a full one does."""
    counts = cohort_return_counts(filters)
    per_reason: Counter = Counter()
    for count in counts:
        per_reason[count.reason_id] += count.handoffs
    reasons = {reason.pk: reason for reason in ReturnReason.objects.only("label", "labels", "kind")}
    labels = {pk: localized(reason.label, reason.labels) for pk, reason in reasons.items()}
    channels = dict(Channel.objects.values_list("pk", "name"))
    returns = sum(per_reason.values())
    disqualified = sum(
        handoffs
        for reason_id, handoffs in per_reason.items()
        if reasons[reason_id].kind == ReasonKind.DISQUALIFY
    )
    return ReturnsReport(
        filters=filters,
        total=returns - disqualified,
        disqualified=disqualified,
        reasons=[
            ReasonRow(
                reason_id=reason_id,
                label=labels[reason_id],
                count=count,
                share=count / returns,
                kind=reasons[reason_id].kind,
            )
            for reason_id, count in sorted(
                # Each kind has its "Other": two reasons of one label and count keep one order.
                per_reason.items(),
                key=lambda item: (-item[1], labels[item[0]], item[0]),
            )
        ],
        by_channel=_groups(
            counts,
            key=by_channel,
            label=lambda key: channel_label(Group(channel=channels.get(key, ""))),
        ),
        by_agreement_version=_groups(
            counts,
            key=by_version,
            label=lambda key: version_label(Group(agreement_version=key)),
        ),
    )
