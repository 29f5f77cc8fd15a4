import pytest
from django.urls import reverse

from handoff import services
from handoff.models import Opportunity, Qualification
from leads.models import Lead, Stage
from tests.handoff.factories import mql_handoff
from tests.handoff.test_views import shown_once

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}
MET = {
    "authority": "unknown",
    "buying_cycle": "on",
    "influencer": "on",
    "timeframe_known": "on",
    "size_known": "on",
    "next_step_permission": "on",
    "next_step": "Call with the CFO",
    "next_step_date": "2026-05-04",
}


@pytest.fixture
def sal(pool_team, sdr, client):
    handoff = mql_handoff()
    services.accept_handoff(handoff=handoff, user=sdr, checklist=CHECKS)
    client.force_login(sdr)
    return Lead.objects.get(pk=handoff.lead_id)


def test_the_lead_page_offers_the_qualification_form_for_a_sal(client, sal):
    response = client.get(reverse("leads:detail", args=[sal.pk]))

    content = response.content.decode()
    assert "Qualification (BANT)" in content
    assert "Promote to SQL" in content
    assert "Still missing for SQL" in content


def test_qualification_is_saved_partially_in_place(client, sal):
    response = client.post(
        reverse("handoff:qualification", args=[sal.pk]),
        {"authority": "influencer", "need": "Manual routing"},
        **HTMX,
    )

    assert response.status_code == 200
    assert b"Qualification saved" in response.content
    assert Qualification.objects.get().need == "Manual routing"


def test_bad_qualification_input_is_shown_next_to_the_field_and_not_saved(client, sal):
    response = client.post(
        reverse("handoff:qualification", args=[sal.pk]),
        {"authority": "unknown", "timeline_quarter": "next year", "need": "x"},
        **HTMX,
    )

    assert response.status_code == 400
    assert b"2027-Q1" in response.content
    assert not Qualification.objects.exists()


def test_promote_names_the_missing_criteria_in_place(client, sal):
    response = client.post(reverse("handoff:promote", args=[sal.pk]), {}, **HTMX)

    assert response.status_code == 400
    assert b"Missing:" in response.content
    assert b"A legitimate buying cycle exists" in response.content
    assert Lead.objects.get().stage == Stage.SAL


def test_a_refused_promote_posted_without_htmx_comes_back_in_a_whole_page(client, sal):
    """A click before the page's scripts ran posts the form itself: the refusal comes back in a
    styled page with the navigation, in the element the section's forms target, so saving the
    qualification next swaps in place again."""
    response = client.post(reverse("handoff:promote", args=[sal.pk]), {})

    content = response.content.decode()
    assert response.status_code == 400
    assert 'nav aria-label="Main"' in content and "css/accord.css" in content
    assert '<div id="qualification">' in content
    assert 'hx-target="#qualification"' in content
    assert "Missing:" in content


def test_promote_then_open_an_opportunity_from_the_lead_page(client, sal, account_executive):
    client.post(reverse("handoff:qualification", args=[sal.pk]), MET, **HTMX)

    promoted = client.post(
        reverse("handoff:promote", args=[sal.pk]),
        {"account_executive": account_executive.pk},
        **HTMX,
    )
    assert promoted.status_code == 204
    assert promoted["HX-Refresh"] == "true"
    assert Lead.objects.get().stage == Stage.SQL
    assert b"Open an opportunity" in client.get(reverse("leads:detail", args=[sal.pk])).content

    bad = client.post(reverse("handoff:open_opportunity", args=[sal.pk]), {"name": "Deal"}, **HTMX)
    assert bad.status_code == 400
    opened = client.post(
        reverse("handoff:open_opportunity", args=[sal.pk]),
        {
            "name": "Deal",
            "amount": "5000",
            "currency": "usd",
            "expected_close_date": "2026-09-30",
            "owner": account_executive.pk,
        },
        **HTMX,
    )
    assert opened.status_code == 204
    assert Opportunity.objects.get().owner == account_executive
    assert Lead.objects.get().stage == Stage.OPPORTUNITY


def test_the_status_is_set_from_the_lead_page(client, sal):
    response = client.post(
        reverse("handoff:lead_status", args=[sal.pk]), {"status": "open_deal"}, **HTMX
    )

    assert response.status_code == 200
    assert Lead.objects.get().status == "open_deal"


def test_marketers_cannot_qualify_promote_or_open_opportunities(client_as, sal):
    client = client_as("marketer")

    for name in ("qualification", "promote", "open_opportunity", "lead_status"):
        assert client.post(reverse(f"handoff:{name}", args=[sal.pk]), MET).status_code == 403


def test_an_sdr_not_working_the_lead_finds_no_qualification_to_save(client, sal, outsider):
    client.force_login(outsider)

    response = client.post(reverse("handoff:qualification", args=[sal.pk]), MET, **HTMX)

    assert response.status_code == 404
    assert not Qualification.objects.exists()


def test_the_account_executive_works_the_opportunity_to_won(client, sal, sdr, account_executive):
    services.set_required_criteria(
        user=type(sdr).objects.create_superuser("root", "r@example.com", "x"), required=[]
    )
    lead = services.promote_to_sql(lead=sal, user=sdr)
    opportunity = services.open_opportunity(
        lead=lead,
        user=sdr,
        name="Deal",
        amount=1,
        currency="EUR",
        expected_close_date="2026-09-30",
        owner=account_executive,
    )
    client.force_login(account_executive)
    url = reverse("handoff:opportunity", args=[opportunity.pk])
    form = {
        "name": "Deal",
        "amount": "1",
        "currency": "EUR",
        "expected_close_date": "2026-09-30",
        "owner": account_executive.pk,
    }

    lost = client.post(url, {**form, "stage": "lost"})
    assert lost.status_code == 400
    assert b"Say why" in lost.content
    assert client.post(url, {**form, "stage": "won"}).status_code == 302
    assert Lead.objects.get().stage == Stage.CUSTOMER
    assert b"Closed on" in client.get(url).content


def test_the_lead_page_names_the_lead_status_once(client, sal):
    page = client.get(reverse("leads:detail", args=[sal.pk])).content.decode()

    assert "<header>Lead status</header>" in page
    assert shown_once(page, "Lead status")
