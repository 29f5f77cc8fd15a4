"""The demo's past, and today's queue.

Eight weeks in which demo leads showed intent (asked for a demo, downloaded an ebook and asked to
be contacted, ...), became MQLs under the agreement in force and went through the queue to SAL,
SQL and opportunities won or lost, or back to marketing with a reason. It is replayed through the
real services with the clock stopped at each moment (time-machine): every `timezone.now()` they
read is that moment, so the stage history, funnel passes, handoff events, SLA clocks,
notifications and audit rows agree with each other, and every report has weeks to show on the
first visit. Then today: a few leads that qualified in the last business hours wait in the queue,
on time, at risk and breached.

Written once, when the demo has no handoff yet, and the same on every fresh demo but for `now`.
"""

import heapq
import itertools
import random
from datetime import datetime, timedelta

import time_machine
from django.contrib.auth import get_user_model

from handoff.models import Handoff, Outcome
from leads.activities import NewActivity, store_activities
from leads.models import ActivityKind, Lead
from notifications.models import Notification
from notifications.services import mark_read
from pages.demo.handoff import SalesFloor
from pages.demo.leads import DEMO_SOURCE, DEMO_USERS
from scoring.models import Agreement, AgreementStatus
from scoring.services import rescore_leads
from sla.business_time import BusinessCalendar, business_time_between
from sla.calendars import calendar_for_team
from teams.models import Team

WEEKS = 8
SEED = 20261125
# The share of leads that show intent, how many days after arriving on average, and the share
# of them that show it again weeks later (a lead sales returned then comes back to the queue).
INTERESTED = 0.85
DAYS_TO_INTEREST = 8
INTERESTED_AGAIN = 0.2
EBOOK = {"asset_type": "ebook"}
# What a lead does when it means it, each enough for the starter agreement's threshold (15
# points) on its own, the last activity being the one that tips it. The first two ask to talk
# to sales, which makes the lead hot: its first touch is due in 15 business minutes, not 4 hours.
ASKED_FOR_A_DEMO = ((ActivityKind.DEMO_REQUEST, {}),)
INTENTS = [
    ASKED_FOR_A_DEMO,
    ((ActivityKind.CONTENT_DOWNLOAD, EBOOK), (ActivityKind.CONTACT_REQUEST, {})),
    ((ActivityKind.WEBINAR_ATTENDED, {"minutes": 45}), (ActivityKind.TRADE_SHOW_CONVERSATION, {})),
    ((ActivityKind.CONTENT_DOWNLOAD, EBOOK),) * 3,
]
READ_THREE_EBOOKS = INTENTS[-1]
# Today's queue in the team's hours: (business minutes ago the lead qualified, what it did). A
# hot lead's first touch is due in 15 business minutes (at risk from the 12th), another's in 4
# hours (at risk from the 3rd): at risk, on time, two breached, on time, at risk, on time. The
# two breached ones are assigned one after the other, and round-robin (weights 2 and 1) never
# skips the first rep twice running: the demo's "sdr" has a breached lead on top of the queue.
TODAY_TEAM = "Inbound EMEA"
TODAY = [
    (200, READ_THREE_EBOOKS),
    (120, READ_THREE_EBOOKS),
    (50, ASKED_FOR_A_DEMO),
    (45, ASKED_FOR_A_DEMO),
    (30, READ_THREE_EBOOKS),
    (13, ASKED_FOR_A_DEMO),
    (4, ASKED_FOR_A_DEMO),
]


def seed_history(*, now: datetime) -> bool:
    """Write the demo's past up to `now` and today's queue; False (and nothing written) when
    the demo already has handoffs."""
    if Handoff.objects.exists():
        return False
    start = now - timedelta(weeks=WEEKS)
    _date_the_agreement(start)
    replay = Replay(until=now)
    history = History(replay=replay, now=now)
    history.plan_interest(start)
    history.plan_today()
    replay.run()
    _read_until(now - timedelta(days=1))
    return True


def _date_the_agreement(start: datetime) -> None:
    """The agreement in force (on a fresh install, the starter version its migration published
    a moment ago) was published before the past begins, so the MQL decisions made under it come
    after it."""
    Agreement.objects.filter(status=AgreementStatus.PUBLISHED, published_at__gt=start).update(
        published_at=start, created_at=start
    )


def _read_until(moment: datetime) -> None:
    """The demo's people have read their notifications up to a day ago; newer ones wait."""
    people = get_user_model().objects.filter(username__in=DEMO_USERS)
    for person in people:
        older = Notification.objects.filter(user=person, created_at__lt=moment)
        read = list(older.values_list("pk", flat=True))
        mark_read(user=person, notification_ids=read, now=moment)


