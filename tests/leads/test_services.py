import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from core.errors import ConflictError, PermissionDenied
from handoff.models import EventKind, HandoffEvent
from handoff.services import open_handoff
from leads.lifecycle import move_stage
from leads.models import Lead, LeadStatus, Stage
from leads.services import bulk_upsert_leads, store_leads, update_lead, upsert_lead
from tests.factories import ActivityFactory, ChannelFactory, LeadFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_upsert_creates_a_lead_with_a_normalized_email_and_search_text():
    channel = ChannelFactory(slug="webinar")

    lead, created = upsert_lead(
        data={"email": "  Ana@Example.COM ", "first_name": "Анна", "channel": "webinar"}
    )

    assert created
    assert (lead.email, lead.channel, lead.first_name) == ("ana@example.com", channel, "Анна")
    assert "анна" in lead.search_text and "ana@example.com" in lead.search_text


def test_upsert_finds_the_lead_by_email_whatever_the_case_and_updates_it():
    existing = LeadFactory(email="ana@example.com", title="Analyst")

    lead, created = upsert_lead(data={"email": "ANA@example.com", "title": "Head of Data"})

    assert not created
    assert lead.pk == existing.pk
    assert lead.title == "Head of Data"
    assert "head of data" in lead.search_text
    assert Lead.objects.count() == 1


def test_upsert_keeps_the_first_touch_channel_and_merges_attributes():
    first = ChannelFactory(slug="ebook")
    ChannelFactory(slug="webinar")
    LeadFactory(email="ana@example.com", channel=first, attributes={"crm_id": "7"})

    lead, _ = upsert_lead(
        data={"email": "ana@example.com", "channel": "webinar", "attributes": {"plan": "pro"}}
    )

    assert lead.channel == first
    assert lead.attributes == {"crm_id": "7", "plan": "pro"}


def test_a_fill_only_upsert_writes_only_what_the_lead_lacks():
    LeadFactory(
        email="ana@example.com", title="CTO", phone="", company_size=None,
        attributes={"plan": "pro"},
    )  # fmt: skip

    lead, created = upsert_lead(
        data={
            "email": "ana@example.com", "title": "Intern", "phone": "+1 555 0100",
            "company_size": "40", "attributes": {"plan": "free", "crm_id": "7"},
        },
        fill_only=True,
    )  # fmt: skip

    assert not created
    assert (lead.title, lead.phone, lead.company_size) == ("CTO", "+1 555 0100", 40)
    assert lead.attributes == {"plan": "pro", "crm_id": "7"}


def test_an_unknown_channel_is_an_error_on_the_channel_field_and_nothing_is_saved():
    with pytest.raises(ValidationError) as invalid:
        upsert_lead(data={"email": "ana@example.com", "channel": "nope"})

    assert set(invalid.value.message_dict) == {"channel"}
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@example.com", "first_name": "x" * 151}, "first_name"),
        ({"email": "a@example.com", "first_name": 12}, "first_name"),
        ({"email": "a@example.com", "title": "nul\x00byte"}, "title"),
        ({"email": "a@example.com", "city": "\ud800"}, "city"),
        ({"email": "a@example.com", "company_size": -1}, "company_size"),
        ({"email": "a@example.com", "company_size": 2**40}, "company_size"),
        ({"email": "a@example.com", "company_size": True}, "company_size"),
        ({"email": "a@example.com", "status": "won"}, "status"),
        ({"email": "a@example.com", "attributes": []}, "attributes"),
        ({"email": "a@example.com", "attributes": {"x": float("inf")}}, "attributes"),
        ({"email": "a@example.com", "stage": "mql"}, "stage"),
        ({"email": "a@example.com", "score": 100}, "score"),
    ],
)
def test_bad_values_are_reported_on_their_field(data, field):
    with pytest.raises(ValidationError) as invalid:
        upsert_lead(data=data)

    assert field in invalid.value.message_dict
    assert not Lead.objects.exists()


def test_a_company_size_written_as_digits_is_a_number():
    lead, _ = upsert_lead(data={"email": "a@example.com", "company_size": " 250 "})

    assert lead.company_size == 250


