"""The work panel gives a rep what the first touch needs without the lead page: how to reach
the person, their local time, what they did last and why they scored, on a laptop and a phone,
left to right and right to left."""

import pytest
from playwright.sync_api import expect

from handoff.views import queue as queue_views
from leads.models import ActivityKind
from tests.factories import ActivityFactory
from tests.handoff.factories import mql_handoff
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "width", "height"), [("en", 1366, 900), ("en", 390, 844), ("ar", 390, 844)]
)
def test_a_rep_reaches_the_lead_from_the_panel(
    page, log_in, sdr, monkeypatch, tmp_path, language, width, height
):
    monkeypatch.setattr(queue_views, "POLL_SECONDS", 60)
    TeamMemberFactory(team=TeamFactory(name="Inbound", is_default=True), user=sdr)
    handoff = mql_handoff(
        first_name="Somchai",
        last_name="Srisuk",
        email="somchai.srisuk@siam-international-trading.co.th",
        phone="+66 2 123 4567",
        country="TH",
        title="Head of Sales Operations, Southeast Asia",
        organization="Siam International Trading Public Company Limited",
    )
    ActivityFactory(lead=handoff.lead, kind=ActivityKind.DEMO_REQUEST)
    page.set_viewport_size({"width": width, "height": height})
    log_in("sam")
    page.goto("/handoff/queue/")
    if language != "en":
        # The switcher is in the user menu; on a phone that is under "Menu".
        menu = page.locator("header .nav-menu > summary")
        if menu.is_visible():
            menu.click()
        page.locator("header .user-menu > summary").click()
        with page.expect_navigation():
            page.locator("select[name=language]").select_option(language)
    page.locator(f"#queue-rows button[hx-get$='/handoff/queue/{handoff.pk}/']").click()
    panel = page.locator("#queue-action")

    email = "somchai.srisuk@siam-international-trading.co.th"
    expect(panel.locator(f'a[href="mailto:{email}"]')).to_be_visible()
    expect(panel.locator('a[href="tel:+6621234567"]')).to_be_visible()
    assert panel.locator("dd time").get_attribute("datetime").endswith("+07:00")  # Bangkok
    expect(panel.locator(".recent-activity li")).to_have_count(1)
    page.screenshot(path=tmp_path / f"work-panel-{language}-{width}.png", full_page=True)
    # Nothing in the panel reaches past its edges, whatever the language and the width.
    sticking_out = panel.evaluate(
        """panel => {
            const edge = panel.getBoundingClientRect();
            return [...panel.querySelectorAll("*")].filter(element => {
                const box = element.getBoundingClientRect();
                return box.width && (box.left < edge.left - 1 || box.right > edge.right + 1);
            }).map(element => element.outerHTML.slice(0, 80));
        }"""
    )
    assert sticking_out == []
