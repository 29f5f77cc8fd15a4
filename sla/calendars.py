"""Each team's BusinessCalendar, built from its rows and cached until the team edits it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from functools import lru_cache

import holidays
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import record_changes, record_snapshots
from core.errors import ApplicationError
from sla.business_time import BusinessCalendar, Span, weekend_workdays
from sla.models import (
    CalendarException,
    ClosedDate,
    ExceptionKind,
    ExceptionSpan,
    TeamCalendar,
    WorkingSpan,
)
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

# The weekdays as the audit trail names a calendar's hours (hours_mon ...), whatever the language.
WEEKDAY_KEYS = list(enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun")))

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


def built_calendar(team_id: int | None, stamp: datetime | None) -> BusinessCalendar | None:
    """The team's calendar without a query, for a caller that read its row's `updated_at`
    (`stamp`, None when the team has no calendar) along with something else: None unless it is
    built already as of that stamp."""
    if team_id is None or stamp is None:
        return default_calendar()
    cached = _built.get(team_id)
    return cached[1] if cached is not None and cached[0] == stamp else None


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
        exceptions = _exceptions_of(stale)
        for pk, row in stale.items():
            calendar = build_calendar(row, hours[pk], closed[pk], exceptions[pk])
            _built[row.team_id] = (row.updated_at, calendar)
            found[row.team_id] = calendar
    return found


def _exceptions_of(calendar_ids) -> dict[int, list[tuple[str, date, date, list[Span]]]]:
    """Each calendar's exceptions as (kind, first day, last day, spans), in one query."""
    found: dict[int, list] = {pk: [] for pk in calendar_ids}
    by_pk: dict[int, tuple] = {}
    rows = (
        CalendarException.objects.filter(calendar_id__in=calendar_ids)
        .order_by("first_day", "spans__opens")
        .values_list(
            "pk", "calendar_id", "kind", "first_day", "last_day", "spans__opens", "spans__closes"
        )
    )
    for pk, calendar_id, kind, first_day, last_day, opens, closes in rows:
        if pk not in by_pk:
            by_pk[pk] = (kind, first_day, last_day, [])
            found[calendar_id].append(by_pk[pk])
        if opens is not None:
            by_pk[pk][3].append((opens, closes))
    return found


def build_calendar(row: TeamCalendar, hours, closed_dates, exceptions=()) -> BusinessCalendar:
    """Raises ValueError for an unknown time zone, holiday country, overlapping spans, or
    exceptions that overlap each other or a closed date."""
    return BusinessCalendar.from_hours(
        row.time_zone,
        hours,
        holiday_country=row.holiday_country or None,
        holiday_subdiv=row.holiday_subdiv or None,
        closed_dates=closed_dates,
        working_dates={
            first: spans
            for kind, first, _last, spans in exceptions
            if kind == ExceptionKind.WORKING
        },
        reduced=[
            (first, last, spans)
            for kind, first, last, spans in exceptions
            if kind == ExceptionKind.REDUCED
        ],
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
    actor=None,
) -> TeamCalendar:
    """Replace a team's calendar; new clocks use it at once, running ones keep their due time."""
    row, created = TeamCalendar.objects.select_for_update().get_or_create(
        team=team, defaults={"time_zone": time_zone}
    )
    before = None if created else _calendar_snapshot(row)
    candidate = TeamCalendar(
        time_zone=time_zone, holiday_country=holiday_country, holiday_subdiv=holiday_subdiv
    )
    build_calendar(candidate, hours, closed_dates or {})
    try:
        build_calendar(candidate, hours, closed_dates or {}, _exceptions_of([row.pk])[row.pk])
    except ValueError:
        raise ApplicationError(
            gettext("A closed date falls on one of the team's working days; remove one of them."),
            {"closed_dates": gettext("A closed date falls on a working day added below.")},
        ) from None
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
    record_snapshots(row, before, _calendar_snapshot(row), actor=actor)
    return row


def _calendar_snapshot(row: TeamCalendar) -> dict:
    """A calendar as its form shows it, for the audit trail: each weekday's hours as text and
    the closed dates with their notes. Three queries."""
    hours: dict[int, list[Span]] = {}
    for span in row.spans.all():
        hours.setdefault(span.weekday, []).append((span.opens, span.closes))
    return {
        "time_zone": row.time_zone,
        "holiday_country": row.holiday_country,
        "holiday_subdiv": row.holiday_subdiv,
        **{f"hours_{name}": format_spans(hours.get(day, ())) for day, name in WEEKDAY_KEYS},
        "closed_dates": {
            day.isoformat(): note for day, note in row.closed_dates.values_list("date", "note")
        },
    }


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


