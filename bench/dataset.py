"""The synthetic data set `manage.py bench` measures against: a year of a growing B2B funnel.

At `--leads N`: N leads created over 12 months with demo-like multilingual profiles; 0-20
activities each (about 10); a fifth of them handed to sales, spread over the year, with their
stage moves, queue events and SLA clocks. N/20 handoffs are open: most entered the queue in the
last ten hours (70% with a rep, the rest in the team pools) and run their first-touch and
accept-or-return clocks (a hot lead's 15-minute first touch has often breached already); one in
twenty has waited for days and breached. With the 3% of leads recently accepted and waiting for
their SQL decision, that is about N/10 running clocks. Leads
never handed over only browse (page views, opens, clicks), and handed-over leads' activity stops
at their MQL move, so the published agreement's stored verdicts agree with their stages (no move
is pending), as they would in production.

Rows are written with COPY on PostgreSQL (executemany on SQLite, the try-it-out database, which
only ever sees the smoke size) in the order a real history would have produced them; `load()`
reads back what the measurements need, so a filled database can be measured again.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from accounts.roles import Role
from bench.copying import Json, Table, bulk_load, next_id, reset_sequences
from handoff.models import ReturnReason
from leads.models import ActivityKind, Channel, Lead, Stage, search_key
from leads.passes import rebuild_passes
from pages.demo import leads as demo
from sla.models import SlaPolicy, Step
from teams.models import AssignmentMode, Team, TeamMember

SDRS = 40
DAYS = 365
OPEN_DAYS = 7
OPEN_HOURS = 10
BUSY_ACTIVITIES = 200
MARKETER = "bench-marketer"
MANAGER = "bench-manager"
SDR_PREFIX = "bench-sdr-"
BUSY_EMAIL = "busy.lead@bench.example"
# What a lead who never talks to sales does: no requests, no ebooks, at most a few clicks.
BROWSING = [
    (ActivityKind.PAGE_VIEW, 45),
    (ActivityKind.EMAIL_OPEN, 30),
    (ActivityKind.EMAIL_CLICK, 10),
    (ActivityKind.WEBINAR_REGISTERED, 5),
    (ActivityKind.CONTENT_DOWNLOAD, 9),
    (ActivityKind.UNSUBSCRIBE, 1),
]
BROWSING_KINDS = [kind.value for kind, _weight in BROWSING]
BROWSING_CUM = list(itertools.accumulate(weight for _kind, weight in BROWSING))
# What a lead does in the weeks before it becomes an MQL.
INTENT = [
    ActivityKind.DEMO_REQUEST.value,
    ActivityKind.CONTACT_REQUEST.value,
    ActivityKind.PRICING_VIEW.value,
    ActivityKind.WEBINAR_ATTENDED.value,
    ActivityKind.TRADE_SHOW_CONVERSATION.value,
]


@dataclass
class Dataset:
    leads: int
    start: datetime
    end: datetime
    sdr_ids: list[int]
    manager_id: int
    marketer_id: int
    team_ids: list[int]
    channel_ids: list[int]
    busy_lead_id: int
    counts: dict[str, int] = field(default_factory=dict)


def load() -> Dataset | None:
    """The data set already in the database, or None when it holds none."""
    User = get_user_model()
    marketer = User.objects.filter(username=MARKETER).first()
    busy = Lead.objects.filter(email=BUSY_EMAIL).values_list("pk", flat=True).first()
    if marketer is None or busy is None:
        return None
    sdrs = list(
        User.objects.filter(username__startswith=SDR_PREFIX)
        .order_by("username")
        .values_list("pk", flat=True)
    )
    end = marketer.date_joined
    return Dataset(
        leads=Lead.objects.filter(pk__lte=busy).count(),
        start=end - timedelta(days=DAYS),
        end=end,
        sdr_ids=sdrs,
        manager_id=User.objects.get(username=MANAGER).pk,
        marketer_id=marketer.pk,
        team_ids=list(
            Team.objects.filter(name__startswith="Bench")
            .order_by("name")
            .values_list("pk", flat=True)
        ),
        channel_ids=list(
            Channel.objects.filter(slug__in=[slug for _name, slug, _kind in demo.CHANNELS])
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        busy_lead_id=busy,
    )


EMPTY = Json("{}")
PROPERTIES = {
    ActivityKind.PAGE_VIEW.value: [Json.of({"url": page}) for page in demo.PAGES],
    ActivityKind.CONTENT_DOWNLOAD.value: [Json.of({"asset_type": "whitepaper"})],
    ActivityKind.WEBINAR_ATTENDED.value: [Json.of({"minutes": m}) for m in (35, 45, 60)],
    ActivityKind.PRICING_VIEW.value: [Json.of({"url": "/pricing"})],
}
CAMPAIGNS = [Json.of({"campaign": c}) for c in ("spring-launch", "q4-webinars", "always-on")]
MQL_CONTEXT = Json.of({"agreement_version": 1})


@functools.cache
def _json(**value) -> Json:
    return Json.of(value)


@functools.cache
def _explanation(score: int) -> Json:
    line = {"id": "demo_request", "rule": "Requested a demo", "points": 15}
    return Json.of({"score": score, "lines": [line]})


def _users(now: datetime) -> tuple[dict, list]:
    User = get_user_model()
    groups = {role: Group.objects.get(name=role) for role in Role.values}

    def user(username, role, first_name):
        person = User(username=username, first_name=first_name, date_joined=now)
        person.set_unusable_password()
        person.save()
        person.groups.add(groups[role])
        return person

    people = {
        "marketer": user(MARKETER, Role.MARKETER, "Maya"),
        "manager": user(MANAGER, Role.MANAGER, "Morgan"),
    }
    sdrs = [user(f"{SDR_PREFIX}{n:02}", Role.SDR, f"Rep {n:02}") for n in range(SDRS)]
    return people, sdrs


def _teams(manager, sdrs, channels) -> list[list]:
    """Two round-robin teams of 20, each covering half the channels; the first is the default."""
    members = []
    half = len(sdrs) // 2
    for number, (reps, covered) in enumerate(
        [(sdrs[:half], channels[:4]), (sdrs[half:], channels[4:])]
    ):
        team = Team.objects.create(
            name=f"Bench team {'AB'[number]}",
            manager=manager,
            mode=AssignmentMode.ROUND_ROBIN,
            is_default=number == 0 and not Team.objects.filter(is_default=True).exists(),
        )
        team.channels.set(covered)
        TeamMember.objects.bulk_create(TeamMember(team=team, user=rep) for rep in reps)
        members.append((team, reps))
    return members


def _minutes(rng: random.Random, median: float) -> float:
    """A response time: log-normal around `median` minutes, as queue waits are."""
    return max(1.0, rng.lognormvariate(math.log(median), 0.9))


@dataclass
class _Writer:
    """Everything one lead's history writes, with the ids its rows refer to."""

    now: datetime
    rng: random.Random
    policies: dict
    reasons: list[tuple[int, str]]
    teams: list
    channel_team: dict
    lead_id: int
    activity_id: int
    handoff_id: int
    tables: dict[str, Table]

    def activity(self, lead_id, kind, at, channel_id, properties, number):
        self.tables["activity"].add(
            self.activity_id,
            lead_id,
            kind,
            at,
            channel_id,
            properties,
            "bench",
            f"b{lead_id}-{number}",
            at,
        )
        self.tables["activity_key"].add("bench", f"b{lead_id}-{number}")
        self.activity_id += 1

    def change(self, lead_id, from_stage, to_stage, at, context=None, actor=None):
        row = (lead_id, from_stage, to_stage, actor, "", context or EMPTY, at)
        self.tables["stagechange"].add(*row)

    def event(self, lead_id, handoff_id, kind, at, actor=None, channel="", data=None):
        self.tables["event"].add(lead_id, handoff_id, kind, actor, channel, "", data or EMPTY, at)

    def clock(self, handoff_id, step, started, *, taken=None, rep=None, score=0):
        """A met or breached clock when `taken` (business minutes) is known, else a running one
        (or a breached one, escalated, when it is already past due: the scan has seen it).
        Returns its due time.

        Due times are spread as business time would spread them (a business minute is about
        three calendar minutes over a working week), without the calendar arithmetic.
        """
        policy_id, target = self.policies[step]
        if step == Step.FIRST_TOUCH and score >= 40:
            policy_id, target = self.policies["hot"]
        due = started + timedelta(minutes=target * 3)
        at_risk = started + timedelta(minutes=target * 3 * 0.75)
        if taken is None:
            stopped, breached = None, due if due <= self.now else None
            state = "breached" if breached else "running"
            # The rep is recorded when a clock is decided or breaches, as the services do.
            rep = rep if breached else None
        else:
            stopped = started + timedelta(minutes=taken * 3)
            breached = due if taken > target else None
            state = "breached" if breached else "met"
        self.tables["clock"].add(
            handoff_id,
            step,
            policy_id,
            target,
            "business",
            75,
            started,
            due,
            at_risk,
            stopped,
            None if taken is None else round(taken),
            state,
            rep,
            breached,
            breached and breached + timedelta(minutes=1),
        )
        return due


