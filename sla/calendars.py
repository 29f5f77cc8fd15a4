"""Each team's BusinessCalendar, built from its rows and cached until the team edits it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sla.business_time import BusinessCalendar, Span
from sla.models import ClosedDate, TeamCalendar, WorkingSpan
from teams.models import Team

# Monday to Friday, 09:00-17:00: the calendar of a team that has not set its own.
DEFAULT_HOURS: dict[int, tuple[Span, ...]] = {day: ((time(9), time(17)),) for day in range(5)}

WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]

# team id -> (the calendar row's updated_at, the calendar built from it)
_built: dict[int, tuple[datetime, BusinessCalendar]] = {}

SPAN_PATTERN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


@lru_cache(maxsize=8)
def _default_calendar(time_zone: str) -> BusinessCalendar:
    return BusinessCalendar.from_hours(time_zone, DEFAULT_HOURS)


def default_calendar() -> BusinessCalendar:
    return _default_calendar(settings.TIME_ZONE)


def clear_calendar_cache() -> None:
    _built.clear()


def calendar_for_team(team_id: int | None) -> BusinessCalendar:
    if team_id is None:
        return default_calendar()
    return calendars_for_teams([team_id])[team_id]


def calendars_for_teams(team_ids: Iterable[int | None]) -> dict[int | None, BusinessCalendar]:
    """Calendars for many teams in a fixed number of queries (one when all are cached)."""
    team_ids = set(team_ids)
    found = {team_id: default_calendar() for team_id in team_ids}
    rows = TeamCalendar.objects.filter(team_id__in=team_ids - {None})
    stale = {}
    for row in rows:
        cached = _built.get(row.team_id)
        if cached is not None and cached[0] == row.updated_at:
            found[row.team_id] = cached[1]
        else:
            stale[row.pk] = row
    if stale:
        hours: dict[int, dict[int, list[Span]]] = {pk: {} for pk in stale}
        for span in WorkingSpan.objects.filter(calendar_id__in=stale):
            hours[span.calendar_id].setdefault(span.weekday, []).append((span.opens, span.closes))
        closed: dict[int, list] = {pk: [] for pk in stale}
        for calendar_id, day in ClosedDate.objects.filter(calendar_id__in=stale).values_list(
            "calendar_id", "date"
        ):
            closed[calendar_id].append(day)
        for pk, row in stale.items():
            calendar = build_calendar(row, hours[pk], closed[pk])
            _built[row.team_id] = (row.updated_at, calendar)
            found[row.team_id] = calendar
    return found


def build_calendar(row: TeamCalendar, hours, closed_dates) -> BusinessCalendar:
    """Raises ValueError for an unknown time zone, holiday country or overlapping spans."""
    return BusinessCalendar.from_hours(
        row.time_zone,
        hours,
        holiday_country=row.holiday_country or None,
        holiday_subdiv=row.holiday_subdiv or None,
        closed_dates=closed_dates,
    )


def parse_spans(text: str) -> list[Span]:
    """'09:00-12:00, 13:00-17:00' as spans; '24:00' (or '00:00' as an end) means midnight."""
    spans = []
    for part in filter(None, (chunk.strip() for chunk in text.split(","))):
        match = SPAN_PATTERN.match(part)
        if not match:
            raise ValueError(part)
        open_hour, open_minute, close_hour, close_minute = map(int, match.groups())
        opens = time(open_hour, open_minute)
        if (close_hour, close_minute) in ((24, 0), (0, 0)):
            closes = None
        else:
            closes = time(close_hour, close_minute)
        spans.append((opens, closes))
    return spans


def format_spans(spans: Iterable[Span]) -> str:
    return ", ".join(
        f"{opens:%H:%M}-{closes:%H:%M}" if closes else f"{opens:%H:%M}-24:00"
        for opens, closes in spans
    )


@transaction.atomic
def save_team_calendar(
    *,
    team,
    time_zone: str,
    hours: dict[int, list[Span]],
    holiday_country: str = "",
    holiday_subdiv: str = "",
    closed_dates: dict[date, str] | None = None,
) -> TeamCalendar:
    """Replace a team's calendar; new clocks use it at once, running ones keep their due time."""
    row, _created = TeamCalendar.objects.select_for_update().get_or_create(
        team=team, defaults={"time_zone": time_zone}
    )
    build_calendar(
        TeamCalendar(
            time_zone=time_zone, holiday_country=holiday_country, holiday_subdiv=holiday_subdiv
        ),
        hours,
        closed_dates or {},
    )
    row.time_zone = time_zone
    row.holiday_country, row.holiday_subdiv = holiday_country, holiday_subdiv
    row.full_clean(exclude=["team"])
    row.save()
    row.spans.all().delete()
    WorkingSpan.objects.bulk_create(
        WorkingSpan(calendar=row, weekday=weekday, opens=opens, closes=closes)
        for weekday, spans in hours.items()
        for opens, closes in spans
    )
    row.closed_dates.all().delete()
    ClosedDate.objects.bulk_create(
        ClosedDate(calendar=row, date=day, note=note) for day, note in (closed_dates or {}).items()
    )
    return row


def teams_with_hours() -> list[dict]:
    """Every team with its calendar (or none: the default) and each weekday's hours as text."""
    teams = Team.objects.select_related("calendar").prefetch_related(
        "calendar__spans", "calendar__closed_dates"
    )
    rows = []
    for team in teams:
        calendar = getattr(team, "calendar", None)
        days: dict[int, list[Span]] = {}
        if calendar is not None:
            for span in calendar.spans.all():
                days.setdefault(span.weekday, []).append((span.opens, span.closes))
        rows.append(
            {
                "team": team,
                "calendar": calendar,
                "days": [
                    (name, format_spans(days.get(weekday, ())))
                    for weekday, name in enumerate(WEEKDAYS)
                ],
            }
        )
    return rows


def team_time_zone(*, user) -> str | None:
    """The zone of a team the person works in or manages that keeps a calendar (the first by
    name when several do); one query. Answers accounts.hooks.team_time_zone."""
    return (
        TeamCalendar.objects.filter(Q(team__memberships__user=user) | Q(team__manager=user))
        .order_by("team__name")
        .values_list("time_zone", flat=True)
        .first()
    )
