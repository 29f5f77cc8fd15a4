"""The lead list, the lead page's history, the import pages and the form keys run the same
queries for a few rows as for many."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse, reverse_lazy

from accounts.roles import Role
from handoff import services as handoff_services
from handoff.models import ReturnReason
from intake import capture
from intake.imports import services as imports
from leads.lifecycle import move_stage
from leads.models import ActivityKind, Stage
from tests.factories import ActivityFactory, ChannelFactory, LeadFactory
from tests.handoff.factories import EXPLANATION
from tests.query_counts import assert_same_queries, measure
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

HEADER = "Email,First name,Company\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pool(db):
    return TeamFactory(name="Inbound", is_default=True, mode="pool")


def owned_leads(count, make_user):
    """Leads from channels of their own, each owned by its own account executive."""
    for number in range(count):
        LeadFactory(
            owner=make_user(Role.ACCOUNT_EXECUTIVE),
            first_name="伟",
            middle_name="",
            last_name="王",
            country=("TH", "CN", "RU", "SA", "")[number % 5],
        )


@pytest.mark.parametrize("url", [reverse_lazy("leads:list"), "/api/v1/leads/"], ids=["page", "api"])
@pytest.mark.parametrize("role", [Role.SDR, Role.MARKETER])
def test_the_lead_list_runs_the_same_queries_for_any_number_of_owners_and_channels(
    client_as, make_user, url, role
):
    client = client_as(role)

    def fetch():
        return client.get(url)

    owned_leads(2, make_user)
    few = measure(fetch)
    owned_leads(10, make_user)
    many = measure(fetch)

    assert many.body.count("@northwind.io") == 12
    assert_same_queries(few, many)


def queue_again(lead, make_user):
    """The lead qualifies under agreement v1 and waits in the pool, as rescoring does it."""
    move_stage(
        lead.pk,
        Stage.MQL,
        actor=make_user(Role.MARKETER),
        context={"agreement_version": 1},
    )
    lead.refresh_from_db()
    return handoff_services.open_handoff(
        lead=lead, agreement_version=1, score=55, explanation=EXPLANATION
    )


def engage(lead, count):
    for _ in range(count):
        ActivityFactory(lead=lead, kind=ActivityKind.WEBINAR_ATTENDED, channel=ChannelFactory())


@pytest.mark.parametrize("role", [Role.SDR, Role.MARKETER])
def test_the_lead_page_runs_the_same_queries_for_a_short_or_long_history(
    client_as, pool, make_user, role
):
    """Activities from many channels, several passes through the queue (handoffs, clocks,
    events and MQL decisions), each by another rep."""
    client = client_as(role)
    lead = LeadFactory()
    engage(lead, 2)
    handoff = queue_again(lead, make_user)

    def fetch():
        return client.get(reverse("leads:detail", args=[lead.pk]))

    few = measure(fetch)
    reasons = list(ReturnReason.objects.values_list("code", flat=True))
    for n in range(3):
        rep = TeamMemberFactory(team=pool).user
        handoff_services.return_handoff(handoff=handoff, user=rep, reason=reasons[n])
        engage(lead, 4)
        handoff = queue_again(lead, make_user)
    many = measure(fetch)

    assert many.body.count("Webinar attended") > few.body.count("Webinar attended")
    assert len(many.response.context["handoff_section"]["handoffs"]) == 4
    assert len(many.response.context["sla_clocks"]) > len(few.response.context["sla_clocks"])
    assert len(many.response.context["score_section"].decisions) == 4
    assert_same_queries(few, many)


def upload(content: str, make_user, save_as=""):
    """A spreadsheet uploaded and checked by its own marketer, optionally saved as a source."""
    job = imports.create_import(
        upload=SimpleUploadedFile("leads.csv", content.encode()), user=make_user(Role.MARKETER)
    )
    return imports.dry_run(job=job, mapping=job.mapping, channel=None, save_as=save_as)


def rows(count, *, bad=False):
    email = "not-an-email-{n}" if bad else "lead{n}@acme.io"
    return HEADER + "".join(f"{email.format(n=n)},Ana,Acme\n" for n in range(count))


@pytest.mark.parametrize("role", [Role.MARKETER, Role.ADMIN])
def test_the_import_list_runs_the_same_queries_for_any_number_of_imports(
    client_as, make_user, role
):
    client = client_as(role)

    def fetch():
        return client.get(reverse("intake:imports"))

    def add(count):
        for n in range(count):
            upload(rows(2), make_user, save_as=f"CRM export {n}" if n % 2 else "")

    add(2)
    few = measure(fetch)
    add(10)
    many = measure(fetch)

    assert len(many.response.context["jobs"]) == 12
    assert_same_queries(few, many)


@pytest.mark.parametrize(
    ("url_name", "streamed"),
    [("intake:import-detail", False), ("intake:import-rejections", True)],
)
def test_the_rejected_rows_run_the_same_queries_for_any_number_of_rows(
    client_as, make_user, url_name, streamed
):
    """The import page lists the rejected rows, and the CSV export streams them all."""
    client = client_as(Role.MARKETER)
    one_bad, twelve_bad = (
        upload(rows(1, bad=True), make_user),
        upload(rows(12, bad=True), make_user),
    )

    few = measure(lambda: client.get(reverse(url_name, args=[one_bad.pk])))
    many = measure(lambda: client.get(reverse(url_name, args=[twelve_bad.pk])))

    if streamed:
        assert many.body.count("not-an-email-") == 12
    else:
        assert len(many.response.context["rejections"]) == 12
    assert_same_queries(few, many)


def key_count(page):
    return sum(len(keys) for _channel, keys in page.response.context["rows"])


@pytest.mark.parametrize("role", [Role.MARKETER, Role.ADMIN])
def test_the_form_keys_page_runs_the_same_queries_for_any_number_of_keys(client_as, role):
    client = client_as(role)

    def fetch():
        return client.get(reverse("intake:form-keys"))

    def add(count):
        for n in range(count):
            channel = ChannelFactory()
            for origin in ("https://a.example", "https://b.example"):
                capture.new_form_key(
                    name=f"{channel.name} {n}", channel=channel, allowed_origins=[origin]
                )

    add(1)
    few = measure(fetch)
    add(6)
    many = measure(fetch)

    assert key_count(many) == key_count(few) + 12
    assert_same_queries(few, many)
