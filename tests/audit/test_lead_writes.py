"""Lead writes through every door leave their audit rows, the set-based ones included."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_q.conf import Conf

from accounts.roles import Role
from audit.models import Action, AuditEntry, Source
from intake import capture
from intake.imports import services as imports
from leads.models import ActivityKind, Lead
from leads.services import bulk_upsert_leads
from tests.factories import ChannelFactory, LeadFactory

pytestmark = pytest.mark.django_db


def lead_rows():
    return AuditEntry.objects.filter(object_type="leads.lead").order_by("object_id", "field")


def test_a_set_based_batch_leaves_a_row_per_changed_lead_field(marketer):
    """The issue's test: the INSERT ... ON CONFLICT / UPDATE ... FROM unnest path on PostgreSQL,
    executemany on SQLite, both seen by the trail."""
    ChannelFactory(slug="webinar")
    ana = LeadFactory(email="ana@northwind.io", title="Analyst", organization="Northwind")
    ben = LeadFactory(email="ben@northwind.io", title="CTO", city="Lyon", channel=None)
    rows = [
        {"email": "ANA@northwind.io", "title": "Head of Data", "organization": "Northwind"},
        {"email": "ben@northwind.io", "city": "Paris", "channel": "webinar"},
        {"email": "new@northwind.io", "first_name": "Nadia"},
        {"email": "not an email"},
    ]

    result = bulk_upsert_leads(rows, source=Source.API, actor=marketer)

    created = Lead.objects.get(email="new@northwind.io")
    assert [(r.object_id, r.action, r.field, r.before, r.after) for r in lead_rows()] == sorted(
        [
            (ana.pk, Action.CHANGED, "title", "Analyst", "Head of Data"),
            (ben.pk, Action.CHANGED, "channel", None, "webinar"),
            (ben.pk, Action.CHANGED, "city", "Lyon", "Paris"),
            (created.pk, Action.CREATED, "", None, None),
        ]
    )
    assert {(r.source, r.actor) for r in lead_rows()} == {(Source.API, marketer)}
    assert len({r.change_set for r in lead_rows()}) == 1
    assert result.count("rejected") == 1


def test_an_upsert_that_changes_nothing_records_nothing(marketer):
    LeadFactory(email="ana@northwind.io", title="CTO")
    bulk_upsert_leads([{"email": "ana@northwind.io", "title": "CTO"}], source=Source.API)
    assert not lead_rows().exists()


def test_an_import_records_its_changes_as_the_person_who_started_it(
    settings, tmp_path, monkeypatch, marketer, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(Conf, "SYNC", True)
    lead = LeadFactory(email="ana@northwind.io", title="Analyst")
    content = b"Email,Job title\nana@northwind.io,CFO\nnew@northwind.io,CEO\n"
    job = imports.create_import(upload=SimpleUploadedFile("leads.csv", content), user=marketer)
    imports.dry_run(job=job, mapping=job.mapping, channel=None, save_as="")
    with django_capture_on_commit_callbacks(execute=True):
        imports.start_import(job=job)

    changed = lead_rows().get(object_id=lead.pk)
    assert (changed.field, changed.before, changed.after) == ("title", "Analyst", "CFO")
    assert {(r.source, r.actor) for r in lead_rows()} == {(Source.IMPORT, marketer)}
    assert lead_rows().filter(action=Action.CREATED).count() == 1


def test_an_api_edit_records_each_field_it_changes(api_as):
    lead = LeadFactory(email="ana@northwind.io", title="Analyst", city="Lyon")
    api = api_as(Role.MARKETER)
    response = api.patch(
        f"/api/v1/leads/{lead.pk}/",
        json.dumps({"title": "CTO", "city": "Lyon"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    row = lead_rows().get()
    assert (row.field, row.before, row.after, row.source) == ("title", "Analyst", "CTO", "api")
    assert row.actor is not None and row.actor_label == str(row.actor)


def test_an_api_upsert_records_the_created_lead(api_as):
    api = api_as(Role.MARKETER)
    response = api.post(
        "/api/v1/leads/", json.dumps({"email": "ana@northwind.io"}), content_type="application/json"
    )
    assert response.status_code == 201
    row = lead_rows().get()
    assert (row.object_id, row.action, row.source) == (response.json()["id"], "created", "api")


def test_ingest_that_creates_leads_records_them(api_as):
    api = api_as(Role.MARKETER)
    body = [{"external_id": "1", "kind": "page_view", "occurred_at": "2026-01-05T10:00:00Z",
             "email": "new@northwind.io"}]  # fmt: skip
    response = api.post(
        "/api/v1/activities/?create_leads=true", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    row = lead_rows().get()
    assert (row.action, row.source) == (Action.CREATED, Source.API)
    assert row.actor is not None


def test_a_web_form_records_the_fields_it_fills_with_no_actor(client):
    key = capture.new_form_key(
        name="Pricing guide",
        channel=ChannelFactory(slug="ebook"),
        allowed_origins=["https://www.northwind.io/"],
        activity_kind=ActivityKind.CONTENT_DOWNLOAD,
        properties={},
    )
    lead = LeadFactory(email="ana@northwind.io", title="", organization="Northwind")
    client.post(
        reverse("intake:capture", args=[key.key]),
        {"email": "ana@northwind.io", "title": "CTO", "organization": "Other"},
    )
    assert [(r.field, r.before, r.after) for r in lead_rows().filter(object_id=lead.pk)] == [
        ("title", "", "CTO")
    ]
    assert {(r.source, r.actor) for r in lead_rows()} == {(Source.WEB_FORM, None)}
