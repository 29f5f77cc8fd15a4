"""The demo's sales team: its two teams, and how its reps and account executive work a handoff
from the queue to a won or lost opportunity, through the handoff services, at the moments the
demo's history replays (pages/demo/history.py).

Each step happens in the team's business hours, after a delay drawn as a share of the SLA target
it runs against (log-normal, so most steps are on time and the slow tail breaches), and schedules
the next one. Each pass through the queue draws from its own seeded random numbers, so the same
leads get the same story on every fresh demo.
"""

import math
import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from handoff import services
from handoff.models import Handoff, Opportunity, Outcome
from handoff.services.handoffs import ACCEPTANCE_CHECKS
from leads.models import Channel, Stage
from sla.business_time import add_business_minutes
from sla.calendars import calendar_for_team
from sla.models import Clock, Step
from sla.services import advance_clocks
from teams.models import AssignmentMode, Team, TeamMember

# name -> (assignment mode, channel slugs, default?, [(username, weight, cap)])
TEAMS = {
    "Inbound EMEA": (
        AssignmentMode.ROUND_ROBIN,
        ["website-form", "ebook", "paid-search", "webinar"],
        True,
        [("sdr", 2, 8), ("sdr2", 1, 8)],
    ),
    "APAC events": (AssignmentMode.POOL, ["trade-show", "referral"], False, [("sdr2", 1, None)]),
}
SEED = 20261125
# A deal is priced in the currency of the lead's country (scaled to about the same worth), else
# in euros, so the pipeline report has several currencies to add up.
DEAL_CURRENCIES = {
    "TH": ("THB", 40),
    "CN": ("CNY", 8),
    "RU": ("RUB", 100),
    "AE": ("AED", 4),
    "US": ("USD", 1),
}
BUSINESS_DAY = 8 * 60
# The team got faster over the weeks (the breach trend tells it), and one rep is quicker than
# the other (the breach report by rep tells that): a multiplier of every delay, by how many
# weeks ago the handoff opened, and by rep.
PACE_BY_WEEKS_AGO = [0.7, 0.75, 0.85, 0.95, 1.0, 1.15, 1.3, 1.45]
REP_PACE = {"sdr": 0.85, "sdr2": 1.25}
# What becomes of a handoff in the queue, and of a SAL: (what, chance).
QUEUE_DECISIONS = [("accept", 0.6), ("return", 0.35), ("disqualify", 0.05)]
SAL_DECISIONS = [("promote", 0.55), ("return", 0.33), ("disqualify", 0.12)]
# (code, weight) of the default reasons (handoff.reasons).
RETURN_REASONS = [
    ("not_reachable", 30),
    ("wrong_person", 20),
    ("no_fit", 18),
    ("bad_timing", 15),
    ("duplicate", 7),
    ("student_or_competitor", 5),
    ("other", 5),
]
SAL_RETURN_REASONS = [("bad_timing", 40), ("no_fit", 30), ("wrong_person", 20), ("other", 10)]
DISQUALIFY_REASONS = [("junk", 50), ("duplicate", 30), ("competitor", 20)]
OTHER_NOTES = [
    "Asked us to call back after their merger closes.",
    "Already buys through one of our partners.",
    "Their parent company decides; we have the contact now.",
]
LOST_REASONS = [
    "Chose a competitor on price.",
    "No budget this year.",
    "Went quiet after the proposal.",
    "Building it in-house.",
]
TOUCH_CHANNELS = ["call", "call", "email", "social", "meeting"]
WON_SHARE = 0.5


def seed_teams() -> dict[str, Team]:
    users = {user.username: user for user in get_user_model().objects.all()}
    teams = {}
    for name, (mode, channel_slugs, is_default, members) in TEAMS.items():
        team, created = Team.objects.get_or_create(
            name=name, defaults={"mode": mode, "is_default": is_default}
        )
        if created:
            team.manager = users.get("manager")
            team.save(update_fields=["manager"])
            team.channels.set(Channel.objects.filter(slug__in=channel_slugs))
        for username, weight, cap in members:
            if username in users:
                TeamMember.objects.get_or_create(
                    team=team, user=users[username], defaults={"weight": weight, "cap": cap}
                )
        teams[name] = team
    return teams


def _pick(luck: random.Random, weighted: list[tuple[str, float]]) -> str:
    return luck.choices([what for what, _ in weighted], [weight for _, weight in weighted])[0]


def _share(luck: random.Random, median: float, spread: float) -> float:
    """A log-normal share of a target: half of the steps take less than `median` of it."""
    return luck.lognormvariate(math.log(median), spread)


