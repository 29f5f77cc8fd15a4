"""The manager's landing page: today's breaches, what is at risk now, this week's answers."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language

from core.formats import first_weekday, week_start
from reports.breaches import BreachFilters, response_times, totals
from sla.models import Clock, ClockState
from sla.selectors import start_of_day, with_calendars

# Each list on the page shows the most urgent rows; the count says how many there are.
LIST_LIMIT = 25


def sla_today(*, now: datetime, limit: int = LIST_LIMIT) -> dict:
    """Clocks breached since midnight (newest first) and at risk now (due soonest first): the
    first `limit` of each with their leads and calendars, and how many there are. Six queries:
    a count and a list each, and each list's calendars."""
    breached_today = Clock.objects.filter(
        state=ClockState.BREACHED, breached_at__gte=start_of_day(now)
    ).order_by("-breached_at", "-id")
    # Read from the times, not the stored state, so a clock the scan has not reached yet shows.
    at_risk = Clock.objects.filter(stopped_at=None, at_risk_at__lte=now, due_at__gt=now).order_by(
        "due_at", "id"
    )
    return {
        "now": now,
        "breached_today": _with_lead(breached_today[:limit]),
        "breached_today_count": breached_today.count(),
        "at_risk": _with_lead(at_risk[:limit]),
        "at_risk_count": at_risk.count(),
    }


def manager_overview(*, now: datetime) -> dict:
    today = timezone.localdate(now)
    first_day = first_weekday(get_language())
    week_began = week_start(today, first_day)
    week = BreachFilters(start=week_began, end=today, week_starts_on=first_day)
    return {
        **sla_today(now=now),
        "week_start": week_began,
        "week_totals": totals(week),
        "week_times": response_times(week),
    }


def _with_lead(clocks) -> list[Clock]:
    return with_calendars(
        clocks.select_related("handoff__lead", "handoff__team", "handoff__assignee", "rep")
    )