LEAD_COLUMNS = [
    "id", "email", "first_name", "last_name", "title", "organization", "phone", "company_size",
    "industry", "country", "city", "social_handles", "channel_id", "source_detail", "stage",
    "stage_changed_at", "status", "owner_id", "score", "fit_score", "engagement_score",
    "score_agreement_version", "score_explanation", "scored_at", "last_engaged_at", "attributes",
    "search_text", "created_at", "updated_at",
]  # fmt: skip
ACTIVITY_COLUMNS = [
    "id", "lead_id", "kind", "occurred_at", "channel_id", "properties", "source", "external_id",
    "created_at",
]  # fmt: skip
STAGECHANGE_COLUMNS = [
    "lead_id",
    "from_stage",
    "to_stage",
    "actor_id",
    "reason",
    "context",
    "created_at",
]
HANDOFF_COLUMNS = [
    "id", "lead_id", "agreement_version", "score", "explanation", "team_id", "assignee_id",
    "outcome", "created_at", "claimed_at", "first_touch_at", "accepted_at", "returned_at",
    "return_reason_id", "return_note", "sla_due_at",
]  # fmt: skip
EVENT_COLUMNS = [
    "lead_id",
    "handoff_id",
    "kind",
    "actor_id",
    "channel",
    "note",
    "data",
    "created_at",
]
CLOCK_COLUMNS = [
    "handoff_id", "step", "policy_id", "target_minutes", "counting", "at_risk_percent",
    "started_at", "due_at", "at_risk_at", "stopped_at", "elapsed_minutes", "state", "rep_id",
    "breached_at", "escalated_at",
]  # fmt: skip


