"""Business-time arithmetic for SLA clocks: pure, no database.

Time counts only inside a team's working spans, read on its local wall clock. A day's spans are,
first match wins:

1. none on the team's own closed dates;
2. a working day the manager added: its own spans, or the team's normal day (reduced, see 5);
3. none on public holidays of the team's country (the ``holidays`` package);
4. on a weekday the team does not work, the normal day if the country moved a working day onto
   it (China's make-up working days, Russia's transferred Saturdays: ``weekend_workdays``);
5. otherwise the weekly spans, replaced by a reduced-hours range's spans (Ramadan) on open days.

The team's normal day is the weekly spans most of its open weekdays share. Each calendar works
out a whole year of days at once, the first time a clock touches that year, and keeps it.
Each span boundary is converted to UTC on its own day, so 09:00-17:00 stays eight hours on the day
the clocks change, while a span that straddles the change lasts as long as it really did.

A span opens the first moment the wall clock reads its start and closes the first moment it reads
its end: an ambiguous wall time means its first occurrence (fold=0), and a wall time the clocks
skip means the moment they jump. Later wall times therefore never map to earlier instants and spans
never overlap. Spans are half-open: nothing is open at closing time, yet an SLA may fall due
exactly then, because that is when its last business minute has elapsed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

# (opens, closes) on the local wall clock; closes=None means midnight at the end of the day.
type Span = tuple[time, time | None]

ONE_DAY = timedelta(days=1)
MIDNIGHT = time()
NOTHING = timedelta()


def _sorted_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Order a day's spans, refusing ones that would count time twice or run backwards."""
    ordered = tuple(sorted(spans, key=lambda span: span[0]))
    previous_close: time | None = MIDNIGHT
    for opens, closes in ordered:
        if opens.tzinfo is not None or (closes is not None and closes.tzinfo is not None):
            raise ValueError("Working hours are local wall-clock times, without a time zone.")
        if closes is not None and closes <= opens:
            raise ValueError(
                f"A span must close after it opens ({opens}-{closes}); use None for 24:00."
            )
        if previous_close is None or opens < previous_close:
            raise ValueError(f"Working hours overlap at {opens}.")
        previous_close = closes
    return ordered


def _normal_day(weekly: tuple[tuple[Span, ...], ...]) -> tuple[Span, ...]:
    """The spans most open weekdays share; among equally common ones, the earliest weekday's."""
    open_days = [spans for spans in weekly if spans]
    if not open_days:
        return ()
    return max(open_days, key=open_days.count)


