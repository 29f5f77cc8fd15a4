"""A small pipeline for the schema tests to find: rows at every step, worked by the caller.

Ids the generated requests name are small numbers, so the rows here are what most of them hit.
"""

from datetime import date
from decimal import Decimal

from accounts.roles import Role
from handoff import services
from handoff.models import ReturnReason
from handoff.reasons import seed_default_reasons
from leads.models import Lead
from tests.factories import ChannelFactory, LeadFactory
from tests.handoff.factories import mql_handoff
from tests.teams.factories import TeamFactory, TeamMemberFactory

CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}


def seed_api_data(make_user, *, caller) -> None:
    """Leads, MQLs in the queue of a pool team `caller` belongs to (when an SDR), a SAL, an SQL
    and an opportunity; the caller's role decides which of them it may touch."""
    seed_default_reasons(ReturnReason)
    ChannelFactory(slug="webinar")
    manager = make_user(Role.MANAGER, username="api-manager")
    rep = make_user(Role.SDR, username="api-rep")
    account_executive = make_user(Role.ACCOUNT_EXECUTIVE, username="api-ae")
    team = TeamFactory(name="Inbound", is_default=True, mode="pool")
    TeamMemberFactory(team=team, user=rep)
    if caller.groups.filter(name=Role.SDR).exists():
        TeamMemberFactory(team=team, user=caller)
    LeadFactory.create_batch(3)
    for _ in range(3):
        mql_handoff()
    accepted = mql_handoff()
    services.accept_handoff(handoff=accepted, user=rep, checklist=CHECKS)
    services.set_required_criteria(user=manager, required=[])
    sql = mql_handoff()
    services.accept_handoff(handoff=sql, user=rep, checklist=CHECKS)
    services.promote_to_sql(lead=Lead.objects.get(pk=sql.lead_id), user=rep)
    opportunity = mql_handoff()
    services.accept_handoff(handoff=opportunity, user=rep, checklist=CHECKS)
    lead = services.promote_to_sql(lead=Lead.objects.get(pk=opportunity.lead_id), user=rep)
    services.open_opportunity(
        lead=lead,
        user=rep,
        name="Rollout",
        amount=Decimal("12000"),
        currency="EUR",
        expected_close_date=date(2026, 6, 30),
        owner=account_executive,
    )
