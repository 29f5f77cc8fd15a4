import pytest

from leads.lifecycle import move_stage
from leads.models import ActivityKind
from scoring.models import Agreement
from scoring.preview import preview_draft
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

    assert preview.leads == 5
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
