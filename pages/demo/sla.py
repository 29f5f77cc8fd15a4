"""Demo business hours for the demo teams. Idempotent."""

from datetime import time

from pages.demo.handoff import seed_teams
from sla.calendars import save_team_calendar
from sla.models import TeamCalendar

# team name -> (time zone, weekday spans, holiday country)
CALENDARS = {
    "Inbound EMEA": ("Europe/Berlin", [(time(9), time(12, 30)), (time(13, 30), time(18))], "DE"),
    "APAC events": ("Asia/Bangkok", [(time(8, 30), time(12)), (time(13), time(17, 30))], "TH"),
}


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
