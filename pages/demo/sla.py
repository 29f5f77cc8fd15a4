"""Demo business hours for the demo teams, and a clock for every demo handoff. Idempotent."""

from datetime import time

from django.utils import timezone

from handoff.models import Handoff, Outcome
from leads.models import Stage, StageChange
from pages.demo.handoff import seed_teams
from sla.calendars import save_team_calendar
from sla.models import Step, TeamCalendar
from sla.services import advance_clocks, start_clocks, stop_clock

# team name -> (time zone, weekday spans, holiday country)
CALENDARS = {
    "Inbound EMEA": ("Europe/Berlin", [(time(9), time(12, 30)), (time(13, 30), time(18))], "DE"),
    "APAC events": ("Asia/Bangkok", [(time(8, 30), time(12)), (time(13), time(17, 30))], "TH"),
}
SQL_DECISIONS = (Stage.SQL, Stage.RECYCLED, Stage.DISQUALIFIED)


def seed_team_calendars() -> None:
    """Before the demo handoffs open, so that their clocks count the teams' own hours."""
    for team in seed_teams().values():
        if team.name in CALENDARS and not TeamCalendar.objects.filter(team=team).exists():
            zone, spans, country = CALENDARS[team.name]
            save_team_calendar(
                team=team,
                time_zone=zone,
                hours=dict.fromkeys(range(5), spans),
                holiday_country=country,
            )


def seed_clocks(*, now=None) -> None:
    """Replay each demo handoff's history onto its clocks, then scan as the worker would."""
    now = now or timezone.now()
    handoffs = Handoff.objects.filter(clocks__isnull=True).select_related("lead__channel")
    for handoff in handoffs:
        start_clocks(handoff=handoff, now=handoff.created_at)
        if handoff.first_touch_at:
            stop_clock(handoff=handoff, step=Step.FIRST_TOUCH, now=handoff.first_touch_at)
        if handoff.closed_at:
            stop_clock(handoff=handoff, step=Step.ACCEPT_OR_RETURN, now=handoff.closed_at)
        if handoff.outcome == Outcome.ACCEPTED:
            decided = (
                StageChange.objects.filter(
                    lead_id=handoff.lead_id,
                    from_stage=Stage.SAL,
                    to_stage__in=SQL_DECISIONS,
                    created_at__gte=handoff.accepted_at,
                )
                .order_by("created_at")
                .first()
            )
            if decided is not None:
                stop_clock(handoff=handoff, step=Step.SQL_DECISION, now=decided.created_at)
    advance_clocks(now=now)