class SalesFloor:
    """What the demo's people do with each handoff opened in the history, one step at a time:
    each step runs at its moment of the replay (`replay.at`) and schedules the next."""

    def __init__(self, *, replay, now: datetime):
        self.replay = replay
        self.now = now
        self.users = {user.username: user for user in get_user_model().objects.all()}
        self.luck: dict[int, random.Random] = {}
        self.scans: set[datetime] = set()

    def opened(self, handoff: Handoff, at: datetime) -> None:
        """Plan the queue's work on a handoff that has just opened: a first touch, then a
        decision, each after a share of its clock's target."""
        passes = Handoff.objects.filter(lead_id=handoff.lead_id).count()
        luck = self.luck[handoff.pk] = random.Random(f"{SEED}:{handoff.lead.email}:{passes}")
        pace = self._pace(at, self._rep(handoff))
        clocks = {clock.step: clock for clock in Clock.objects.filter(handoff=handoff)}
        first_touch = clocks[Step.FIRST_TOUCH].target_minutes
        touch = first_touch * _share(luck, 0.55 * pace, 0.8)
        if luck.random() < 0.04:  # forgotten until the breach was escalated
            touch *= luck.uniform(4, 12)
        decide = max(touch + luck.uniform(5, 90), BUSINESS_DAY * _share(luck, 0.5 * pace, 0.6))
        for step, took, action in (
            (Step.FIRST_TOUCH, touch, self.first_touch),
            (Step.ACCEPT_OR_RETURN, decide, self.decide),
        ):
            done = self._after(handoff, at, took)
            self.replay.at(done, action, handoff.pk)
            self._watch(clocks[step], done)

    def first_touch(self, at: datetime, handoff_id: int) -> None:
        handoff = Handoff.objects.get(pk=handoff_id)
        if handoff.is_open:
            luck = self.luck[handoff_id]
            services.log_first_touch(
                handoff=handoff,
                user=self._rep(handoff),
                channel=luck.choice(TOUCH_CHANNELS),
                now=at,
            )

    def decide(self, at: datetime, handoff_id: int) -> None:
        handoff = Handoff.objects.select_related("lead").get(pk=handoff_id)
        if not handoff.is_open:
            return
        luck, rep = self.luck[handoff_id], self._rep(handoff)
        decision = _pick(luck, QUEUE_DECISIONS)
        if decision == "return":
            self._return(handoff, rep, luck, RETURN_REASONS, Stage.MQL, at)
        elif decision == "disqualify":
            services.disqualify_handoff(
                handoff=handoff, user=rep, reason=_pick(luck, DISQUALIFY_REASONS), now=at
            )
        else:
            checks = dict.fromkeys(ACCEPTANCE_CHECKS, True)
            services.accept_handoff(handoff=handoff, user=rep, checklist=checks, now=at)
            took = 10 * BUSINESS_DAY * _share(luck, 0.3 * self._pace(at, rep), 0.7)
            decision = _pick(luck, SAL_DECISIONS)
            if decision == "promote":
                # The rep learns the answers on the way to the decision.
                self.replay.at(self._after(handoff, at, took * 0.6), self.qualify, handoff_id)
            done = self._after(handoff, at, took)
            self.replay.at(done, self.end_sal, handoff_id, decision)
            self._watch(Clock.objects.get(handoff=handoff, step=Step.SQL_DECISION), done)

    def qualify(self, at: datetime, handoff_id: int) -> None:
        handoff = Handoff.objects.select_related("lead", "assignee").get(pk=handoff_id)
        if handoff.lead.stage != Stage.SAL:
            return
        luck = self.luck[handoff_id]
        budget = Decimal(luck.randrange(10, 120) * 1000)
        services.save_qualification(
            lead=handoff.lead,
            user=handoff.assignee,
            changes={
                "budget_known": True,
                "budget_amount": budget,
                "budget_currency": "EUR",
                "authority": luck.choice(["decision_maker", "influencer"]),
                "need": "Leads fall between marketing and sales.",
                "timeline_quarter": f"{at.year + 1}-Q{luck.randint(1, 4)}",
                "buying_cycle": True,
                "influencer": True,
                "timeframe_known": True,
                "size_known": True,
                "next_step_permission": True,
                "next_step": "Demo with the operations team",
                "next_step_date": (at + timedelta(days=7)).date(),
            },
        )

    def end_sal(self, at: datetime, handoff_id: int, decision: str) -> None:
        """The SAL-to-SQL decision: promote to SQL, or hand back or rule out with a reason."""
        handoff = Handoff.objects.select_related("lead", "assignee").get(pk=handoff_id)
        if handoff.outcome != Outcome.ACCEPTED or handoff.lead.stage != Stage.SAL:
            return
        luck, rep = self.luck[handoff_id], handoff.assignee
        if decision == "return":
            self._return(handoff, rep, luck, SAL_RETURN_REASONS, Stage.SAL, at)
        elif decision == "disqualify":
            services.disqualify_handoff(
                handoff=handoff,
                user=rep,
                reason=_pick(luck, DISQUALIFY_REASONS),
                expected_from=Stage.SAL,
                now=at,
            )
        else:
            services.promote_to_sql(
                lead=handoff.lead, user=rep, account_executive=self.users["ae"], now=at
            )
            if luck.random() < 0.85:
                took = luck.uniform(0.5, 4) * BUSINESS_DAY
                self.replay.at(self._after(handoff, at, took), self.open_opportunity, handoff_id)

    def open_opportunity(self, at: datetime, handoff_id: int) -> None:
        handoff = Handoff.objects.select_related("lead", "assignee").get(pk=handoff_id)
        lead = handoff.lead
        if lead.stage != Stage.SQL:
            return
        luck = self.luck[handoff_id]
        cycle = timedelta(days=luck.randint(5, 21))
        currency, scale = DEAL_CURRENCIES.get(lead.country.code, ("EUR", 1))
        opportunity = services.open_opportunity(
            lead=lead,
            user=handoff.assignee,
            name=f"{lead.organization} — Accord rollout",
            amount=Decimal(luck.randrange(8, 90) * 1000 * scale),
            currency=currency,
            expected_close_date=(at + cycle).date(),
            owner=self.users["ae"],
        )
        closed = "won" if luck.random() < WON_SHARE else "lost"
        for share, stage in ((1 / 3, "proposal"), (luck.uniform(0.7, 1.2), closed)):
            moment = at + cycle * share
            self.replay.at(moment, self.move_opportunity, handoff_id, opportunity, stage)

    def move_opportunity(
        self, at: datetime, handoff_id: int, opportunity: Opportunity, stage: str
    ) -> None:
        """The account executive moves the opportunity on: to a proposal, then won or lost."""
        opportunity.refresh_from_db()
        if opportunity.is_closed:
            return
        luck = self.luck[handoff_id]
        lost_reason = luck.choice(LOST_REASONS) if stage == "lost" else ""
        services.update_opportunity(
            opportunity=opportunity,
            user=self.users["ae"],
            changes={"stage": stage},
            lost_reason=lost_reason,
        )

    def scan(self, at: datetime) -> None:
        """The worker's SLA scan, at the moment a clock turns at risk or breaches."""
        advance_clocks(now=at)

    def _return(self, handoff, rep, luck, reasons, expected_from, at) -> None:
        reason = _pick(luck, reasons)
        services.return_handoff(
            handoff=handoff,
            user=rep,
            reason=reason,
            note=luck.choice(OTHER_NOTES) if reason == "other" else "",
            expected_from=expected_from,
            now=at,
        )

    def _watch(self, clock: Clock, done: datetime) -> None:
        """Scan when the clock turns at risk and when it is due, as the every-minute scan
        would have, if its step is not done by then: the scan warns the rep, or marks the
        breach and escalates it. (Scanning every minute of eight weeks would take hours.)"""
        for moment in (clock.at_risk_at, clock.due_at):
            if moment < done and moment not in self.scans:
                self.scans.add(moment)
                self.replay.at(moment, self.scan)

    def _rep(self, handoff: Handoff):
        """Whoever has the handoff; a pooled one is worked by the first rep of its team."""
        if handoff.assignee_id is not None:
            return handoff.assignee
        member = TeamMember.objects.filter(team_id=handoff.team_id).order_by("pk").first()
        return member.user if member else self.users["manager"]

    def _pace(self, at: datetime, rep) -> float:
        weeks_ago = min(len(PACE_BY_WEEKS_AGO) - 1, (self.now - at).days // 7)
        return PACE_BY_WEEKS_AGO[weeks_ago] * REP_PACE.get(rep.username, 1.0)

    def _after(self, handoff: Handoff, start: datetime, minutes: float) -> datetime:
        """`minutes` business minutes after `start` in the handoff's team's hours."""
        calendar = calendar_for_team(handoff.team_id)
        return add_business_minutes(calendar, start, max(1, round(minutes)))
