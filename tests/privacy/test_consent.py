import pytest
from django.urls import reverse

from accounts.roles import Role
from core.errors import ConflictError
from intake import capture
from leads.consent import record_consent, unsubscribe
from leads.models import Consent, ConsentScope, ConsentSource, Lead
from leads.suppression import is_suppressed
from privacy.erasure import erase_lead
from tests.factories import ChannelFactory, LeadFactory

pytestmark = pytest.mark.django_db

EVERY_SCOPE = set(ConsentScope.values)


def test_withdrawing_every_scope_is_an_unsubscribe_and_a_grant_lifts_it(sdr):
    lead = LeadFactory(email="ana@northwind.io")

    record_consent(lead=lead, changes={"phone": False}, source=ConsentSource.USER, actor=sdr)
    lead.refresh_from_db()
    assert not lead.do_not_contact and not is_suppressed("ana@northwind.io")

    unsubscribe(lead=lead, source=ConsentSource.USER, actor=sdr)
    lead.refresh_from_db()
    assert lead.do_not_contact and is_suppressed("ANA@northwind.io")

    record_consent(lead=lead, changes={"sales_contact": True}, source=ConsentSource.USER, actor=sdr)
    lead.refresh_from_db()
    assert not lead.do_not_contact and not is_suppressed("ana@northwind.io")
    assert Consent.objects.filter(lead=lead).count() == 5


def test_an_unsubscribed_address_is_not_updated_by_an_import_or_the_api(api_as):
    lead = LeadFactory(email="ana@northwind.io", title="CTO")
    unsubscribe(lead=lead, source=ConsentSource.API)

    answer = api_as(Role.MARKETER).post(
        reverse("api-leads"), {"email": "ana@northwind.io", "title": "CEO"}, format="json"
    )

    assert answer.status_code == 409
    assert Lead.objects.get(pk=lead.pk).title == "CTO"


def test_the_lead_page_records_an_unsubscribe_and_shows_do_not_contact(client_as):
    lead = LeadFactory()
    client = client_as(Role.SDR)
    page = reverse("leads:detail", args=[lead.pk])
    assert b"badge do-not-contact" not in client.get(page).content

    answer = client.post(
        reverse("privacy:consent", args=[lead.pk]), {"scope": "all", "granted": "false"}
    )

    assert answer.status_code == 302
    shown = client.get(page).content.decode()
    assert "badge do-not-contact" in shown and "Withdrawn" in shown
    assert {c.scope for c in Consent.objects.filter(lead=lead, granted=False)} == EVERY_SCOPE
    assert Consent.objects.filter(recorded_by__isnull=False, source="user").count() == 3


def test_the_queue_tells_a_rep_not_to_contact_the_lead(client_as, sdr):
    lead = LeadFactory()
    unsubscribe(lead=lead, source=ConsentSource.USER)

    row = client_as(Role.MANAGER).get(reverse("leads:list")).content.decode()

    assert "badge do-not-contact" in row


def test_the_api_reads_and_records_consent(api_as):
    lead = LeadFactory()
    api = api_as(Role.MANAGER)
    url = reverse("api-lead-consents", args=[lead.pk])

    empty = api.get(url).json()
    changed = api.post(url, {"scopes": ["marketing_email"], "granted": True}, format="json")
    bad = api.post(url, {"scopes": ["fax"], "granted": True}, format="json")
    unsubscribed = api.post(url, {"scopes": list(EVERY_SCOPE), "granted": False}, format="json")

    assert [s["granted"] for s in empty["current"]] == [None, None, None]
    assert changed.status_code == 200
    assert changed.json()["current"][0] == {
        "scope": "marketing_email", "granted": True, "since": changed.json()["current"][0]["since"]
    }  # fmt: skip
    assert changed.json()["history"][0]["source"] == "api"
    assert bad.status_code == 400 and "scopes" in bad.json()
    assert unsubscribed.json()["do_not_contact"] is True
    assert api.get(reverse("api-lead", args=[lead.pk])).json()["do_not_contact"] is True


def test_admins_read_consent_but_do_not_record_it(api_as):
    lead = LeadFactory()
    api = api_as(Role.ADMIN)
    url = reverse("api-lead-consents", args=[lead.pk])

    assert api.get(url).status_code == 200
    assert api.post(url, {"scopes": ["phone"], "granted": True}, format="json").status_code == 403


def test_an_erased_leads_consent_cannot_change(manager):
    lead = LeadFactory()
    erase_lead(lead_id=lead.pk, actor=manager, reason="asked")

    with pytest.raises(ConflictError):
        record_consent(lead=lead, changes={"phone": True}, source="user", actor=manager)


def test_a_web_forms_ticked_consent_box_is_recorded_and_an_unticked_one_is_not(client):
    form_key = capture.new_form_key(
        name="Newsletter",
        channel=ChannelFactory(),
        allowed_origins=[],
        consent_field="consent",
        consent_scope="marketing_email",
    )
    url = reverse("intake:capture", args=[form_key.key])

    client.post(url, {"email": "ana@northwind.io", "consent": "on"})
    client.post(url, {"email": "bo@northwind.io"})

    (consent,) = Consent.objects.all()
    assert (consent.lead.email, consent.scope, consent.granted, consent.source) == (
        "ana@northwind.io", "marketing_email", True, "web_form"
    )  # fmt: skip


def test_an_unsubscribed_person_posting_a_form_is_thanked_and_nothing_is_stored(client):
    lead = LeadFactory(email="ana@northwind.io")
    unsubscribe(lead=lead, source=ConsentSource.USER)
    form_key = capture.new_form_key(name="Ebook", channel=ChannelFactory(), allowed_origins=[])

    answer = client.post(
        reverse("intake:capture", args=[form_key.key]),
        {"email": "ana@northwind.io", "consent": "on"},
    )

    assert answer.status_code == 200
    assert not lead.activities.exists()
    assert Lead.objects.get(pk=lead.pk).do_not_contact
