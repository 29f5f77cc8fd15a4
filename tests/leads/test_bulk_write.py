"""store_leads writes set-based SQL rather than through the ORM: what Lead.save() and the model's
defaults would have given a lead must come out the same."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from leads.models import Lead, LeadStatus, Stage
from leads.services import store_leads
from tests.factories import ChannelFactory, LeadFactory

pytestmark = pytest.mark.django_db


def test_a_new_lead_gets_the_model_defaults_and_the_automatic_timestamps():
    with time_machine.travel("2026-03-02 09:30Z", tick=False):
        store_leads([{"email": " Ana@Example.com", "first_name": "Анна", "company_size": "40"}])

    lead = Lead.objects.get()
    assert (lead.email, lead.first_name, lead.company_size) == ("ana@example.com", "Анна", 40)
    assert (lead.stage, lead.status, lead.score, lead.fit_score) == (
        Stage.LEAD,
        LeadStatus.NEW,
        0,
        0,
    )
    assert (lead.channel, lead.owner, lead.score_agreement_version, lead.scored_at) == (
        None, None, None, None,
    )  # fmt: skip
    assert (lead.social_handles, lead.attributes, lead.score_explanation) == ({}, {}, {})
    moment = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert lead.created_at == lead.updated_at == lead.stage_changed_at == moment
    assert lead.search_text == "анна ana@example.com"


def test_json_fields_keep_any_script_and_nesting_and_merge_with_stored_keys():
    LeadFactory(email="wei@huatong.cn", attributes={"crm_id": "7", "plan": "free"})

    store_leads(
        [
            {"email": "wei@huatong.cn", "attributes": {"plan": "pro", "备注": {"级别": [1, 2]}}},
            {"email": "somchai@siamtech.co.th", "social_handles": {"line": "สมชาย"}},
        ]
    )

    leads = {lead.email: lead for lead in Lead.objects.all()}
    assert leads["wei@huatong.cn"].attributes == {
        "crm_id": "7", "plan": "pro", "备注": {"级别": [1, 2]},
    }  # fmt: skip
    assert leads["somchai@siamtech.co.th"].social_handles == {"line": "สมชาย"}
    assert Lead.objects.filter(attributes__plan="pro").count() == 1


def test_known_leads_changing_different_fields_each_get_their_own_change_and_search_text():
    first = ChannelFactory(slug="ebook")
    ChannelFactory(slug="webinar")
    earlier = timezone.now() - timedelta(days=3)
    ana = LeadFactory(email="ana@example.com", title="Analyst", channel=None, source_detail="")
    bo = LeadFactory(email="bo@example.com", organization="Old Co", channel=first)
    same = LeadFactory(email="same@example.com", title="CEO")
    Lead.objects.update(updated_at=earlier)

    result = store_leads(
        [
            {"email": "ana@example.com", "title": "Head of Data", "channel": "webinar"},
            {"email": "bo@example.com", "organization": "Новая", "channel": "webinar"},
            {"email": "same@example.com", "title": "CEO"},
            {"email": "new@example.com", "source_detail": "Badge scans"},
        ]
    )

    assert [o.status for o in result.outcomes] == ["updated", "updated", "updated", "created"]
    ana.refresh_from_db()
    bo.refresh_from_db()
    same.refresh_from_db()
    assert (ana.title, ana.channel.slug) == ("Head of Data", "webinar")
    assert "head of data" in ana.search_text
    assert (bo.organization, bo.channel) == ("Новая", first)
    assert "новая" in bo.search_text and "old co" not in bo.search_text
    assert ana.updated_at > earlier and bo.updated_at > earlier
    assert same.updated_at == earlier
    assert [o.lead_id for o in result.outcomes[:3]] == [ana.pk, bo.pk, same.pk]
    assert Lead.objects.get(pk=result.outcomes[3].lead_id).source_detail == "Badge scans"


@pytest.mark.django_db(transaction=True)
def test_two_writers_creating_the_same_leads_at_once_create_each_lead_once():
    rows = [{"email": f"new{i}@northwind.io", "title": "CTO"} for i in range(200)]
    barrier = threading.Barrier(2)
    reports = []

    def write(order):
        try:
            barrier.wait(timeout=5)
            result = store_leads(rows[::order])
            reports.append((result.count("created"), result.count("updated")))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(order,)) for order in (1, -1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(reports) == [(0, 200), (200, 0)]
    assert Lead.objects.count() == 200
