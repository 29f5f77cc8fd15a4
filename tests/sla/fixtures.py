"""Ten handoffs with known response times, the report tests' hand-computed fixture."""

from datetime import UTC, date, datetime

from reports.breaches import BreachFilters
from sla.business_time import add_business_minutes
from sla.calendars import default_calendar
from sla.models import Step
from sla.services import start_clocks, stop_clock
from tests.factories import ChannelFactory, LeadFactory
from tests.sla.factories import HandoffFactory, TeamFactory

WEEK_START = date(2026, 11, 16)
MONDAY_9 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)

# (team, rep, channel, business minutes to first touch, to accept or return; None: still open)
ROWS = [
    ("A", "rep1", "X", 30, 120),
    ("A", "rep1", "X", 60, 300),
    ("A", "rep1", "Y", 300, 600),
    ("A", "rep2", "Y", 90, None),
    ("A", "rep2", "X", 240, 480),
    ("B", "rep2", "X", 10, 20),
    ("B", "rep2", "Y", 500, 500),
    ("B", "rep1", "X", 120, 200),
    ("B", "rep1", "Y", 45, None),
    ("B", "rep1", "X", 250, 470),
]


def build(reps: dict) -> dict:
    """Create the handoffs; `reps` maps rep1/rep2 to users. Returns teams and channels by name."""
    teams = {name: TeamFactory(name=f"Team {name}") for name in "AB"}
    channels = {name: ChannelFactory(name=f"Channel {name}", slug=f"ch-{name}") for name in "XY"}
    calendar = default_calendar()
    for team, rep, channel, first_touch, accept in ROWS:
        handoff = HandoffFactory(
            team=teams[team],
            assignee=reps[rep],
            lead=LeadFactory(channel=channels[channel], stage="mql"),
            created_at=MONDAY_9,
        )
        start_clocks(handoff=handoff, now=MONDAY_9)
        stop_clock(
            handoff=handoff,
            step=Step.FIRST_TOUCH,
            now=add_business_minutes(calendar, MONDAY_9, first_touch),
        )
        if accept is not None:
            handoff.outcome = "returned"
            stop_clock(
                handoff=handoff,
                step=Step.ACCEPT_OR_RETURN,
                now=add_business_minutes(calendar, MONDAY_9, accept),
            )
    # The week before: outside the period the tests ask for.
    earlier = HandoffFactory(team=teams["A"], created_at=datetime(2026, 11, 9, 9, tzinfo=UTC))
    start_clocks(handoff=earlier, now=earlier.created_at)
    return {"teams": teams, "channels": channels}


def week(**kwargs) -> BreachFilters:
    return BreachFilters(start=WEEK_START, end=date(2026, 11, 22), **kwargs)
