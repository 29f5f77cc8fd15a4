"""Reading clocks: how a clock reads in the queue, and clocks for many handoffs at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sla.business_time import business_time_between, is_open
from sla.calendars import calendars_for_teams
from sla.models import Clock, ClockState, Counting, Step
from sla.policies import TimedHandoff
from sla.services import calendar_for


@dataclass(frozen=True)
class ClockDisplay:
    state: str
    label: str
    text: str
    # When a running clock is due (shown in the reader's zone); None once it stopped.
    due_at: datetime | None = None

    @property
    def css_state(self) -> str:
        """The queue's colour names: a running clock is on time."""
        return "on_time" if self.state == ClockState.RUNNING else self.state


# A business day as targets are written ("SQL decision within 10 business days"): the eight
# hours of the default calendar (sla/defaults.py).
BUSINESS_DAY_MINUTES = 8 * 60
CALENDAR_DAY_MINUTES = 24 * 60


def format_duration(span: timedelta, counting: str | None = None) -> str:
    """'2h 10m', '45m': hours and minutes, as a rep reads a deadline. Given the clock's counting,
    a span of a day or more reads in days of that counting ('10 business days', '2 days 3h')."""
    minutes = max(0, int(span.total_seconds() // 60))
    if counting is not None:
        business = counting == Counting.BUSINESS
        days, rest = divmod(minutes, BUSINESS_DAY_MINUTES if business else CALENDAR_DAY_MINUTES)
        if days:
            in_days = (
                ngettext("%(days)d business day", "%(days)d business days", days)
                if business
                else ngettext("%(days)d day", "%(days)d days", days)
            ) % {"days": days}
            if rest // 60:
                return _("%(days)s %(hours)dh") % {"days": in_days, "hours": rest // 60}
            return in_days
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(hours)dh %(minutes)dm") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)dh") % {"hours": hours}
    return _("%(minutes)dm") % {"minutes": minutes}


def start_of_day(now: datetime) -> datetime:
    """Midnight of `now`'s date in the current time zone (the reader's, see ReaderMiddleware):
    where "breached today" starts."""
    return datetime.combine(timezone.localdate(now), time(), tzinfo=timezone.get_current_timezone())


def _calendar(clock: Clock):
    calendar = getattr(clock, "calendar", None)
    if calendar is None:
        calendar = calendar_for(clock.counting, clock.handoff.team_id)
    return calendar


def clock_state(clock: Clock, now: datetime) -> str:
    """The state at `now`, without waiting for the next scan to write it."""
    if clock.stopped_at is not None:
        return clock.state
    if now >= clock.due_at:
        return ClockState.BREACHED
    if now >= clock.at_risk_at:
        return ClockState.AT_RISK
    return ClockState.RUNNING


def clock_display(clock: Clock, now: datetime) -> ClockDisplay:
    """Time left (or overdue) in the clock's own terms, e.g. '2h 10m left, business hours'."""
    state = clock_state(clock, now)
    label = str(ClockState(state).label)
    if clock.stopped_at is not None:
        took = format_duration(timedelta(minutes=clock.elapsed_minutes or 0), clock.counting)
        if state == ClockState.MET:
            return ClockDisplay(state, label, _("met in %(took)s") % {"took": took})
        return ClockDisplay(state, label, _("late, took %(took)s") % {"took": took})
    counting = _("business hours") if clock.counting == Counting.BUSINESS else _("calendar time")
    calendar = _calendar(clock)
    if state == ClockState.BREACHED:
        overdue = business_time_between(calendar, clock.due_at, now)
        if overdue < timedelta(minutes=1) and not is_open(calendar, now):
            # Due at closing time and looked at before the next opening.
            return ClockDisplay(state, label, _("breached at closing time"))
        return ClockDisplay(
            state,
            label,
            _("breached %(overdue)s ago, %(counting)s")
            % {"overdue": format_duration(overdue, clock.counting), "counting": counting},
            clock.due_at,
        )
    left = format_duration(business_time_between(calendar, now, clock.due_at), clock.counting)
    return ClockDisplay(
        state,
        label,
        _("%(left)s left, %(counting)s") % {"left": left, "counting": counting},
        clock.due_at,
    )


def attach_calendars(clocks: Iterable[Clock]) -> list[Clock]:
    """Give each loaded clock (with its handoff) its calendar, in a fixed number of queries."""
    clocks = list(clocks)
    calendars = calendars_for_teams({clock.handoff.team_id for clock in clocks})
    for clock in clocks:
        if clock.counting == Counting.CALENDAR:
            clock.calendar = calendar_for(Counting.CALENDAR, None)
        else:
            clock.calendar = calendars[clock.handoff.team_id]
    return clocks


def with_calendars(clocks) -> list[Clock]:
    return attach_calendars(clocks.select_related("policy", "handoff"))


def clocks_for_handoffs(handoffs: Iterable[TimedHandoff]) -> dict[int, dict[str, Clock]]:
    """{handoff id: {step: clock}}: the queue's clocks, whatever the number of rows; each clock
    gets the handoff already loaded rather than a second copy of it."""
    by_id = {handoff.pk: handoff for handoff in handoffs}
    found: dict[int, dict[str, Clock]] = {}
    # A handoff just decided holds its clocks as the decision wrote them (sla.services).
    held = [handoff for handoff in by_id.values() if hasattr(handoff, "clocks_as_written")]
    for handoff in held:
        found[handoff.pk] = {clock.step: clock for clock in handoff.clocks_as_written}
        del by_id[handoff.pk]
    if not by_id:
        return found
    clocks = list(Clock.objects.filter(handoff_id__in=list(by_id)).select_related("policy"))
    for clock in clocks:
        clock.handoff = by_id[clock.handoff_id]
    for clock in attach_calendars(clocks):
        found.setdefault(clock.handoff_id, {})[clock.step] = clock
    return found


def queue_clock(clocks: dict[str, Clock]) -> Clock | None:
    """The clock a rep is racing: the running one due soonest, else the accept-or-return one."""
    running = [clock for clock in clocks.values() if clock.stopped_at is None]
    if running:
        return min(running, key=lambda clock: clock.due_at)
    return clocks.get(Step.ACCEPT_OR_RETURN)
