from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_q.conf import Conf

from accounts.roles import Role
from audit.models import Action, AuditEntry, Source
from core.errors import ConflictError, PermissionDenied
from handoff.models import Handoff, HandoffEvent, Qualification
from intake import capture
from intake.imports import services as imports
from intake.models import FormKey, ImportJob, ImportRejection
from leads.models import Activity, Lead, StageChange, SuppressedAddress
from leads.services import update_lead
from leads.suppression import is_suppressed
from notifications.models import Notification
from privacy.erasure import erase_lead
from privacy.models import Erasure
from tests.factories import ActivityFactory, ChannelFactory, LeadFactory, UserFactory
from tests.reports.factories import build_october, opportunity

pytestmark = pytest.mark.django_db

OCTOBER = {"date_from": "2026-10-01", "date_to": "2026-10-31"}
REPORTS = ("api-report-funnel", "api-report-returns", "api-report-channels", "api-sla-report")


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(Conf, "SYNC", True)


def a_person(**fields):
    """A lead with something personal in every place Accord keeps it."""
    lead = LeadFactory(
        email="ana.lima@northwind.io",
        first_name="Ana",
        last_name="Lima",
        phone="+66 81 234 5678",
        city="Bangkok",
        social_handles={"linkedin": "ana-lima"},
        attributes={"campaign": "spring", "favourite_colour": "teal"},
        **fields,
    )
    ActivityFactory(lead=lead, properties={"submitted": {"first_name": "Ana"}, "page": "/x"})
    return lead


def test_erasing_removes_the_person_and_keeps_the_lead(manager):
    lead = a_person()
    handoff = Handoff.objects.create(
        lead=lead, score=50, created_at=lead.created_at, sla_due_at=lead.created_at,
        return_note="Ana says call after Songkran",
    )  # fmt: skip
    HandoffEvent.objects.create(
        lead=lead, handoff=handoff, kind="returned", note="Ana picked up",
        created_at=lead.created_at,
    )  # fmt: skip
    StageChange.objects.create(lead=lead, from_stage="lead", to_stage="mql", reason="Ana asked")
    Qualification.objects.create(lead=lead, need="Ana's team loses invoices", next_step="Demo")
    won = opportunity("1000", "USD", "lost", owner=UserFactory(), lead=lead)
    notification = Notification.objects.create(
        user=manager, kind="lead_assigned", params={"lead": "Ana Lima", "rep": "Somchai"},
        url=reverse("leads:detail", args=[lead.pk]),
    )  # fmt: skip
    job = ImportJob.objects.create(original_name="x.csv", file_format="csv", created_by=manager)
    ImportRejection.objects.create(
        job=job, row_number=2, reason="bad", values=["ANA.LIMA@northwind.io", "Ana"]
    )
    kept = ImportRejection.objects.create(job=job, row_number=3, reason="bad", values=["x@y.z"])

    erasure = erase_lead(lead_id=lead.pk, actor=manager, reason="Ticket 4512")

    lead.refresh_from_db()
    assert str(lead) == f"Erased lead #{lead.pk}"
    assert lead.email == f"erased-{lead.pk}@erased.invalid"
    assert [lead.first_name, lead.last_name, lead.phone, lead.city, lead.title] == [""] * 5
    assert lead.organization == "" and lead.social_handles == {}
    assert lead.attributes == {"campaign": "spring"}  # the funnel groups by it
    assert (lead.stage, lead.channel_id) != (None, None) and lead.do_not_contact
    assert Activity.objects.get(lead=lead).properties == {}
    handoff.refresh_from_db()
    assert handoff.return_note == ""
    assert HandoffEvent.objects.get(lead=lead).note == ""
    assert StageChange.objects.get(lead=lead).reason == ""
    qualification = Qualification.objects.get(lead=lead)
    assert (qualification.need, qualification.next_step) == ("", "")
    won.refresh_from_db()
    assert (won.name, won.lost_reason, won.amount) == (f"#{lead.pk}", "—", 1000)
    notification.refresh_from_db()
    assert notification.params == {"lead": f"Erased lead #{lead.pk}", "rep": "Somchai"}
    assert list(ImportRejection.objects.all()) == [kept]
    assert is_suppressed("Ana.Lima@northwind.io")
    assert erasure.counts == {
        "import_rows": 1, "activities": 1, "stage_change_notes": 1, "handoff_notes": 2,
        "qualification_notes": 1, "opportunities": 1, "notifications": 1,
        "webhook_deliveries": 0, "audit_rows": 0,
    }  # fmt: skip
    assert (erasure.erased_by, erasure.reason) == (manager, "Ticket 4512")
    assert "Ana" not in str(Erasure.objects.values().get()) and "ana" not in str(erasure.counts)