@dataclass(frozen=True)
class BusinessCalendar:
    """When one team's SLA clocks run.

    ``weekly[0]`` holds Monday's spans, ``weekly[6]`` Sunday's. Spans never cross midnight: an
    overnight shift is a span ending at ``None`` plus one starting at 00:00 the next day.
    Holidays are looked up per year on demand, so a clock can run into any year.
    """

    time_zone: str
    weekly: tuple[tuple[Span, ...], ...]
    closed_dates: frozenset[date] = frozenset()
    holiday_country: str | None = None
    holiday_subdiv: str | None = None
    # Days a manager made working: date -> spans, empty for the team's normal day.
    working_dates: tuple[tuple[date, tuple[Span, ...]], ...] = ()
    # Reduced hours: (first day, last day, spans) replacing the weekly spans on open days.
    reduced: tuple[tuple[date, date, tuple[Span, ...]], ...] = ()
    zone: ZoneInfo = field(init=False, repr=False, compare=False)
    normal_day: tuple[Span, ...] = field(init=False, repr=False, compare=False)
    # year -> each day's open intervals in UTC, index 0 being 1 January: filled on first use.
    _years: dict = field(init=False, repr=False, compare=False, default_factory=dict)
    _working: dict = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        try:
            zone = ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"Unknown time zone {self.time_zone!r}.") from exc
        if len(self.weekly) != 7:
            raise ValueError("Working hours need exactly seven weekdays, Monday first.")
        object.__setattr__(self, "zone", zone)
        object.__setattr__(self, "weekly", tuple(_sorted_spans(spans) for spans in self.weekly))
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        working = {}
        for day, spans in self.working_dates:
            if day in self.closed_dates or day in working:
                raise ValueError(f"{day} is listed twice among closed and working days.")
            working[day] = _sorted_spans(spans)
        object.__setattr__(self, "working_dates", tuple(sorted(working.items())))
        object.__setattr__(self, "_working", working)
        reduced = []
        for first, last, spans in sorted(self.reduced):
            if last < first:
                raise ValueError(f"A reduced-hours range ends before it starts ({first}-{last}).")
            if not spans:
                raise ValueError("A reduced-hours range needs hours; add closed dates instead.")
            if reduced and first <= reduced[-1][1]:
                raise ValueError(f"Reduced-hours ranges overlap at {first}.")
            reduced.append((first, last, _sorted_spans(spans)))
        object.__setattr__(self, "reduced", tuple(reduced))
        object.__setattr__(self, "normal_day", _normal_day(self.weekly))
        if self.holiday_country is not None:
            try:
                holidays.country_holidays(self.holiday_country, subdiv=self.holiday_subdiv)
            except NotImplementedError as exc:
                raise ValueError(str(exc)) from exc
        elif self.holiday_subdiv is not None:
            raise ValueError("A holiday subdivision needs a holiday country.")

    @classmethod
    def from_hours(
        cls,
        time_zone: str,
        hours: Mapping[int, Iterable[Span]],
        *,
        holiday_country: str | None = None,
        holiday_subdiv: str | None = None,
        closed_dates: Iterable[date] = (),
        working_dates: Mapping[date, Iterable[Span]] | None = None,
        reduced: Iterable[tuple[date, date, Iterable[Span]]] = (),
    ) -> BusinessCalendar:
        """Build from spans keyed by weekday (0=Monday) as a team stores them; absent days close."""
        unknown = set(hours) - set(range(7))
        if unknown:
            raise ValueError(f"Weekdays run from 0 (Monday) to 6 (Sunday), not {sorted(unknown)}.")
        return cls(
            time_zone=time_zone,
            weekly=tuple(tuple(hours.get(weekday, ())) for weekday in range(7)),
            closed_dates=frozenset(closed_dates),
            holiday_country=holiday_country,
            holiday_subdiv=holiday_subdiv,
            working_dates=tuple(
                (day, tuple(spans)) for day, spans in (working_dates or {}).items()
            ),
            reduced=tuple((first, last, tuple(spans)) for first, last, spans in reduced),
        )

    def is_closed(self, day: date) -> bool:
        """Whether a local date is a holiday or an extra closed date, whatever its weekday (a
        working day the manager added on a holiday still opens it: see ``hours_on``)."""
        if day in self.closed_dates:
            return True
        if self.holiday_country is None:
            return False
        return day in _public_holidays(self.holiday_country, self.holiday_subdiv, day.year)

    def hours_on(self, day: date) -> tuple[Span, ...]:
        """A local date's working spans on the wall clock, by the rules of the module docstring."""
        if day in self.closed_dates:
            return ()
        if day in self._working:
            return self._working[day] or self._reduce(day, self.normal_day)
        if self.is_closed(day):
            return ()
        weekly = self.weekly[day.weekday()]
        if (
            not weekly
            and self.holiday_country is not None
            and day in _weekend_workdays(self.holiday_country, self.holiday_subdiv, day.year)
        ):
            weekly = self.normal_day
        return self._reduce(day, weekly) if weekly else ()

    def _reduce(self, day: date, spans: tuple[Span, ...]) -> tuple[Span, ...]:
        for first, last, reduced in self.reduced:
            if first <= day <= last:
                return reduced
        return spans

    def year_intervals(self, year: int) -> tuple[tuple[tuple[datetime, datetime], ...], ...]:
        """Each day of ``year``'s open intervals in UTC (index 0 is 1 January), built once."""
        table = self._years.get(year)
        if table is None:
            day, table = date(year, 1, 1), []
            while day.year == year:
                table.append(tuple(_utc_intervals(self.zone, day, self.hours_on(day))))
                day += ONE_DAY
            table = self._years[year] = tuple(table)
        return table


# Callers measuring plain calendar time can reuse the business-time code paths with this.
CALENDAR_TIME = BusinessCalendar(time_zone="UTC", weekly=(((MIDNIGHT, None),),) * 7)


def add_business_minutes(calendar: BusinessCalendar, start: datetime, minutes: int) -> datetime:
    """The instant (UTC) when ``minutes`` business minutes have elapsed since ``start``.

    Counting begins at the next opening when ``start`` is outside working hours, so zero minutes
    gives ``start`` itself when open and the next opening otherwise. The result may be a closing
    time, never an instant after one.
    """
    if minutes < 0:
        raise ValueError(f"An SLA target cannot be negative ({minutes} minutes).")
    if not any(calendar.weekly):
        raise ValueError("This calendar has no working hours, so its clocks never run.")
    start = _as_utc(start)
    remaining = timedelta(minutes=minutes)
    day = _local_date(calendar, start)
    while True:
        for opens, closes in _day_spans(calendar, day):
            if closes <= start:
                continue
            begin = max(opens, start)
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
        day += ONE_DAY


