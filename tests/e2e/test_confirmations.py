"""Saying no to a confirmation sends nothing; saying yes goes ahead. One plain form
(data-confirm, answered by accord.js) and one htmx form (hx-confirm)."""

import pytest
from playwright.sync_api import expect

from handoff.models import Outcome, ReturnReason
from handoff.reasons import seed_default_reasons
from sla.models import SlaPolicy
from tests.handoff.factories import mql_handoff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_who_says_no_keeps_the_policy_and_yes_deactivates_it(page, log_in, manager):
    # A conditional policy: the unconditional ones each keep a step covered and cannot go.
    policy = SlaPolicy.objects.get(name__startswith="Hot lead (score")
    log_in("morgan")
    page.goto("/sla/policies/")
    row = page.get_by_role("row").filter(has_text=policy.name).first

    page.accept_dialogs = False
    row.get_by_role("button", name="Deactivate").click()
    assert page.dialogs == [
        "Deactivate this SLA policy? Clocks already running keep it; new handoffs are no "
        "longer timed by it."
    ]
    page.wait_for_timeout(300)  # a refused dialog sends nothing: give a stray post time to land
    policy.refresh_from_db()
    assert policy.is_active

    page.accept_dialogs = True
    row.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("Policy deactivated")).to_be_visible()
    policy.refresh_from_db()
    assert not policy.is_active


def test_a_rep_who_says_no_keeps_the_lead_in_the_queue(page, log_in, manager):
    seed_default_reasons(ReturnReason)
    handoff = mql_handoff(first_name="Nadia", last_name="Petrova")
    log_in("morgan")
    page.goto("/handoff/queue/?view=all")
    page.get_by_role("button", name="Claim Nadia Petrova").click()
    panel = page.locator("#queue-action")
    panel.get_by_label("Reason").select_option(label="No fit")

    page.accept_dialogs = False
    panel.get_by_role("button", name="Return").click()
    assert page.dialogs[-1].startswith("Return this lead to marketing?")
    page.wait_for_timeout(300)
    handoff.refresh_from_db()
    assert handoff.outcome == Outcome.OPEN

    page.accept_dialogs = True
    panel.get_by_role("button", name="Return").click()
    expect(panel.get_by_text("Returned to marketing.")).to_be_visible()
    handoff.refresh_from_db()
    assert handoff.outcome == Outcome.RETURNED