def test_reports_count_the_same_before_and_after_erasing(make_user, api_as):
    october = build_october(make_user(Role.SDR))
    api = api_as(Role.MANAGER)
    before = {name: api.get(reverse(name), OCTOBER).json() for name in REPORTS}

    for name in ("L1", "L4", "L6", "L10"):
        erase_lead(lead_id=october.leads[name].pk, actor=make_user(Role.MANAGER), reason="asked")

    after = {name: api.get(reverse(name), OCTOBER).json() for name in REPORTS}
    assert after == before
    assert before["api-report-funnel"]["total"]["counts"]["mql"] == 8


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_managers_and_admins_erase_through_the_api_with_a_reason(api_as, role):
    lead = a_person()
    api = api_as(role)
    url = reverse("api-lead-erase", args=[lead.pk])

    missing = api.post(url, {}, format="json")
    blank = api.post(url, {"reason": "  "}, format="json")
    done = api.post(url, {"reason": "Ticket 4512"}, format="json")
    again = api.post(url, {"reason": "Ticket 4512"}, format="json")

    assert missing.status_code == blank.status_code == 400
    assert "reason" in missing.json() and "reason" in blank.json()
    assert done.status_code == 200
    assert done.json()["counts"]["activities"] == 1 and done.json()["lead"] == lead.pk
    assert again.status_code == 409
    assert (
        api.post(reverse("api-lead-erase", args=[lead.pk + 99]), {"reason": "x"}).status_code == 404
    )


@pytest.mark.parametrize("role", [Role.SDR, Role.MARKETER, Role.ACCOUNT_EXECUTIVE])
def test_other_roles_may_not_erase(api_as, make_user, role):
    lead = a_person()

    answer = api_as(role).post(reverse("api-lead-erase", args=[lead.pk]), {"reason": "x"})

    assert answer.status_code == 403
    with pytest.raises(PermissionDenied):
        erase_lead(lead_id=lead.pk, actor=make_user(role), reason="x")
    assert Lead.objects.get(pk=lead.pk).erased_at is None


def test_the_page_asks_for_a_reason_then_erases(client_as):
    lead = a_person()
    client = client_as(Role.MANAGER)
    url = reverse("privacy:erase", args=[lead.pk])

    page = client.get(url)
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and Lead.objects.get(pk=lead.pk).erased_at is None
    done = client.post(url, {"reason": "Ticket 4512"})

    assert page.status_code == 200 and b"Erase personal data" in page.content
    assert done.status_code == 302 and Lead.objects.get(pk=lead.pk).erased_at is not None
    shown = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert f"Erased lead #{lead.pk}" in shown and "Ana" not in shown and "Ticket 4512" in shown
    assert client.get(url).status_code == 302  # already erased: back to the lead


def test_the_lead_page_offers_erasing_to_managers_only(client_as):
    lead = a_person()
    erase_url = reverse("privacy:erase", args=[lead.pk]).encode()

    assert erase_url in client_as(Role.MANAGER).get(reverse("leads:detail", args=[lead.pk])).content
    assert erase_url not in client_as(Role.SDR).get(reverse("leads:detail", args=[lead.pk])).content


# The test: an erased address does not come back, by any way in.


def csv_import(content: str, django_capture_on_commit_callbacks) -> ImportJob:
    user = UserFactory(roles=[Role.MARKETER])
    upload = SimpleUploadedFile("leads.csv", content.encode())
    job = imports.create_import(upload=upload, user=user)
    job = imports.dry_run(job=job, mapping=job.mapping, channel=None)
    with django_capture_on_commit_callbacks(execute=True):
        imports.start_import(job=job)
    job.refresh_from_db()
    return job


def test_an_erased_address_is_suppressed_when_imported_again(
    manager, django_capture_on_commit_callbacks
):
    lead = a_person()
    erase_lead(lead_id=lead.pk, actor=manager, reason="Ticket 4512")
    content = "Email,First name\nANA.LIMA@northwind.io,Ana\nsomchai@siamtech.co.th,Somchai\n"

    job = csv_import(content, django_capture_on_commit_callbacks)

    assert (job.dry_run_new, job.dry_run_suppressed) == (1, 1)
    assert (job.created_count, job.updated_count, job.suppressed_count) == (1, 0, 1)
    assert not job.rejections.exists()  # nothing kept that names the person
    assert not Lead.objects.filter(email="ana.lima@northwind.io").exists()
    assert Lead.objects.filter(email="somchai@siamtech.co.th").exists()
    assert Lead.objects.get(pk=lead.pk).first_name == ""


