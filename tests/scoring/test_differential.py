"""The database path scores every lead as the engine does.

Rescoring reads engagement in bulk (scoring/facts.py: one query for the values property
conditions meet, one grouped query) and never runs `engine.aggregate`; this test stores generated
agreements and histories, rescores them as production does, and compares each stored score and
verdict with `engine.evaluate` on the same data, on whichever database the suite runs.
"""

import dataclasses
import itertools

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from leads.models import Activity, Channel, Lead
from scoring import engine
from scoring.convert import RULE_MODELS, rows_from_spec
from scoring.facts import NO_ENGAGEMENT, activities_of, engagement_by_lead
from scoring.models import Agreement, AgreementStatus
from scoring.services import rescore_leads
from tests.scoring.strategies import (
    ASSET_TYPES,
    KINDS,
    MINUTES,
    NOW,
    activities_at,
    agreements,
    leads,
)

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def publish(spec: engine.AgreementSpec) -> engine.AgreementSpec:
    """Store `spec` as the published agreement, as rows (the version is the next free one)."""
    Agreement.objects.filter(status=AgreementStatus.PUBLISHED).update(
        status=AgreementStatus.RETIRED
    )
    version = Agreement.objects.order_by("-version").values_list("version", flat=True)[0] + 1
    agreement = Agreement.objects.create(
        version=version,
        name="Generated",
        status=AgreementStatus.PUBLISHED,
        published_at=timezone.now(),
        threshold=spec.threshold,
        decay_after_days=spec.decay_after_days,
        decay_percent_per_week=spec.decay_percent_per_week,
    )
    for kind, rows in rows_from_spec(spec).items():
        model = RULE_MODELS[kind]
        model.objects.bulk_create(
            model(agreement=agreement, position=position, **row)
            for position, row in enumerate(rows)
        )
    return dataclasses.replace(spec, version=version)


def store(lead: engine.LeadFacts, activities: list[engine.ActivityFact]) -> tuple[int, object]:
    """The lead and its history as rows; returns its id and the facts the engine should see
    (the address made unique and lowercase, as every stored lead's is)."""
    user, _at, domain = lead.email.rpartition("@")
    lead = dataclasses.replace(
        lead, email=f"{user or 'x'}.{next(_numbers)}@{domain or 'x.io'}".lower()
    )
    channel = None
    if lead.channel_slug is not None:
        channel, _ = Channel.objects.get_or_create(
            slug=lead.channel_slug, defaults={"name": lead.channel_slug, "kind": lead.channel_kind}
        )
    row = Lead.objects.create(
        email=lead.email,
        first_name=lead.first_name,
        last_name=lead.last_name,
        title=lead.title,
        organization=lead.organization,
        phone=lead.phone,
        company_size=lead.company_size,
        company_size_max=lead.company_size_max,
        industry=lead.industry,
        country=lead.country,
        city=lead.city,
        social_handles=dict(lead.social_handles),
        attributes=dict(lead.attributes),
        channel=channel,
    )
    Activity.objects.bulk_create(
        Activity(lead=row, kind=a.kind, occurred_at=a.occurred_at, properties=dict(a.properties))
        for a in activities
    )
    return row.pk, lead


# Properties a condition can read on every activity: rarer ones leave most conditions untested.
DENSE_PROPERTIES = st.fixed_dictionaries({"minutes": MINUTES}, optional={"asset_type": ASSET_TYPES})


def histories_for(spec: engine.AgreementSpec):
    """Activities of the kinds the agreement's rules read, so that its conditions meet them."""
    read = {rule.kind for rule in spec.action_rules}
    read |= {rule.activity_kind for rule in spec.negative_rules if rule.on_activity}
    kinds = st.sampled_from(sorted(read) or KINDS)
    return st.lists(activities_at(kinds, properties=DENSE_PROPERTIES), max_size=8)


@settings(max_examples=250, deadline=None)
@given(agreement=agreements(), data=st.data())
def test_rescoring_in_the_database_gives_the_engine_s_points_and_verdict(agreement, data):
    histories = data.draw(
        st.lists(st.tuples(leads(), histories_for(agreement)), min_size=1, max_size=3)
    )
    spec = publish(agreement)
    stored = [store(lead, activities) for lead, activities in histories]

    ids = [lead_id for lead_id, _ in stored]
    rescore_leads(ids, now=NOW, allow_moves=False)

    scores = Lead.objects.in_bulk(ids)
    # What rescoring read, compared too: decay and caps can hide a wrong count in the total.
    # The database reads only the activity kinds a channel rule asks for.
    asked = {kind for rule in spec.channel_rules for kind in rule.required_activity_kinds}
    engagement = engagement_by_lead(activities_of(ids), [spec], NOW)
    for (lead_id, lead), (_, activities) in zip(stored, histories, strict=True):
        facts = engine.aggregate(activities, spec, NOW)
        expected = engine.score(lead, facts, spec, NOW)
        read = engagement.get(lead_id, [NO_ENGAGEMENT])[0]
        assert read == dataclasses.replace(facts, kinds_seen=facts.kinds_seen & asked)
        row = scores[lead_id]
        assert (row.score, row.fit_score, row.engagement_score) == (
            expected.total,
            expected.fit,
            expected.engagement,
        )
        assert row.score_explanation["qualifies"] == expected.qualifies
        assert row.score_agreement_version == spec.version
