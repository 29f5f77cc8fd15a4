"""A rep works the queue from the keyboard: j/k through the rows, Enter opens, c claims, a and r
go to accepting and returning, ? lists the keys; with single-key shortcuts turned off in the
profile, the same keys do nothing (WCAG 2.1.4)."""

import pytest
from playwright.sync_api import expect

from accounts.preferences import save_preferences
from handoff.models import Handoff
from handoff.views import queue as queue_views
from tests.handoff.factories import mql_handoff
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_keyboard_focus_on(locator):
    """Wait until the page's own focus (document.activeElement) is on the element.

    Playwright's to_be_focused also needs the browser window to hold the system focus
    (document.hasFocus()), which headless Chromium on a loaded machine has been seen to drop
    for a whole run while the page's focus was right; where keys go is what the page decides.
    """
    locator.page.wait_for_function(
        "element => element.getRootNode().activeElement === element",
        arg=locator.element_handle(),
        timeout=5_000,
    )


@pytest.fixture
def pool(sdr, monkeypatch):
    monkeypatch.setattr(queue_views, "POLL_SECONDS", 60)
    team = TeamFactory(name="Inbound", is_default=True, mode="pool")
    TeamMemberFactory(team=team, user=sdr)
    return [
        mql_handoff(first_name="Nadia", last_name="Petrova", score=90),
        mql_handoff(first_name="Omar", last_name="Haddad", score=60),
    ]


def test_a_rep_claims_and_starts_accepting_without_the_mouse(page, log_in, pool, tmp_path):
    log_in("sam")
    page.goto("/handoff/queue/?view=pool")
    rows = page.locator("#queue-rows tr[data-handoff]")
    expect(rows).to_have_count(2)

    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class("is-current")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class("is-current")
    expect(rows.nth(0)).not_to_have_class("is-current")
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class("is-current")
    page.screenshot(path=tmp_path / "queue-keyboard-current-row.png")

    page.keyboard.press("Enter")
    panel = page.locator("#queue-action")
    expect(panel.get_by_role("heading", name="Nadia Petrova")).to_be_visible()
    assert Handoff.objects.get(pk=pool[0].pk).assignee is None  # Enter opens, it does not claim

    page.keyboard.press("Escape")
    expect(panel).to_be_empty()
    page.keyboard.press("c")
    expect(panel.get_by_text("It is yours.")).to_be_visible()
    assert Handoff.objects.get(pk=pool[0].pk).assignee.username == "sam"
    # The panel is settled when its heading has taken focus (htmx applies autofocus a moment
    # after the swap); a key pressed before that would have its focus taken back.
    expect_keyboard_focus_on(panel.locator("#work-title"))

    page.keyboard.press("a")
    expect_keyboard_focus_on(panel.get_by_label("It meets the MQL spec as shown"))
    page.keyboard.press("Space")  # ticks it; a ticked box is not a field being typed in
    page.keyboard.press("r")
    expect_keyboard_focus_on(panel.get_by_label("Reason"))

    page.keyboard.press("r")  # typed into the focused reason list: no shortcut
    expect_keyboard_focus_on(panel.get_by_label("Reason"))
    panel.get_by_label("Reason").blur()
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    page.screenshot(path=tmp_path / "queue-keyboard-help.png")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()


def test_with_single_keys_turned_off_the_keys_do_nothing(page, log_in, pool, sdr):
    save_preferences(user=sdr, single_key_shortcuts=False)
    log_in("sam")
    page.goto("/handoff/queue/?view=pool")
    rows = page.locator("#queue-rows tr[data-handoff]")
    expect(rows).to_have_count(2)

    for key in ("j", "c", "?"):
        page.keyboard.press(key)

    expect(page.locator("tr.is-current")).to_have_count(0)
    expect(page.locator("#queue-action")).to_be_empty()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert not Handoff.objects.filter(assignee=sdr).exists()