def test_an_erased_address_is_refused_by_the_api_and_ingest(manager, api_as):
    lead = a_person()
    erase_lead(lead_id=lead.pk, actor=manager, reason="Ticket 4512")
    api = api_as(Role.MARKETER)

    created = api.post(reverse("api-leads"), {"email": "Ana.Lima@northwind.io"}, format="json")
    ingested = api.post(
        reverse("api-activities") + "?create_leads=true",
        [
            {"external_id": "e1", "email": "ana.lima@northwind.io", "kind": "page_view",
             "occurred_at": "2026-03-02T15:04:05Z"},
            {"external_id": "e2", "lead": lead.pk, "kind": "page_view",
             "occurred_at": "2026-03-02T15:04:05Z"},
            {"external_id": "e3", "email": "new@siamtech.co.th", "kind": "page_view",
             "occurred_at": "2026-03-02T15:04:05Z"},
        ],
        format="json",
    )  # fmt: skip

    assert created.status_code == 409
    assert "suppression list" in created.json()["detail"]
    body = ingested.json()
    assert [r["status"] for r in body["results"]] == ["suppressed", "suppressed", "created"]
    assert (body["suppressed"], body["leads_created"]) == (2, 1)
    assert not Lead.objects.filter(email="ana.lima@northwind.io").exists()
    assert Activity.objects.filter(lead=lead).count() == 1  # the one from before, emptied


def test_an_erased_address_posted_by_a_web_form_is_thanked_and_dropped(manager, client):
    lead = a_person()
    erase_lead(lead_id=lead.pk, actor=manager, reason="Ticket 4512")
    form_key = capture.new_form_key(name="Ebook", channel=ChannelFactory(), allowed_origins=[])
    leads, activities = Lead.objects.count(), Activity.objects.count()

    answer = client.post(
        reverse("intake:capture", args=[form_key.key]),
        {"email": "ana.lima@northwind.io", "first_name": "Ana"},
    )

    assert answer.status_code == 200  # the same thanks as anyone gets: nothing leaks
    assert (Lead.objects.count(), Activity.objects.count()) == (leads, activities)
    assert FormKey.objects.count() == 1


def test_a_suppressed_entry_names_no_one():
    lead = a_person()
    erase_lead(lead_id=lead.pk, actor=UserFactory(roles=[Role.MANAGER]), reason="asked")

    (entry,) = SuppressedAddress.objects.values_list("digest", "reason")
    assert entry[1] == "erased" and "ana" not in entry[0] and len(entry[0]) == 64


def test_erasing_a_lead_twice_at_once_erases_it_once(manager):
    lead = a_person()
    erase_lead(lead_id=lead.pk, actor=manager, reason="asked")
    with pytest.raises(ConflictError):
        erase_lead(lead_id=lead.pk, actor=manager, reason="asked")
    assert Erasure.objects.count() == 1
    assert datetime.now(UTC) >= Lead.objects.get(pk=lead.pk).erased_at


@pytest.mark.django_db(transaction=True)
def test_the_audit_trail_keeps_who_changed_what_but_not_the_erased_persons_values(manager):
    """Transactional, so that PostgreSQL's append-only trigger sees the redaction for real."""
    lead = a_person()
    update_lead(lead_id=lead.pk, data={"title": "Head of Ops", "city": "Chiang Mai"}, actor=manager)
    other = LeadFactory(email="bo@example.com")
    update_lead(lead_id=other.pk, data={"city": "Hanoi"}, actor=manager)

    erase_lead(lead_id=lead.pk, actor=manager, reason="Asked by Ana Lima", source=Source.BROWSER)

    rows = AuditEntry.objects.filter(object_type="leads.lead", object_id=lead.pk)
    changed = rows.filter(action=Action.CHANGED)
    assert sorted(changed.values_list("field", flat=True)) == ["city", "title"]
    assert {(row.before, row.after, row.redacted) for row in changed} == {(None, None, True)}
    assert "Ana" not in " ".join(rows.values_list("object_label", flat=True))
    erased = rows.get(action=Action.ERASED)
    assert (erased.actor, erased.source, erased.after) == (manager, Source.BROWSER, None)
    assert "Asked by" not in str(list(rows.values()))
    untouched = AuditEntry.objects.get(object_id=other.pk, field="city")
    assert (untouched.after, untouched.redacted) == ("Hanoi", False)
