import pytest
from django.core.management import call_command

from handoff.models import Handoff
from sla.models import Clock, Step, TeamCalendar

pytestmark = pytest.mark.django_db


def test_every_demo_handoff_runs_on_its_team_s_business_time_clock():
    call_command("seed_demo", leads=60, force=True)

    assert TeamCalendar.objects.filter(
        team__name="Inbound EMEA", time_zone="Europe/Berlin"
    ).exists()
    handoffs = Handoff.objects.all()
    assert handoffs.exists()
    for handoff in handoffs:
        steps = set(handoff.clocks.values_list("step", flat=True))
        assert {Step.FIRST_TOUCH, Step.ACCEPT_OR_RETURN} <= steps
        if handoff.outcome == "accepted":
            assert Step.SQL_DECISION in steps
    assert Clock.objects.filter(stopped_at__isnull=False).exists()
