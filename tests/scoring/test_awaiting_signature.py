"""The marketer's home lists the drafts put up for signature, each with the teams yet to sign."""

import pytest

from accounts.roles import Role
from scoring.selectors import drafts_awaiting_signature
from scoring.versions import sign_off, submit_draft
from tests.scoring.factories import draft_copy, signed_draft

pytestmark = pytest.mark.django_db


def test_submitted_drafts_wait_for_the_sides_that_have_not_signed(marketer, make_user):
    other_marketer = make_user(Role.MARKETER, username="mia")
    manager = make_user(Role.MANAGER, username="mo")
    draft_copy(marketer)  # in progress, not submitted: nobody is asked to sign it yet
    unsigned = draft_copy(marketer)
    submit_draft(agreement=unsigned, user=marketer)
    half = draft_copy(marketer)
    submit_draft(agreement=half, user=marketer)
    sign_off(agreement=half, user=other_marketer, side="marketing")
    ready = signed_draft(marketer, other_marketer, manager)

    waiting = drafts_awaiting_signature()

    assert [(item.agreement.pk, item.unsigned) for item in waiting] == [
        (unsigned.pk, ["Marketing", "Sales"]),
        (half.pk, ["Sales"]),
        (ready.pk, []),
    ]


def test_drafts_awaiting_signature_take_two_queries(marketer, django_assert_num_queries):
    for _ in range(3):
        submit_draft(agreement=draft_copy(marketer), user=marketer)

    with django_assert_num_queries(2):
        waiting = drafts_awaiting_signature()
        assert [str(item.agreement.author) for item in waiting] == [str(marketer)] * 3
