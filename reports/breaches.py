"""The SLA breach report: met and breached clocks by rep, team, channel or week, and how fast
the team answers. A fixed handful of aggregate queries whatever the rows: the clocks counted per
group, step and week (the summary, totals and weekly trend are sums of those), and how many steps
took each number of minutes (the response times).

A clock counts in the period when it started in it (dates in the reader's time zone). Clocks are
counted per day they started and the days grouped into weeks in Python, so a week starts on the
day the reader's language starts it (`BreachFilters.week_starts_on`, core/formats.py). A clock is
decided when met or breached; the breach rate is breached / decided. Open clocks are counted
apart and left out of the rates. Response times are the business minutes the step took, in the
clock's own counting; the median interpolates between the middle two, the 90th percentile is the
nearest rank (the time within which 90% of steps happened).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate, pairwise

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.people import person_name
from core.databases import report_connection, report_reads
from core.formats import week_start
from core.sorting import Sorting
from leads.models import Channel
from sla.models import RUNNING_STATES, Clock, ClockState, Step
from sla.selectors import format_duration
from teams.models import Team

GROUPINGS = {
    "rep": gettext_lazy("Rep"),
    "team": gettext_lazy("Team"),
    "channel": gettext_lazy("Channel"),
    "week": gettext_lazy("Week"),
}
# The response-time steps, and the histogram's upper bounds in minutes (the last is open).
TIMED_STEPS = (Step.FIRST_TOUCH, Step.ACCEPT_OR_RETURN)
BUCKETS = (15, 60, 240, 480, 960)


@dataclass(frozen=True)
class BreachFilters:
    start: date
    end: date
    team_id: int | None = None
    step: str | None = None
    group_by: str = "rep"
    # 0 Monday … 6 Sunday: core.formats.first_weekday of the reader's language.
    week_starts_on: int = 0


def clocks_in(filters: BreachFilters) -> QuerySet[Clock]:
    zone = timezone.get_current_timezone()
    since = datetime.combine(filters.start, time(), tzinfo=zone)
    until = datetime.combine(filters.end + timedelta(days=1), time(), tzinfo=zone)
    clocks = Clock.objects.filter(started_at__gte=since, started_at__lt=until)
    if filters.team_id is not None:
        clocks = clocks.filter(handoff__team_id=filters.team_id)
    if filters.step:
        clocks = clocks.filter(step=filters.step)
    return clocks


def day_of_start():
    """The day a clock started on, in the active time zone (truncated in SQL: a year's report
    reads thousands of clocks); grouped into weeks by `ClockCounts`."""
    return TruncDate("started_at", tzinfo=timezone.get_current_timezone())


def group_key(group_by: str):
    return {
        "rep": Coalesce("rep_id", "handoff__assignee_id"),
        "team": F("handoff__team_id"),
        "channel": F("handoff__lead__channel_id"),
        "week": day_of_start(),
    }[group_by]


def _counts() -> dict:
    return {
        "met": Count("pk", filter=Q(state=ClockState.MET)),
        "breached": Count("pk", filter=Q(state=ClockState.BREACHED)),
        "open": Count("pk", filter=Q(state__in=RUNNING_STATES)),
    }


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _labels(group_by: str, keys) -> dict:
    keys = [key for key in keys if key is not None]
    if group_by == "rep":
        users = get_user_model().objects.filter(pk__in=keys)
        return {user.pk: person_name(user) for user in users}
    if group_by == "team":
        return dict(Team.objects.filter(pk__in=keys).values_list("pk", "name"))
    if group_by == "channel":
        return dict(Channel.objects.filter(pk__in=keys).values_list("pk", "name"))
    return {key: _("week of %(day)s") % {"day": date_format(key, "DATE_FORMAT")} for key in keys}


def _none_label(group_by: str) -> str:
    return {"rep": _("Unassigned"), "team": _("No team"), "channel": _("No channel")}.get(
        group_by, ""
    )


def group_value(group_by: str, key) -> str:
    """The key as it appears in a drill-down link (a week by its first day)."""
    if key is None:
        return "none"
    return key.isoformat() if group_by == "week" else str(key)


COUNTS = ("met", "breached", "open")


def _add(sums: dict, key, counts) -> None:
    """Adds [met, breached, open] to the sums under `key`."""
    total = sums.get(key)
    if total is None:
        sums[key] = list(counts)
    else:
        total[0] += counts[0]
        total[1] += counts[1]
        total[2] += counts[2]


@dataclass
class ClockCounts:
    """[met, breached, open] clocks of the period per (group, step), per week, and in all,
    added per day: a week is keyed by its first day."""

    group_by: str
    week_starts_on: int = 0
    by_group: dict = field(default_factory=dict)
    by_week: dict = field(default_factory=dict)
    total: list[int] = field(default_factory=lambda: [0] * len(COUNTS))
    # The first day of each day's week, worked out once per day: a year by rep adds tens of
    # thousands of (rep, step, day) cells over 365 days.
    weeks: dict = field(default_factory=dict)

    def add(self, group, step, day, counts) -> None:
        week = self.weeks.get(day)
        if week is None:
            week = self.weeks[day] = week_start(day, self.week_starts_on)
        _add(self.by_group, (week if self.group_by == "week" else group, step), counts)
        _add(self.by_week, week, counts)
        total = self.total
        total[0] += counts[0]
        total[1] += counts[1]
        total[2] += counts[2]

    def summary(self) -> list[dict]:
        labels = _labels(self.group_by, {group for group, _step in self.by_group})
        summary = [
            {
                "group": group_value(self.group_by, group),
                "label": labels.get(group, _none_label(self.group_by)),
                "step": step,
                "step_label": str(Step(step).label),
                **_with_rate(counts),
            }
            for (group, step), counts in self.by_group.items()
        ]
        # Weeks in time order (their labels are dates written in the reader's language).
        by = "group" if self.group_by == "week" else "label"
        summary.sort(key=lambda row: (str(row[by]), Step.values.index(row["step"])))
        return summary

    def totals(self) -> dict:
        return _with_rate(self.total)

    def weekly(self) -> list[dict]:
        weekly = []
        for week in sorted(self.by_week):
            row = _with_rate(self.by_week[week])
            del row["decided"]
            weekly.append({"week": week.isoformat(), **row})
        return weekly


def _counted(clocks: QuerySet[Clock], *keys) -> QuerySet:
    """Met, breached and open clocks per `keys` (names of annotations or fields), as tuples."""
    return clocks.values(*keys).annotate(**_counts()).order_by().values_list(*keys, *COUNTS)


@contextmanager
def memory_to_group():
    """PostgreSQL cannot tell how few (group, step, day) cells a year of clocks falls into (a
    few thousand): with the default work_mem (4 MB) it expects one per clock, sorts them all on
    disk and then groups; SET LOCAL lets it group them in a hash table, for this transaction
    only."""
    connection = report_connection()
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def clock_counts(filters: BreachFilters) -> ClockCounts:
    """One pass over the period's clocks, counted per group, step and week, feeds the summary,
    the totals and the weekly trend.

    By rep, that pass groups by the rep a clock names, which only decided clocks do (without a
    join to the handoffs): a second one counts the others, mostly the running clocks, for their
    handoff's assignee instead. By channel, the join to the leads reads only their id and
    channel, off leads.Lead's `lead_channel_idx`.
    """
    counts = ClockCounts(filters.group_by, week_starts_on=filters.week_starts_on)
    key = F("rep_id") if filters.group_by == "rep" else group_key(filters.group_by)
    clocks = clocks_in(filters).annotate(group=key, day=day_of_start())
    with memory_to_group():
        for group, step, day, *cell in _counted(clocks, "group", "step", "day"):
            counts.add(group, step, day, cell)
    if filters.group_by == "rep":
        for step in Step.values:
            counts.by_group.pop((None, step), None)
        unnamed = clocks_in(filters).filter(rep__isnull=True)
        for assignee, step, *cell in _counted(unnamed, "handoff__assignee_id", "step"):
            _add(counts.by_group, (assignee, step), cell)
    return counts


def _with_rate(counts) -> dict:
    met, breached, running = counts
    return {
        "met": met,
        "breached": breached,
        "open": running,
        "decided": met + breached,
        "breach_rate": rate(breached, met + breached),
    }


@report_reads
def breach_summary(filters: BreachFilters) -> list[dict]:
    """One row per group and step: met, breached, open, breach rate."""
    return clock_counts(filters).summary()


@report_reads
def totals(filters: BreachFilters) -> dict:
    counts = clocks_in(filters).aggregate(**_counts())
    return _with_rate([counts[name] for name in COUNTS])


@report_reads
def weekly_trend(filters: BreachFilters) -> list[dict]:
    return clock_counts(filters).weekly()


@report_reads
def breach_report(filters: BreachFilters) -> dict:
    """Everything the report page and API show, from one pass over the clocks (two by rep) and
    one over the minutes the steps took."""
    counts = clock_counts(filters)
    return {
        "totals": counts.totals(),
        "rows": counts.summary(),
        "response_times": response_times(filters),
        "weekly": counts.weekly(),
    }


class Minutes(Sequence):
    """Minutes the steps took, in order, read from how many steps took each number of minutes
    (the database counts them; a year holds hundreds of thousands of steps)."""

    def __init__(self, counts: dict[int, int]):
        self.values = sorted(counts)
        self.counts = [counts[value] for value in self.values]
        self.ends = list(accumulate(self.counts))

    def __len__(self) -> int:
        return self.ends[-1] if self.ends else 0

    def __getitem__(self, rank: int) -> int:
        if not 0 <= rank < len(self):
            raise IndexError(rank)
        return self.values[bisect_right(self.ends, rank)]


def percentile(sorted_minutes: Sequence[int], share: float) -> int | None:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    if not sorted_minutes:
        return None
    return sorted_minutes[max(0, math.ceil(share * len(sorted_minutes)) - 1)]


def median(sorted_minutes: Sequence[int]) -> float | None:
    """The middle value, or the mean of the middle two."""
    count = len(sorted_minutes)
    if not count:
        return None
    if count % 2:
        return sorted_minutes[count // 2]
    return (sorted_minutes[count // 2 - 1] + sorted_minutes[count // 2]) / 2


@report_reads
def response_times(filters: BreachFilters) -> dict[str, dict]:
    """Per timed step: how many, median and 90th percentile minutes, and the histogram."""
    counts: dict[str, dict[int, int]] = {step: {} for step in TIMED_STEPS}
    taken = (
        clocks_in(filters)
        .filter(step__in=TIMED_STEPS, stopped_at__isnull=False)
        .values("step", "elapsed_minutes")
        .annotate(steps=Count("pk"))
        .order_by()
    )
    for row in taken:
        counts[row["step"]][row["elapsed_minutes"]] = row["steps"]
    times = {}
    for step, taken_by_minutes in counts.items():
        minutes = Minutes(taken_by_minutes)
        times[step] = {
            "step_label": str(Step(step).label),
            "count": len(minutes),
            "median_minutes": median(minutes),
            "p90_minutes": percentile(minutes, 0.9),
            "distribution": histogram(minutes),
        }
    return times


def bucket_labels() -> list[str]:
    bounds = [timedelta(minutes=bound) for bound in BUCKETS]
    labels = [_("up to %(limit)s") % {"limit": format_duration(bounds[0])}]
    for low, high in pairwise(bounds):
        labels.append(
            _("%(low)s to %(high)s") % {"low": format_duration(low), "high": format_duration(high)}
        )
    labels.append(_("over %(limit)s") % {"limit": format_duration(bounds[-1])})
    return labels


def histogram(minutes: Minutes) -> list[int]:
    counts = [0] * (len(BUCKETS) + 1)
    for value, steps in zip(minutes.values, minutes.counts, strict=True):
        counts[next((i for i, bound in enumerate(BUCKETS) if value <= bound), len(BUCKETS))] += (
            steps
        )
    return counts


# The drill-down's columns a manager may sort by (core.sorting); newest clock first.
DRILLDOWN_SORTING = Sorting(
    keys={
        "lead": ("handoff__lead__first_name", "handoff__lead__last_name", "handoff__lead__email"),
        "channel": ("handoff__lead__channel__name",),
        "team": ("handoff__team__name",),
        "step": ("step",),
        "started": ("started_at",),
    },
    default="-started",
)


def drilldown(
    filters: BreachFilters, *, group: str | None = None, state: str | None = None
) -> QuerySet[Clock]:
    """The clocks behind one cell of the summary, newest first, ready for a list page."""
    clocks = clocks_in(filters)
    if state:
        clocks = clocks.filter(state=state)
    if group:
        key = group_key(filters.group_by)
        if group == "none":
            clocks = clocks.annotate(group=key).filter(group__isnull=True)
        elif filters.group_by == "week":
            first_day = date.fromisoformat(group)
            zone = timezone.get_current_timezone()
            since = datetime.combine(first_day, time(), tzinfo=zone)
            clocks = clocks.filter(started_at__gte=since, started_at__lt=since + timedelta(days=7))
        else:
            clocks = clocks.annotate(group=key).filter(group=int(group))
    return clocks.select_related(
        "handoff__lead__channel", "handoff__team", "handoff__assignee", "rep", "policy"
    ).order_by("-started_at", "-id")