@transaction.atomic
def add_calendar_exception(
    *,
    calendar: TeamCalendar,
    kind: str,
    first_day: date,
    last_day: date | None = None,
    spans: list[Span] = (),
    note: str = "",
    actor=None,
) -> CalendarException:
    """Add a working day or a reduced-hours range; new clocks count it at once.

    Refuses (ApplicationError, naming the field) a range over another exception or over a
    closed date, a working day on a closed date, and a reduced range without hours.
    """
    calendar = TeamCalendar.objects.select_for_update().get(pk=calendar.pk)
    last_day = first_day if kind == ExceptionKind.WORKING or last_day is None else last_day
    if last_day < first_day:
        raise ApplicationError(
            gettext("The range ends before it starts."),
            {"last_day": gettext("Choose a day on or after the first day.")},
        )
    if kind == ExceptionKind.REDUCED and not spans:
        raise ApplicationError(
            gettext("Reduced hours need the hours of each day."),
            {"hours": gettext("Write the hours, e.g. 09:00-14:00.")},
        )
    if calendar.exceptions.filter(first_day__lte=last_day, last_day__gte=first_day).exists():
        raise ApplicationError(
            gettext("These dates overlap another exception of this calendar."),
            {"first_day": gettext("Another exception already covers these dates.")},
        )
    if calendar.closed_dates.filter(date__range=(first_day, last_day)).exists():
        raise ApplicationError(
            gettext("These dates include one of the team's closed dates."),
            {"first_day": gettext("A closed date falls in these dates; remove it first.")},
        )
    exception = CalendarException(
        calendar=calendar, kind=kind, first_day=first_day, last_day=last_day, note=note
    )
    exception.full_clean(exclude=["calendar"])
    exception.save()
    ExceptionSpan.objects.bulk_create(
        ExceptionSpan(exception=exception, opens=opens, closes=closes) for opens, closes in spans
    )
    calendar.save(update_fields=["updated_at"])  # the cached calendar is rebuilt
    record_changes(calendar, {}, {"exception": _exception_text(exception, spans)}, actor=actor)
    return exception


def _exception_text(exception: CalendarException, spans) -> dict:
    return {
        "exception": exception.kind,
        "first_day": exception.first_day.isoformat(),
        "last_day": exception.last_day.isoformat(),
        "hours": format_spans(spans),
        "note": exception.note,
    }


@transaction.atomic
def remove_calendar_exception(*, exception: CalendarException, actor=None) -> None:
    calendar = TeamCalendar.objects.select_for_update().get(pk=exception.calendar_id)
    spans = [(span.opens, span.closes) for span in exception.spans.all()]
    before = _exception_text(exception, spans)
    exception.delete()
    calendar.save(update_fields=["updated_at"])
    record_changes(calendar, {"exception": before}, {}, actor=actor)


def exceptions_for(calendar: TeamCalendar) -> list[dict]:
    """A calendar's exceptions with their hours as text, for the calendar page."""
    rows = []
    for exception in calendar.exceptions.prefetch_related("spans"):
        spans = [(span.opens, span.closes) for span in exception.spans.all()]
        rows.append({"exception": exception, "hours": format_spans(spans)})
    return rows


# Django's language codes -> the holidays package's, for holiday names in the reader's language.
HOLIDAY_LANGUAGES = {"en": "en_US", "zh-hans": "zh_CN", "ru": "ru", "th": "th", "ar": "ar"}


def country_days(country: str, subdiv: str, year: int, language: str | None) -> dict:
    """A country's working weekend days (transfers) and public holidays of one year, named in
    the reader's language when the package has it; nothing without a country."""
    if not country:
        return {"workdays": [], "holidays": []}
    wanted = HOLIDAY_LANGUAGES.get(language or "", "")
    calendar_class = holidays.country_holidays(country, subdiv=subdiv or None).__class__
    supported = getattr(calendar_class, "supported_languages", ())
    public = holidays.country_holidays(
        country,
        subdiv=subdiv or None,
        years=year,
        language=wanted if wanted in supported else None,
    )
    return {
        "workdays": weekend_workdays(country, subdiv or None, year),
        "holidays": sorted(public.items()),
    }
