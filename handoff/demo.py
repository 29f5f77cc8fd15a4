"""Demo handoffs, so that the queue, returned leads, teams and opportunities have something to
show before the scoring engine produces MQLs. Deterministic and idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from handoff import services
from handoff.models import AssignmentMode, Handoff, ReturnReason, Team, TeamMember
from handoff.reasons import seed_default_reasons
from leads.lifecycle import move_stage
from leads.models import Channel, Lead, Stage

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
# Worded like the scoring engine's explanation lines, which carry their points in the text.
DEMO_REASONS = [
    {"rule": "+20 for a demo request", "points": 20},
    {"rule": "+15 for attending a webinar for at least 30 minutes", "points": 15},
    {"rule": "+10 for a pricing page view", "points": 10},
    {"rule": "+10 when the title matches the buyer persona", "points": 10},
]
QUEUE_SIZE = 12
# (hours ago it entered the queue, what happened next) for the first leads; the rest stay open.
HISTORY = [
    (30, "opportunity"),
    (26, "accepted"),
    (20, "accepted"),
    (28, "returned:not_reachable"),
    (22, "returned:no_fit"),
    (21, "open"),
    (19, "open"),
]


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


def seed_handoffs(*, now=None) -> None:
    """Teams, then (once, when nobody has handed off anything yet) a day of queue work."""
    # The data migration seeds the reasons; a flushed database (transactional tests) has none.
    seed_default_reasons(ReturnReason)
    seed_teams()
    if Handoff.objects.exists():
        return
    now = now or timezone.now()
    users = {user.username: user for user in get_user_model().objects.all()}
    leads = list(
        Lead.objects.filter(stage=Stage.LEAD)
        .exclude(first_name="")
        .exclude(title="")
        .exclude(organization="")
        .order_by("email")[:QUEUE_SIZE]
    )
    for index, lead in enumerate(leads):
        hours_ago, fate = HISTORY[index] if index < len(HISTORY) else (index, "open")
        entered = now - timedelta(hours=hours_ago)
        move_stage(lead.pk, Stage.MQL, reason="Demo: met the MQL agreement")
        score = 40 + 5 * (index % 7)
        handoff = services.open_handoff(
            lead=lead,
            agreement_version=None,
            score=score,
            explanation={"total": score, "lines": DEMO_REASONS[: 2 + index % 3]},
            now=entered,
        )
        _play(handoff, fate, users, entered)


def _play(handoff: Handoff, fate: str, users: dict, entered) -> None:
    member = handoff.team.memberships.select_related("user").first() if handoff.team else None
    rep = handoff.assignee or (member.user if member else users["manager"])
    later = entered + timedelta(hours=2)
    if fate == "open":
        return
    services.log_first_touch(handoff=handoff, user=rep, channel="call", now=later)
    if fate.startswith("returned:"):
        services.return_handoff(
            handoff=handoff, user=rep, reason=fate.split(":")[1], note="", now=later
        )
        return
    checks = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}
    services.accept_handoff(handoff=handoff, user=rep, checklist=checks, now=later)
    if fate != "opportunity":
        return
    lead = Lead.objects.get(pk=handoff.lead_id)
    services.save_qualification(
        lead=lead,
        user=rep,
        changes={
            "budget_known": True,
            "budget_amount": Decimal("25000"),
            "budget_currency": "EUR",
            "authority": "decision_maker",
            "need": "Leads fall between marketing and sales.",
            "timeline_quarter": f"{later.year + 1}-Q1",
            "buying_cycle": True,
            "influencer": True,
            "timeframe_known": True,
            "size_known": True,
            "next_step_permission": True,
            "next_step": "Demo with the operations team",
            "next_step_date": (later + timedelta(days=7)).date(),
        },
    )
    lead = services.promote_to_sql(lead=lead, user=rep, account_executive=users.get("ae"))
    services.open_opportunity(
        lead=lead,
        user=rep,
        name=f"{lead.organization} — Accord rollout",
        amount=Decimal("25000"),
        currency="EUR",
        expected_close_date=(later + timedelta(days=60)).date(),
        owner=users["ae"],
    )