class Replay:
    """Things to do at past moments, done in time order with the clock stopped at each.
    Moments after `until` are dropped: what would happen then has not happened yet."""

    def __init__(self, *, until: datetime):
        self.until = until
        self._due: list[tuple] = []
        self._order = itertools.count()

    def at(self, moment: datetime, action, *args) -> None:
        """Call `action(moment, *args)` at `moment`; moments that tie run in the order given."""
        if moment <= self.until:
            heapq.heappush(self._due, (moment, next(self._order), action, args))

    def run(self) -> None:
        while self._due:
            moment, _order, action, args = heapq.heappop(self._due)
            with time_machine.travel(moment, tick=False):
                action(moment, *args)


class History:
    """Marketing's side of the past: when leads show intent and are scored (as ingesting their
    activities would score them), and the sales floor's work on the MQLs that come of it."""

    def __init__(self, *, replay: Replay, now: datetime):
        self.replay = replay
        self.now = now
        self.floor = SalesFloor(replay=replay, now=now)
        self.interested: set[int] = set()

    def plan_interest(self, start: datetime) -> None:
        """Intent of some leads, days to weeks after they arrived (some show it again weeks
        later), between `start` and a day ago. Each intent is scored at its last activity."""
        luck = random.Random(SEED)
        until = self.now - timedelta(days=1)
        activities = []
        for lead in Lead.objects.order_by("pk"):
            if luck.random() >= INTERESTED:
                continue
            moment = lead.created_at + timedelta(days=luck.expovariate(1 / DAYS_TO_INTEREST))
            for occasion in ("first", "again"):
                if not start <= moment < until:
                    break
                self.interested.add(lead.pk)
                intent = _intent(lead, luck.choice(INTENTS), moment, occasion, luck)
                activities += intent
                self.replay.at(moment, self.qualify, lead.pk)
                if luck.random() >= INTERESTED_AGAIN:
                    break
                moment += timedelta(days=luck.uniform(14, 35))
        store_activities(activities, source=DEMO_SOURCE, now=self.now)

    def plan_today(self) -> None:
        """Today's queue: leads of the team that showed no intent in the past qualify the
        business minutes ago TODAY says; nobody has worked them yet."""
        team = Team.objects.get(name=TODAY_TEAM)
        calendar = calendar_for_team(team.pk)
        candidates = list(
            Lead.objects.filter(channel__in=team.channels.all())
            .exclude(pk__in=self.interested)
            .order_by("pk")
        )
        for minutes, intent in TODAY:
            moment = business_minutes_before(calendar, self.now, minutes)
            self.replay.at(moment, self.qualify_today, intent, candidates)

    def qualify(self, at: datetime, lead_id: int) -> None:
        if rescore_leads([lead_id], now=at).moved_to_mql:
            opened = Handoff.objects.select_related("lead").filter(outcome=Outcome.OPEN)
            self.floor.opened(opened.get(lead_id=lead_id), at)

    def qualify_today(self, at: datetime, intent, candidates: list[Lead]) -> None:
        """The next candidate shows the intent; one whose profile or negatives keep it from
        qualifying stays a lead, and the one after it tries."""
        while candidates:
            lead = candidates.pop(0)
            store_activities(_intent(lead, intent, at, "today"), source=DEMO_SOURCE, now=self.now)
            if rescore_leads([lead.pk], now=at).moved_to_mql:
                return


def _intent(
    lead: Lead, intent, moment: datetime, occasion: str, luck: random.Random | None = None
) -> list[NewActivity]:
    """The activities of an intent, the last at `moment` and the others before it (hours to
    days before, or minutes without `luck`), never before the lead arrived."""
    activities = []
    for number, (kind, properties) in enumerate(reversed(intent)):
        activities.append(
            NewActivity(
                lead.pk,
                kind,
                max(lead.created_at, moment),
                lead.channel_id,
                properties,
                f"demo-{occasion}-{lead.email}-{number}",
            )
        )
        moment -= timedelta(hours=luck.uniform(1, 72)) if luck else timedelta(minutes=10)
    return activities


def business_minutes_before(calendar: BusinessCalendar, end: datetime, minutes: int) -> datetime:
    """The latest moment (to the second) from which `minutes` business minutes pass until `end`:
    the inverse of sla.business_time.add_business_minutes, found by halving a month."""
    wanted = timedelta(minutes=minutes)
    early, late = end - timedelta(days=31), end
    while late - early > timedelta(seconds=1):
        middle = early + (late - early) / 2
        if business_time_between(calendar, middle, end) >= wanted:
            early = middle
        else:
            late = middle
    return early
