import pytest
from django.template.loader import render_to_string

from leads.lifecycle import move_stage
from leads.models import ActivityKind, Lead
from scoring.models import Agreement
from scoring.preview import ImpactPreview, _sample, preview_draft
from scoring.services import rescore_leads
from tests.factories import ActivityFactory, LeadFactory
from tests.scoring.factories import draft_copy

pytestmark = pytest.mark.django_db


def lead(*kinds, history=(), **profile):
    made = LeadFactory(**profile)
    for kind in kinds:
        properties = {"asset_type": "ebook"} if kind == ActivityKind.CONTENT_DOWNLOAD else {}
        ActivityFactory(lead=made, kind=kind, properties=properties)
    for stage in history:
        move_stage(made.pk, stage)
    return made


K = ActivityKind


@pytest.fixture
def known_leads():
    """Points under the starter agreement (threshold 15), and what sales made of them."""
    return {
        # 15: MQL now, not with threshold 20; sales returned it.
        "ebook_and_contact": lead(
            K.CONTENT_DOWNLOAD, K.CONTACT_REQUEST, history=["mql", "recycled"]
        ),
        # 20: MQL either way; reached SQL.
        "demo_and_ebook": lead(K.DEMO_REQUEST, K.CONTENT_DOWNLOAD, history=["mql", "sal", "sql"]),
        # 10: never; yet it reached SQL.
        "contact_only": lead(K.CONTACT_REQUEST, history=["mql", "sal", "sql"]),
        # 15 but free mail: never; returned.
        "free_mail": lead(K.DEMO_REQUEST, email="ana@gmail.com", history=["mql", "recycled"]),
        # 25: MQL either way; returned all the same.
        "demo_and_contact": lead(K.DEMO_REQUEST, K.CONTACT_REQUEST, history=["mql", "recycled"]),
    }


@pytest.mark.parametrize("scored", [False, True], ids=["scored_live", "stored_verdicts"])
def test_the_preview_counts_match_a_hand_worked_example(known_leads, marketer, scored):
    if scored:
        rescore_leads([lead.pk for lead in known_leads.values()], allow_moves=False)
    draft = draft_copy(marketer)
    Agreement.objects.filter(pk=draft.pk).update(threshold=20)
    draft.refresh_from_db()

    preview = preview_draft(draft=draft)

    assert (preview.leads, preview.sampled, preview.is_estimate) == (5, 5, False)
    assert (preview.mql_under_published, preview.mql_under_draft) == (3, 2)
    assert (preview.newly_qualifying, preview.no_longer_qualifying) == (0, 1)
    [changed] = preview.sample
    assert changed.id == known_leads["ebook_and_contact"].pk
    assert (changed.qualifies_now, changed.qualifies_under_draft) == (True, False)
    assert (changed.score_now, changed.score_under_draft) == (15, 15)
    assert changed.reasons == ["Score 15 is below the threshold 20"]
    # Reached SQL: demo_and_ebook (qualifies) and contact_only (does not).
    assert (preview.good_outcomes, preview.good_outcomes_qualified) == (2, 1)
    assert preview.good_outcomes_share == 50
    # Returned: excluded ebook_and_contact and free_mail, not demo_and_contact.
    assert (preview.returned, preview.returned_excluded, preview.returned_share) == (3, 2, 67)


def test_a_lower_threshold_lists_the_newly_qualifying_with_their_points(known_leads, marketer):
    draft = draft_copy(marketer)
    Agreement.objects.filter(pk=draft.pk).update(threshold=10)
    draft.refresh_from_db()

    preview = preview_draft(draft=draft)

    [changed] = preview.sample
    assert changed.id == known_leads["contact_only"].pk
    assert changed.reasons == ["+10 for each contact request (+10)"]
    assert (preview.mql_under_draft, preview.newly_qualifying) == (4, 1)


def test_an_empty_history_has_no_shares(marketer):
    preview = preview_draft(draft=draft_copy(marketer))

    assert (preview.leads, preview.good_outcomes_share, preview.returned_share) == (0, None, None)


def qualified(count):
    """`count` leads at 25 points, stored as MQL-worthy under the version in force."""
    leads = [lead(K.DEMO_REQUEST, K.CONTACT_REQUEST) for _ in range(count)]
    rescore_leads([made.pk for made in leads], allow_moves=False)
    return leads


def test_up_to_the_sample_size_every_lead_is_judged(marketer):
    qualified(4)

    preview = preview_draft(draft=draft_copy(marketer), exact_up_to=4, sampled_leads=2)

    assert (preview.leads, preview.sampled, preview.is_estimate) == (4, 4, False)


def test_beyond_the_sample_size_a_sample_is_judged_and_the_counts_scaled(marketer):
    qualified(40)

    preview = preview_draft(draft=draft_copy(marketer), exact_up_to=20, sampled_leads=10)

    assert (preview.leads, preview.is_estimate) == (40, True)
    assert 0 < preview.sampled <= 10
    # Every lead of the sample qualifies either way, so every lead is estimated to.
    assert (preview.mql_under_published, preview.mql_under_draft) == (40, 40)


def test_the_estimated_number_of_leads_skips_the_ids_of_deleted_leads(marketer):
    Lead.objects.bulk_create(Lead(email=f"lead{n}@northwind.io") for n in range(600))
    ids = sorted(Lead.objects.values_list("pk", flat=True))
    Lead.objects.filter(pk__in=ids[1::2]).delete()

    preview = preview_draft(draft=draft_copy(marketer), exact_up_to=100, sampled_leads=100)

    assert preview.is_estimate
    assert 250 <= preview.leads <= 350


def test_the_sample_is_the_same_for_every_draft_and_spread_over_all_leads(marketer):
    Lead.objects.bulk_create(Lead(email=f"lead{n}@northwind.io") for n in range(400))
    ids = sorted(Lead.objects.values_list("pk", flat=True))

    sample = _sample(exact_up_to=200, size=100)

    assert sample == _sample(exact_up_to=200, size=100)
    judged = Lead.objects.filter(sample.of("id")).count()
    assert 90 <= judged <= 100
    starts = [start for start, _stop in sample.ranges]
    assert min(starts) <= ids[100] and max(starts) >= ids[300]


def test_an_estimate_says_so_on_the_page():
    preview = ImpactPreview(
        leads=1_000_000,
        sampled=99_500,
        mql_under_published=92_764,
        mql_under_draft=92_734,
        newly_qualifying=0,
        no_longer_qualifying=30,
        sample=[],
        good_outcomes=35_809,
        good_outcomes_qualified=13_246,
        returned=53_839,
        returned_excluded=33_206,
    )

    page = render_to_string("scoring/partials/preview.html", {"preview": preview})

    assert "Estimated from a sample of 99,500 of about 1,000,000 leads" in page
    assert "Scored against" not in page
