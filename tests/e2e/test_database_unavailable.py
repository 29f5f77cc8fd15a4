"""A rep's action meets a database that cannot be reached: the page stays as it is and the
503's sentence appears in its message area (accord.js swaps Accord's retargeted 503 like a
refusal; htmx leaves every 5xx unswapped by default)."""

import psycopg
import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from handoff import services
from tests.handoff.factories import mql_handoff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_claim_that_meets_no_database_says_so_in_the_message_area(
    page, log_in, manager, monkeypatch
):
    mql_handoff(first_name="Nadia", last_name="Petrova")
    log_in("morgan")
    page.goto("/handoff/queue/?view=all")

    def lost(**kwargs):
        raise OperationalError("connection lost") from psycopg.OperationalError("closed")

    monkeypatch.setattr(services, "claim_handoff", lost)
    page.get_by_role("button", name="Claim Nadia Petrova").click()

    expect(page.locator("#messages")).to_contain_text("cannot reach its database")
    expect(page.get_by_role("button", name="Claim Nadia Petrova")).to_be_visible()