def build(leads: int, *, write=print, seed: int = 8) -> Dataset:
    """Fill the (migrated, empty) database with the data set; returns what `load()` would."""
    from handoff.models import Handoff, HandoffEvent
    from leads.models import Activity, ActivityKey, StageChange
    from sla.models import Clock

    now = timezone.now().replace(microsecond=0)
    rng = random.Random(seed)
    with transaction.atomic():
        people, sdrs = _users(now)
        channels = [
            Channel.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})[0]
            for name, slug, kind in demo.CHANNELS
        ]
        teams = _teams(people["manager"], sdrs, channels)
    policy = {p.step: p for p in SlaPolicy.objects.filter(min_score=None, requires_request=False)}
    hot = SlaPolicy.objects.filter(step=Step.FIRST_TOUCH, min_score__isnull=False).first()
    writer = _Writer(
        now=now,
        rng=rng,
        policies={
            **{step: (p.pk, p.target_minutes) for step, p in policy.items()},
            "hot": (hot.pk, hot.target_minutes),
        },
        reasons=list(ReturnReason.objects.filter(is_active=True).values_list("pk", "code")),
        teams=teams,
        channel_team={
            channel.pk: teams[0 if number < 4 else 1] for number, channel in enumerate(channels)
        },
        lead_id=next_id(Lead),
        activity_id=next_id(Activity),
        handoff_id=next_id(Handoff),
        tables={
            "lead": Table(Lead._meta.db_table, LEAD_COLUMNS),
            "activity": Table(Activity._meta.db_table, ACTIVITY_COLUMNS),
            "activity_key": Table(ActivityKey._meta.db_table, ["source", "external_id"]),
            "stagechange": Table(StageChange._meta.db_table, STAGECHANGE_COLUMNS),
            "handoff": Table(Handoff._meta.db_table, HANDOFF_COLUMNS),
            "event": Table(HandoffEvent._meta.db_table, EVENT_COLUMNS),
            "clock": Table(Clock._meta.db_table, CLOCK_COLUMNS),
        },
    )
    profiles = _profiles(rng)
    first_lead = writer.lead_id
    with transaction.atomic(), bulk_load([table.table for table in writer.tables.values()]):
        for number in range(leads):
            _lead(writer, number, leads, profiles, channels)
            if number and number % 100_000 == 0:
                write(f"  generated {number:,} leads")
        for table in writer.tables.values():
            table.flush()
    reset_sequences([Lead, Activity, StageChange, Handoff, HandoffEvent, Clock])
    # The funnel's per-pass rows, which the lifecycle keeps move by move, from the history.
    rebuild_passes()
    counts = {name: table.written for name, table in writer.tables.items()}
    write("  " + ", ".join(f"{count:,} {name} rows" for name, count in counts.items()))
    _score_stored(first_lead, writer.lead_id, write)
    _analyze()
    data = load()
    data.counts = counts
    return data


