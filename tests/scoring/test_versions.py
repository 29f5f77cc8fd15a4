import pytest

from accounts.roles import Role
from core.errors import ApplicationError, ConflictError, PermissionDenied
from notifications.models import Notification, NotificationKind
from scoring.models import ActionRule, Agreement, AgreementStatus, ProfileRule, RescoreRun, Signoff
from scoring.versions import create_draft, edit_draft, publish, sign_off, submit_draft
from tests.scoring.factories import draft_copy, published_agreement, signed_draft

pytestmark = pytest.mark.django_db


def set_threshold(value):
    def change(agreement):
        agreement.threshold = value
        agreement.save()

    return change


def test_a_copy_keeps_the_rules_and_their_keys_under_the_next_version(marketer):
    draft = draft_copy(marketer)

    assert (draft.version, draft.status, draft.author) == (2, AgreementStatus.DRAFT, marketer)
    keys = set(ActionRule.objects.filter(agreement=draft).values_list("key", flat=True))
    assert "ebook_download" in keys and len(keys) == 7
    assert ProfileRule.objects.filter(agreement=published_agreement()).count() == 4


def test_an_empty_draft_has_no_rules(marketer):
    draft = create_draft(user=marketer)

    assert not draft.actionrules.exists()


def test_only_marketers_create_drafts(sdr):
    with pytest.raises(PermissionDenied):
        create_draft(user=sdr)


def test_an_edit_against_an_old_revision_is_refused_and_nothing_is_saved(make_user):
    first, second = make_user(Role.MARKETER), make_user(Role.MARKETER)
    draft = draft_copy(first)
    opened_at = draft.revision

    edit_draft(agreement=draft, user=first, revision=opened_at, change=set_threshold(20))
    with pytest.raises(ConflictError, match="Someone else saved this draft"):
        edit_draft(agreement=draft, user=second, revision=opened_at, change=set_threshold(30))

    draft.refresh_from_db()
    assert (draft.threshold, draft.revision) == (20, opened_at + 1)


def test_published_versions_are_never_edited(marketer):
    current = published_agreement()

    with pytest.raises(ApplicationError, match="never edited"):
        edit_draft(agreement=current, user=marketer, revision=current.revision, change=print)


def test_an_edit_that_leaves_an_impossible_gate_is_rolled_back(marketer):
    draft = draft_copy(marketer)

    def impossible_size(agreement):
        for operator, value in (("at_least", 500), ("at_most", 50)):
            ProfileRule.objects.create(
                agreement=agreement,
                key=f"size_{operator}",
                field="company_size",
                operator=operator,
                value=value,
                mode="gate",
            )

    with pytest.raises(ApplicationError, match="No lead could meet both"):
        edit_draft(agreement=draft, user=marketer, revision=draft.revision, change=impossible_size)

    assert not ProfileRule.objects.filter(agreement=draft, field="company_size").exists()


def test_an_edit_voids_the_submission_and_the_signatures(make_user):
    author, rep = make_user(Role.MARKETER), make_user(Role.SDR)
    draft = draft_copy(author)
    submit_draft(agreement=draft, user=author)
    sign_off(agreement=draft, user=author, side="marketing")
    sign_off(agreement=draft, user=rep, side="sales")

    draft, _ = edit_draft(agreement=draft, user=author, revision=draft.revision, change=print)

    assert draft.submitted_at is None
    assert not Signoff.objects.filter(agreement=draft).exists()


def test_only_a_submitted_draft_is_signed(marketer, sdr):
    draft = draft_copy(marketer)

    with pytest.raises(ApplicationError, match="submitted"):
        sign_off(agreement=draft, user=sdr, side="sales")


def test_the_author_cannot_sign_the_sales_side(make_user):
    author = make_user(Role.MARKETER, Role.MANAGER)
    draft = draft_copy(author)
    submit_draft(agreement=draft, user=author)

    with pytest.raises(PermissionDenied, match="author"):
        sign_off(agreement=draft, user=author, side="sales")


def test_one_person_cannot_sign_for_both_sides(make_user):
    author = make_user(Role.MARKETER)
    both = make_user(Role.MARKETER, Role.SDR)
    draft = draft_copy(author)
    submit_draft(agreement=draft, user=author)
    sign_off(agreement=draft, user=both, side="marketing")

    with pytest.raises(PermissionDenied, match="both"):
        sign_off(agreement=draft, user=both, side="sales")


def test_sales_is_signed_by_an_sdr_or_a_manager_only(make_user):
    author = make_user(Role.MARKETER)
    draft = draft_copy(author)
    submit_draft(agreement=draft, user=author)

    with pytest.raises(PermissionDenied):
        sign_off(agreement=draft, user=make_user(Role.ACCOUNT_EXECUTIVE), side="sales")
    with pytest.raises(PermissionDenied):
        sign_off(agreement=draft, user=make_user(Role.SDR), side="marketing")


def test_a_side_signs_once(make_user):
    author = make_user(Role.MARKETER)
    draft = draft_copy(author)
    submit_draft(agreement=draft, user=author)
    sign_off(agreement=draft, user=make_user(Role.SDR), side="sales")

    with pytest.raises(ConflictError):
        sign_off(agreement=draft, user=make_user(Role.MANAGER), side="sales")


@pytest.mark.parametrize("sides", [(), ("marketing",), ("sales",)])
def test_publishing_without_both_signatures_is_refused(make_user, sides):
    author, rep = make_user(Role.MARKETER), make_user(Role.SDR)
    draft = draft_copy(author)
    submit_draft(agreement=draft, user=author)
    signers = {"marketing": author, "sales": rep}
    for side in sides:
        sign_off(agreement=draft, user=signers[side], side=side)

    with pytest.raises(ApplicationError, match="both signed"):
        publish(agreement=draft, user=author)

    assert Agreement.objects.get(pk=draft.pk).status == AgreementStatus.DRAFT


def test_publishing_retires_the_previous_version_and_queues_a_rescoring_run(
    make_user, django_capture_on_commit_callbacks, monkeypatch
):
    author, rep = make_user(Role.MARKETER), make_user(Role.SDR)
    queued = []
    monkeypatch.setattr("core.jobs.async_task", lambda *args: queued.append(args))
    draft = signed_draft(author, author, rep)

    with django_capture_on_commit_callbacks(execute=True):
        run = publish(agreement=draft, user=author)

    statuses = dict(Agreement.objects.values_list("version", "status"))
    assert statuses == {1: AgreementStatus.RETIRED, 2: AgreementStatus.PUBLISHED}
    assert queued == [("scoring.tasks.run_rescore", run.pk)]
    assert RescoreRun.objects.get().agreement_id == draft.pk


def test_sales_hears_once_that_a_version_waits_for_its_signature(marketer, sdr, manager, make_user):
    ae = make_user(Role.ACCOUNT_EXECUTIVE)
    draft = draft_copy(marketer)

    submit_draft(agreement=draft, user=marketer)
    submit_draft(agreement=draft, user=marketer)  # submitting again changes nothing

    told = Notification.objects.filter(kind=NotificationKind.AGREEMENT_AWAITS_SIGNATURE)
    assert sorted(told.values_list("user", flat=True)) == sorted([sdr.pk, manager.pk])
    assert not told.filter(user__in=[marketer, ae]).exists()
    assert told.first().text == f"{marketer} submitted MQL agreement v{draft.version} for sign-off."
    assert told.first().url == f"/agreement/{draft.pk}/"
