"""The funnel and returns reports: a query or two of the rows each needs, aggregated in Python
(on PostgreSQL the funnel is aggregated in SQL from the leads' passes instead: reports.cohort).

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

from django.db.models import Case, Count, DateField, F, OuterRef, Subquery, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncWeek
from django.utils.translation import gettext as _

from core.databases import report_connection, report_reads
from core.i18n import localized
from handoff.models import Handoff, Outcome, ReasonKind
from leads.models import Channel, Lead, Stage, StageChange
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
class Return:
    """One returned or disqualified handoff of a cohort lead."""

    reason_id: int
    reason: str
    kind: str
    channel_id: int | None
    channel: str
    agreement_version: int | None


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


def cohort_returns(filters: ReportFilters) -> list[Return]:
    """Returned and disqualified handoffs of cohort leads, at or after the lead's MQL entry in
    the range."""
    entry = _mql_entries(filters).filter(lead_id=OuterRef("lead_id")).order_by("created_at", "id")
    rows = (
        Handoff.objects.filter(
            filters.lead_conditions(), outcome__in=(Outcome.RETURNED, Outcome.DISQUALIFIED)
        )
        .annotate(
            entered_at=Subquery(entry.values("created_at")[:1]),
            entry_context=Subquery(entry.values("context")[:1]),
            decided_at=Coalesce("returned_at", "disqualified_at"),
        )
        .filter(entered_at__isnull=False, decided_at__gte=F("entered_at"))
        .values_list(
            "return_reason_id",
            "return_reason__label",
            "return_reason__labels",
            "return_reason__kind",
            "lead__channel_id",
            "lead__channel__name",
            "entry_context",
        )
    )
    returns = []
    for reason_id, reason, labels, kind, channel_id, channel, context in rows:
        version = agreement_version_of((context or {}).get("agreement_version"))
        if filters.agreement_version is not None and version != filters.agreement_version:
            continue
        returns.append(
            Return(
                reason_id=reason_id,
                reason=localized(reason, labels),
                kind=kind,
                channel_id=channel_id,
                channel=channel or "",
                agreement_version=version,
            )
        )
    return returns


def _groups(returns: list[Return], *, key, label) -> list[ReturnGroup]:
    """Returns per `key`, counted per reason, labelled from the group's first return."""
    grouped: dict[Hashable, list[Return]] = {}
    for item in returns:
        grouped.setdefault(key(item), []).append(item)
    rows = [
        ReturnGroup(
            key=group,
            label=label(members[0]),
            count=len(members),
            by_reason=dict(Counter(item.reason_id for item in members)),
        )
        for group, members in grouped.items()
    ]
    return sorted(rows, key=lambda row: (-row.count, row.label))


@report_reads
def returns_report(*, filters: ReportFilters) -> ReturnsReport:
    returns = cohort_returns(filters)
    per_reason = Counter(item.reason_id for item in returns)
    reasons = {item.reason_id: item for item in returns}
    disqualified = sum(1 for item in returns if item.kind == ReasonKind.DISQUALIFY)
    return ReturnsReport(
        filters=filters,
        total=len(returns) - disqualified,
        disqualified=disqualified,
        reasons=[
            ReasonRow(
                reason_id=reason_id,
                label=reasons[reason_id].reason,
                count=count,
                share=count / len(returns),
                kind=reasons[reason_id].kind,
            )
            for reason_id, count in sorted(
                per_reason.items(), key=lambda item: (-item[1], reasons[item[0]].reason)
            )
        ],
        by_channel=_groups(returns, key=by_channel, label=channel_label),
        by_agreement_version=_groups(returns, key=by_version, label=version_label),
    )