def test_bulk_upsert_reports_each_row_and_stores_the_good_ones():
    LeadFactory(email="known@example.com", first_name="Old")

    result = bulk_upsert_leads(
        [
            {"email": "new@example.com", "first_name": "New"},
            {"email": "KNOWN@example.com", "first_name": "Updated"},
            {"email": "broken"},
            "not an object",
        ]
    )

    assert [o.status for o in result.outcomes] == ["created", "updated", "rejected", "rejected"]
    assert result.outcomes[2].errors.keys() == {"email"}
    assert result.outcomes[3].errors.keys() == {"non_field_errors"}
    assert (result.count("created"), result.count("updated"), result.count("rejected")) == (1, 1, 2)
    assert Lead.objects.get(email="known@example.com").first_name == "Updated"
    assert Lead.objects.get(email="new@example.com").search_text == "new new@example.com"


def test_bulk_upsert_rescores_the_touched_leads():
    engaged = LeadFactory(email="ana@northwind.io", title="")
    ActivityFactory(lead=engaged, kind="demo_request")

    bulk_upsert_leads([{"email": "ana@northwind.io", "title": "CTO"}, {"email": "b@northwind.io"}])

    engaged.refresh_from_db()
    other = Lead.objects.get(email="b@northwind.io")
    assert (engaged.stage, engaged.score) == (Stage.MQL, 15)
    assert (other.stage, other.score_agreement_version) == (Stage.LEAD, 1)


def test_bulk_upsert_merges_rows_naming_the_same_email():
    result = bulk_upsert_leads(
        [
            {"email": "ana@example.com", "first_name": "Ana"},
            {"email": "Ana@Example.com", "last_name": "Silva"},
        ]
    )

    assert [o.status for o in result.outcomes] == ["created", "updated"]
    assert result.outcomes[0].lead_id == result.outcomes[1].lead_id
    lead = Lead.objects.get()
    assert (lead.first_name, lead.last_name) == ("Ana", "Silva")


def test_bulk_upsert_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    channel = ChannelFactory(slug="ebook")
    LeadFactory.create_batch(5, channel=channel)
    few = [{"email": f"a{i}@example.com", "channel": "ebook"} for i in range(5)]
    many = [{"email": f"b{i}@example.com", "channel": "ebook"} for i in range(500)]
    many += [{"email": lead.email, "title": "CTO"} for lead in Lead.objects.all()]

    with django_assert_max_num_queries(8) as few_queries:
        store_leads(few)
    with django_assert_max_num_queries(len(few_queries.captured_queries) + 2):
        store_leads(many)

    assert Lead.objects.filter(title="CTO").count() == 5


def test_a_replayed_bulk_upsert_changes_nothing():
    rows = [{"email": f"a{i}@example.com", "first_name": "A"} for i in range(3)]
    bulk_upsert_leads(rows)
    before = dict(Lead.objects.values_list("email", "updated_at"))

    result = bulk_upsert_leads(rows)

    assert {o.status for o in result.outcomes} == {"updated"}
    assert dict(Lead.objects.values_list("email", "updated_at")) == before


def test_update_lead_lets_a_writer_change_any_writable_field(marketer):
    lead = LeadFactory(title="Analyst")
    ChannelFactory(slug="webinar")

    updated = update_lead(
        lead_id=lead.pk, data={"title": "CTO", "channel": "webinar"}, actor=marketer
    )

    assert (updated.title, updated.channel.slug) == ("CTO", "webinar")


def test_update_lead_lets_an_sdr_change_the_status_only(sdr):
    lead = LeadFactory(owner=sdr)

    updated = update_lead(lead_id=lead.pk, data={"status": "connected"}, actor=sdr)
    assert updated.status == LeadStatus.CONNECTED

    with pytest.raises(PermissionDenied):
        update_lead(lead_id=lead.pk, data={"status": "open", "title": "CEO"}, actor=sdr)


