"""The manager's landing page: today's breaches, what is at risk now, this week's answers."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import get_language

from core.formats import first_weekday, week_start
from reports.breaches import BreachFilters, response_times, totals
from sla.models import Clock, ClockState
from sla.selectors import with_calendars

# Each list on the page shows the most urgent rows; the count says how many there are.
LIST_LIMIT = 25


def manager_overview(*, now: datetime) -> dict:
    today = timezone.localdate(now)
    since = datetime.combine(today, time(), tzinfo=timezone.get_current_timezone())
    first_day = first_weekday(get_language())
    week_began = week_start(today, first_day)
    breached_today = Clock.objects.filter(
        state=ClockState.BREACHED, breached_at__gte=since
    ).order_by("-breached_at", "-id")
    # Read from the times, not the stored state, so a clock the scan has not reached yet shows.
    at_risk = Clock.objects.filter(stopped_at=None, at_risk_at__lte=now, due_at__gt=now).order_by(
        "due_at", "id"
    )
    week = BreachFilters(start=week_began, end=today, week_starts_on=first_day)
    return {
        "now": now,
        "breached_today": _with_lead(breached_today[:LIST_LIMIT]),
        "breached_today_count": breached_today.count(),
        "at_risk": _with_lead(at_risk[:LIST_LIMIT]),
        "at_risk_count": at_risk.count(),
        "week_start": week_began,
        "week_totals": totals(week),
        "week_times": response_times(week),
    }


def _with_lead(clocks) -> list[Clock]:
    return with_calendars(
        clocks.select_related("handoff__lead", "handoff__team", "handoff__assignee")
    )