def _profiles(rng: random.Random) -> list[tuple]:
    """The demo's people and organizations, combined once (a million dicts would be slow)."""
    profiles = []
    for market, people in demo.PEOPLE.items():
        for first, last, handle in people:
            for org, domain, country, city, industry, size in demo.ORGANIZATIONS[market]:
                profiles.append((first, last, handle, org, domain, country, city, industry, size))
    rng.shuffle(profiles)
    return profiles


def _lead(w: _Writer, number: int, total: int, profiles, channels) -> None:
    rng, now = w.rng, w.now
    lead_id = w.lead_id
    w.lead_id += 1
    first, last, handle, org, domain, country, city, industry, size = profiles[
        number % len(profiles)
    ]
    busy = number == total - 1
    handed_over = number % 5 == 0 or busy
    if not handed_over and rng.random() < 0.12:
        domain = rng.choice(demo.FREE_MAIL)
    channel = channels[rng.randrange(len(channels))]
    title = rng.choice(demo.TITLES)
    email = BUSY_EMAIL if busy else f"{handle}.{number}@{domain}"
    # Which part of the funnel this lead plays.
    if busy or number % 20 == 0:
        path = "open"
        waited = OPEN_DAYS * 24 * 60 if number % 400 == 20 else OPEN_HOURS * 60
        mql_at = now - timedelta(minutes=rng.uniform(5, waited))
    elif number % 200 in (5, 35, 65, 95, 125, 155):
        path = "awaiting_sql"
        mql_at = now - timedelta(days=rng.uniform(1, 8))
    elif handed_over:
        path = "closed"
        mql_at = now - timedelta(days=rng.uniform(OPEN_DAYS, DAYS - 1))
    else:
        path = "browsing"
        mql_at = None
    if mql_at is None:
        created = now - timedelta(days=rng.uniform(0, DAYS))
    else:
        created = max(now - timedelta(days=DAYS), mql_at - timedelta(days=rng.uniform(1, 60)))

    # Activities over the lead's life; handed-over leads show intent just before MQL.
    count = BUSY_ACTIVITIES if busy else rng.randint(0, 20)
    # A handed-over lead's history ends where sales took over: engagement after a return would
    # make it qualify again, a move the generated stages do not hold.
    life = ((mql_at or now) - created).total_seconds()
    last_engaged = created
    for event, kind in enumerate(rng.choices(BROWSING_KINDS, cum_weights=BROWSING_CUM, k=count)):
        if mql_at is not None and event < 3:
            kind = rng.choice(INTENT) if event else ActivityKind.DEMO_REQUEST
            at = max(created, mql_at - timedelta(minutes=rng.uniform(1, 60 * 24 * 3)))
        else:
            at = created + timedelta(seconds=rng.uniform(0, life))
        options = PROPERTIES.get(kind)
        properties = options[rng.randrange(len(options))] if options else EMPTY
        w.activity(lead_id, kind, at, channel.pk, properties, event)
        if at > last_engaged:
            last_engaged = at

    stage, owner, status, stage_at = Stage.LEAD, None, "new", created
    if mql_at is not None:
        stage, owner, status, stage_at = _handoff(w, lead_id, path, mql_at, channel.pk, busy)
    w.tables["lead"].add(
        lead_id,
        email,
        first,
        last,
        title,
        org,
        f"+66 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        size,
        industry,
        country,
        city,
        EMPTY,
        channel.pk,
        "",
        stage,
        stage_at,
        status,
        owner,
        0,
        0,
        0,
        None,
        EMPTY,
        None,
        last_engaged,
        CAMPAIGNS[rng.randrange(len(CAMPAIGNS))],
        search_key(first, last, email, org, title),
        created,
        stage_at,
    )