def test_a_status_change_is_audited_and_only_by_someone_who_works_the_lead(sdr, marketer):
    worked, other = LeadFactory(owner=sdr), LeadFactory()

    update_lead(lead_id=worked.pk, data={"status": "attempted_to_contact"}, actor=sdr)
    update_lead(lead_id=worked.pk, data={"status": "attempted_to_contact"}, actor=sdr)
    with pytest.raises(PermissionDenied):
        update_lead(lead_id=other.pk, data={"status": "connected"}, actor=sdr)
    update_lead(lead_id=other.pk, data={"status": "bad_timing", "title": "CFO"}, actor=marketer)

    audit = HandoffEvent.objects.filter(kind=EventKind.STATUS_CHANGED).order_by("id")
    assert [(e.lead_id, e.actor, e.data) for e in audit] == [
        (worked.pk, sdr, {"from": "new", "to": "attempted_to_contact"}),
        (other.pk, marketer, {"from": "new", "to": "bad_timing"}),
    ]
    assert Lead.objects.get(pk=other.pk).title == "CFO"


def test_a_refused_status_change_writes_none_of_the_other_fields(marketer, sdr):
    """A marketer edits any lead before it entered the queue, but its work status is the
    working rep's from then on; a refusal rolls back the whole edit."""
    lead = LeadFactory(title="Analyst")
    move_stage(lead.pk, Stage.MQL)
    open_handoff(lead=Lead.objects.get(pk=lead.pk), agreement_version=1, score=1, explanation={})

    with pytest.raises(PermissionDenied):
        update_lead(lead_id=lead.pk, data={"status": "connected", "title": "CTO"}, actor=marketer)

    lead.refresh_from_db()
    assert (lead.status, lead.title) == (LeadStatus.NEW, "Analyst")


def test_update_lead_refuses_an_email_another_lead_has(marketer):
    LeadFactory(email="taken@example.com")
    lead = LeadFactory()

    with pytest.raises(ConflictError) as conflict:
        update_lead(lead_id=lead.pk, data={"email": "TAKEN@example.com"}, actor=marketer)

    assert "email" in conflict.value.extra


def test_a_user_without_a_writing_role_may_not_upsert(make_user):
    with pytest.raises(PermissionDenied):
        upsert_lead(data={"email": "a@example.com"}, actor=make_user(Role.SDR))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"company_size_max": 200}, "company_size_max"),
        ({"company_size": 200, "company_size_max": 51}, "company_size_max"),
        ({"company_size": None, "company_size_max": 51}, "company_size_max"),
        ({"company_size": "many", "company_size_max": 51}, "company_size"),
    ],
)
def test_a_size_range_needs_its_lower_end_below_its_upper_end(data, field):
    with pytest.raises(ValidationError) as error:
        upsert_lead(data={"email": "ana@acme.io", **data})

    assert set(error.value.message_dict) == {field}


def test_a_size_range_is_stored_with_both_ends_and_an_exact_size_clears_the_upper_one():
    lead, _ = upsert_lead(
        data={"email": "ana@acme.io", "company_size": 51, "company_size_max": 200}
    )
    assert (lead.company_size, lead.company_size_max, lead.company_size_text) == (51, 200, "51–200")

    lead, _ = upsert_lead(
        data={"email": "ana@acme.io", "company_size": 100, "company_size_max": 100}
    )
    assert (lead.company_size, lead.company_size_max) == (100, None)

    upsert_lead(data={"email": "ana@acme.io", "company_size": 51, "company_size_max": 200})
    lead = update_lead(
        lead_id=lead.pk, data={"company_size": 75}, actor=UserFactory(roles=[Role.MARKETER])
    )
    assert (lead.company_size, lead.company_size_max) == (75, None)


def test_a_fill_only_upsert_leaves_a_known_size_whole():
    lead, _ = upsert_lead(data={"email": "ana@acme.io", "company_size": 85})

    upsert_lead(
        data={"email": "ana@acme.io", "company_size": 51, "company_size_max": 200},
        fill_only=True,
    )

    lead.refresh_from_db()
    assert (lead.company_size, lead.company_size_max) == (85, None)
