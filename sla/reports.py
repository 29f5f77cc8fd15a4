"""The SLA breach report: met and breached clocks by rep, team, channel or week, and how fast
the team answers. Every figure is one aggregate query (or one list of minutes) whatever the rows.

A clock counts in the period when it started in it (dates in the server's time zone). A clock is
decided when met or breached; the breach rate is breached / decided. Open clocks are counted
apart and left out of the rates. Response times are the business minutes the step took, in the
clock's own counting; the median interpolates between the middle two, the 90th percentile is the
nearest rank (the time within which 90% of steps happened).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from handoff.access import display_name
from handoff.models import Team
from leads.models import Channel
from sla.models import RUNNING_STATES, Clock, ClockState, Step
from sla.selectors import format_duration

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


def group_key(group_by: str):
    return {
        "rep": Coalesce("rep_id", "handoff__assignee_id"),
        "team": F("handoff__team_id"),
        "channel": F("handoff__lead__channel_id"),
        "week": TruncWeek("started_at"),
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
        return {user.pk: display_name(user) for user in users}
    if group_by == "team":
        return dict(Team.objects.filter(pk__in=keys).values_list("pk", "name"))
    if group_by == "channel":
        return dict(Channel.objects.filter(pk__in=keys).values_list("pk", "name"))
    return {key: _("week of %(day)s") % {"day": key.date().isoformat()} for key in keys}


def _none_label(group_by: str) -> str:
    return {"rep": _("Unassigned"), "team": _("No team"), "channel": _("No channel")}.get(
        group_by, ""
    )


def group_value(group_by: str, key) -> str:
    """The key as it appears in a drill-down link (a week by its Monday)."""
    if key is None:
        return "none"
    return key.date().isoformat() if group_by == "week" else str(key)


def breach_summary(filters: BreachFilters) -> list[dict]:
    """One row per group and step: met, breached, open, breach rate."""
    rows = list(
        clocks_in(filters)
        .annotate(group=group_key(filters.group_by))
        .values("group", "step")
        .annotate(**_counts())
        .order_by("group", "step")
    )
    labels = _labels(filters.group_by, {row["group"] for row in rows})
    summary = []
    for row in rows:
        decided = row["met"] + row["breached"]
        summary.append(
            {
                "group": group_value(filters.group_by, row["group"]),
                "label": labels.get(row["group"], _none_label(filters.group_by)),
                "step": row["step"],
                "step_label": str(Step(row["step"]).label),
                "met": row["met"],
                "breached": row["breached"],
                "open": row["open"],
                "decided": decided,
                "breach_rate": rate(row["breached"], decided),
            }
        )
    summary.sort(key=lambda row: (str(row["label"]), Step.values.index(row["step"])))
    return summary


def totals(filters: BreachFilters) -> dict:
    counts = clocks_in(filters).aggregate(**_counts())
    decided = counts["met"] + counts["breached"]
    return {**counts, "decided": decided, "breach_rate": rate(counts["breached"], decided)}


def percentile(sorted_minutes: list[int], share: float) -> int | None:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    if not sorted_minutes:
        return None
    return sorted_minutes[max(0, math.ceil(share * len(sorted_minutes)) - 1)]


def response_times(filters: BreachFilters) -> dict[str, dict]:
    """Per timed step: how many, median and 90th percentile minutes, and the histogram."""
    minutes: dict[str, list[int]] = {step: [] for step in TIMED_STEPS}
    taken = (
        clocks_in(filters)
        .filter(step__in=TIMED_STEPS, stopped_at__isnull=False)
        .values_list("step", "elapsed_minutes")
    )
    for step, elapsed in taken:
        minutes[step].append(elapsed)
    times = {}
    for step, values in minutes.items():
        values.sort()
        times[step] = {
            "step_label": str(Step(step).label),
            "count": len(values),
            "median_minutes": statistics.median(values) if values else None,
            "p90_minutes": percentile(values, 0.9),
            "distribution": histogram(values),
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


def histogram(sorted_minutes: list[int]) -> list[int]:
    counts = [0] * (len(BUCKETS) + 1)
    for value in sorted_minutes:
        counts[next((i for i, bound in enumerate(BUCKETS) if value <= bound), len(BUCKETS))] += 1
    return counts


def weekly_trend(filters: BreachFilters) -> list[dict]:
    rows = (
        clocks_in(filters)
        .annotate(week=TruncWeek("started_at"))
        .values("week")
        .annotate(**_counts())
        .order_by("week")
    )
    return [
        {
            "week": row["week"].date().isoformat(),
            "met": row["met"],
            "breached": row["breached"],
            "open": row["open"],
            "breach_rate": rate(row["breached"], row["met"] + row["breached"]),
        }
        for row in rows
    ]


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
            monday = date.fromisoformat(group)
            zone = timezone.get_current_timezone()
            since = datetime.combine(monday, time(), tzinfo=zone)
            clocks = clocks.filter(started_at__gte=since, started_at__lt=since + timedelta(days=7))
        else:
            clocks = clocks.annotate(group=key).filter(group=int(group))
    return clocks.select_related(
        "handoff__lead__channel", "handoff__team", "handoff__assignee", "rep", "policy"
    ).order_by("-started_at", "-id")