def _handoff(w: _Writer, lead_id, path, mql_at, channel_id, busy):
    """The lead's pass through the queue; returns its stage, owner, status and stage time."""
    rng, now = w.rng, w.now
    team, reps = w.channel_team[channel_id]
    handoff_id = w.handoff_id
    w.handoff_id += 1
    score = rng.randint(15, 60)
    w.change(lead_id, Stage.LEAD, Stage.MQL, mql_at, MQL_CONTEXT)
    w.event(lead_id, handoff_id, "opened", mql_at)
    rep = reps[0].pk if busy else rng.choice(reps).pk
    assigned = busy or path != "open" or rng.random() < 0.7
    outcome, claimed, touched, accepted, returned, reason = "open", None, None, None, None, None
    stage, owner, status, stage_at = Stage.MQL, None, "open", mql_at
    if assigned:
        claimed = mql_at + timedelta(minutes=_minutes(rng, 20))
        w.event(lead_id, handoff_id, "assigned", mql_at, data=_json(assignee=rep))
        w.event(lead_id, handoff_id, "claimed", claimed, actor=rep)
    touch_taken = None
    if assigned and (path != "open" or rng.random() < 0.2):
        touch_taken = _minutes(rng, 90)
        touched = mql_at + timedelta(minutes=touch_taken * 3)
        w.event(lead_id, handoff_id, "first_touch", touched, actor=rep, channel="call")
        status = "attempted_to_contact"
    decide_taken = None
    if path in ("closed", "awaiting_sql"):
        decide_taken = (touch_taken or 0) + _minutes(rng, 200)
        decided = mql_at + timedelta(minutes=decide_taken * 3)
        if path == "awaiting_sql" or rng.random() < 0.6:
            outcome, accepted, stage, owner, stage_at = "accepted", decided, Stage.SAL, rep, decided
            w.change(lead_id, Stage.MQL, Stage.SAL, decided, actor=rep)
            w.event(lead_id, handoff_id, "accepted", decided, actor=rep)
        else:
            outcome, returned = "returned", decided
            reason, code = rng.choice(w.reasons)
            stage, stage_at = Stage.RECYCLED, decided
            w.change(lead_id, Stage.MQL, Stage.RECYCLED, decided, _json(return_reason=code), rep)
            w.event(lead_id, handoff_id, "returned", decided, actor=rep)
    touch_due = w.clock(
        handoff_id, Step.FIRST_TOUCH, mql_at, taken=touch_taken, rep=rep, score=score
    )
    accept_due = w.clock(handoff_id, Step.ACCEPT_OR_RETURN, mql_at, taken=decide_taken, rep=rep)
    # As sla.services keeps it: the earliest deadline running while open (the first touch's
    # until it is logged, which is always before a decision), then the one decided under.
    due = accept_due if touch_taken is not None else min(touch_due, accept_due)
    if accepted is not None:
        sql_taken = None if path == "awaiting_sql" else _minutes(rng, 1500)
        w.clock(handoff_id, Step.SQL_DECISION, accepted, taken=sql_taken, rep=rep)
        if sql_taken is not None and rng.random() < 0.45:
            sql_at = accepted + timedelta(minutes=sql_taken * 3)
            stage, stage_at = Stage.SQL, sql_at
            w.change(lead_id, Stage.SAL, Stage.SQL, sql_at, actor=rep)
            for later, chance, days in [(Stage.OPPORTUNITY, 0.6, 10), (Stage.CUSTOMER, 0.35, 40)]:
                at = stage_at + timedelta(days=rng.uniform(1, days))
                if at >= now or rng.random() >= chance:
                    break
                w.change(lead_id, stage, later, at, actor=rep)
                stage, stage_at = later, at
    w.tables["handoff"].add(
        handoff_id,
        lead_id,
        1,
        score,
        _explanation(score),
        team.pk,
        rep if assigned else None,
        outcome,
        mql_at,
        claimed,
        touched,
        accepted,
        returned,
        reason,
        "",
        due,
    )
    return stage, owner, status, stage_at


def _score_stored(first: int, after: int, write) -> None:
    """Store every lead's verdict under the published agreement, as rescoring has in production
    (without moving anyone: the generated stages already are the history)."""
    from scoring.services import rescore_leads

    batch = 10_000
    for start in range(first, after, batch):
        rescore_leads(list(range(start, min(start + batch, after))), allow_moves=False)
        if (start - first) % 200_000 == 0 and start > first:
            write(f"  scored {start - first:,} leads")


def _analyze() -> None:
    """Planner statistics for the new rows, and on PostgreSQL the visibility map that lets
    counts read indexes alone (VACUUM, which cannot run inside a transaction such as a test's)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
