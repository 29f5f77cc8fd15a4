"""Demo queue work on the handoffs that scoring opened for the demo MQLs, so that the queue,
returned leads, teams and opportunities have something to show. Deterministic and idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from handoff import services
from handoff.models import Handoff, Outcome, ReturnReason
from handoff.reasons import seed_default_reasons
from leads.models import Channel, Lead
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
# What happens next to the first open handoffs (by lead email); the rest stay in the queue.
HISTORY = ["opportunity", "accepted", "accepted", "returned:not_reachable", "returned:no_fit"]


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
    """Teams, then (once, before anyone has worked a handoff) some queue work.

    Runs after scoring has moved the demo leads that meet the agreement to MQL: the demo queue
    holds real MQLs with their real explanations.
    """
    # The data migration seeds the reasons; a flushed database (transactional tests) has none.
    seed_default_reasons(ReturnReason)
    seed_teams()
    if Handoff.objects.exclude(outcome=Outcome.OPEN).exists():
        return
    users = {user.username: user for user in get_user_model().objects.all()}
    handoffs = list(Handoff.objects.filter(outcome=Outcome.OPEN).order_by("lead__email"))
    # Half of the queue at most, so that the demo queue is never empty.
    for handoff, fate in zip(handoffs[: len(handoffs) // 2], HISTORY, strict=False):
        _play(handoff, fate, users, now or timezone.now())


def _play(handoff: Handoff, fate: str, users: dict, later) -> None:
    member = handoff.team.memberships.select_related("user").first() if handoff.team else None
    rep = handoff.assignee or (member.user if member else users["manager"])
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