def next_opening(calendar: BusinessCalendar, instant: datetime) -> datetime:
    """The first open instant (UTC) at or after ``instant``: ``instant`` itself when open."""
    return add_business_minutes(calendar, instant, 0)


def is_open(calendar: BusinessCalendar, instant: datetime) -> bool:
    """Whether SLA clocks run at ``instant``; closing time itself is not open."""
    instant = _as_utc(instant)
    day = _local_date(calendar, instant)
    return any(opens <= instant < closes for opens, closes in _day_spans(calendar, day))


def business_time_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Exact business time elapsed from ``start`` to ``end``; nothing if ``end`` is not later."""
    start, end = _as_utc(start), _as_utc(end)
    elapsed = NOTHING
    day, last = _local_date(calendar, start), _local_date(calendar, end)
    while day <= last:
        for opens, closes in _day_spans(calendar, day):
            elapsed += max(NOTHING, min(closes, end) - max(opens, start))
        day += ONE_DAY
    return elapsed


def business_minutes_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    """Whole business minutes elapsed, rounded down, so a clock never shows a minute early."""
    return business_time_between(calendar, start, end) // timedelta(minutes=1)


@lru_cache(maxsize=512)
def _public_holidays(country: str, subdiv: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdiv, years=year))


@lru_cache(maxsize=512)
def _weekend_workdays(country: str, subdiv: str | None, year: int) -> frozenset[date]:
    """The country's weekend days that are working days in ``year``.

    The package records a transferred working day while building the year whose day off it pays
    for, which may be the year before or after, so three years are built and one kept.
    """
    calendar = holidays.country_holidays(country, subdiv=subdiv, years=(year - 1, year, year + 1))
    return frozenset(day for day in calendar.weekend_workdays if day.year == year)


def weekend_workdays(country: str, subdiv: str | None, year: int) -> list[date]:
    """A country's working weekend days of one year, in order (for showing them to a manager)."""
    return sorted(_weekend_workdays(country, subdiv or None, year))


def _day_spans(calendar: BusinessCalendar, day: date) -> tuple[tuple[datetime, datetime], ...]:
    """One local day's open intervals in UTC, from the calendar's table of the year."""
    return calendar.year_intervals(day.year)[day.timetuple().tm_yday - 1]


def _utc_intervals(
    zone: ZoneInfo, day: date, spans: Iterable[Span]
) -> list[tuple[datetime, datetime]]:
    """Local spans of one day in UTC, empty ones (inside a DST gap) dropped."""
    intervals = []
    for opens, closes in spans:
        begin = _to_utc(zone, day, opens)
        if closes is None:
            end = _to_utc(zone, day + ONE_DAY, MIDNIGHT)
        else:
            end = _to_utc(zone, day, closes)
        if begin < end:
            intervals.append((begin, end))
    return intervals


def _to_utc(zone: ZoneInfo, day: date, wall: time) -> datetime:
    """Resolve a wall time as the module docstring says, keeping the mapping monotonic."""
    local = datetime.combine(day, wall, tzinfo=zone)
    if local.replace(fold=1).utcoffset() > local.utcoffset():  # true only of skipped times
        return _clock_jump(local, zone)
    return local.astimezone(UTC)


def _clock_jump(skipped: datetime, zone: ZoneInfo) -> datetime:
    """The instant the clocks jumped over ``skipped``, found by bisection.

    zoneinfo does not expose transitions. This one falls on a whole second between the readings
    of ``skipped`` under the offset after the jump (fold=1) and the one before it (fold=0).
    """
    offset_after = skipped.replace(fold=1).utcoffset()
    before_jump = math.floor(skipped.replace(fold=1).timestamp())
    after_jump = math.ceil(skipped.timestamp())
    while after_jump - before_jump > 1:
        middle = (before_jump + after_jump) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == offset_after:
            after_jump = middle
        else:
            before_jump = middle
    return datetime.fromtimestamp(after_jump, UTC)


def _local_date(calendar: BusinessCalendar, instant: datetime) -> date:
    return instant.astimezone(calendar.zone).date()


def _as_utc(instant: datetime) -> datetime:
    if instant.utcoffset() is None:
        raise ValueError("Business time needs aware datetimes; got a naive one.")
    return instant.astimezone(UTC)
