from datetime import UTC, datetime

import factory

from handoff.models import Handoff
from teams.models import Team
from tests.factories import LeadFactory


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class HandoffFactory(factory.django.DjangoModelFactory):
    """A handoff row as the queue creates it; clocks are started by the test that needs them."""

    class Meta:
        model = Handoff

    lead = factory.SubFactory(LeadFactory, stage="mql")
    score = 20
    team = factory.SubFactory(TeamFactory)
    # A Monday at 09:00 UTC, when the default calendar opens: tests start clocks from here.
    created_at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    sla_due_at = factory.LazyAttribute(lambda handoff: handoff.created_at)
