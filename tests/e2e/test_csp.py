"""Every role's pages in a real browser under the Content Security Policy (SECURE_CSP): the
browser reports each thing the policy blocks (a securitypolicyviolation event, Chromium's console
message, htmx refusing an expression because eval is off), and any report fails the test. What
the pages do with htmx and the chart library must still happen with nothing blocked."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from handoff.assignment import give_to
from intake import capture
from leads.models import ActivityKind
from pages.demo.leads import DEMO_PASSWORD, DEMO_USERS
from tests.factories import ChannelFactory
from tests.handoff.factories import mql_handoff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every document before its own scripts, so violations while parsing are caught too.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`
  );
});
"""
BLOCKED_IN_CONSOLE = ("Content Security Policy", "htmx:evalDisallowedError")

# Pages a role reaches from inside other pages rather than from the header.
MORE_PAGES = {
    "marketer": ["/reports/returns/"],
    "manager": ["/reports/returns/"],
    "sdr": ["/api/docs/"],
    "admin": ["/admin/leads/lead/", "/admin/auth/user/"],
}
ALL_CHARTS_DRAWN = "[...document.querySelectorAll('canvas')].every((c) => Chart.getChart(c))"


@pytest.fixture
def csp_violations(page):
    """What the browser blocked on this page, as it reports it; a test asserts it stays empty."""
    violations = []
    page.expose_function("reportCspViolation", lambda text: violations.append(f"{page.url} {text}"))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url} {message.text}")
            if any(sign in message.text for sign in BLOCKED_IN_CONSOLE)
            else None
        ),
    )
    return violations


def visit(page, url):
    page.goto(url, wait_until="networkidle")
    if page.locator("canvas").count():
        page.wait_for_function(ALL_CHARTS_DRAWN)


def header_links(page):
    return page.eval_on_selector_all(
        "header a[href]", "links => links.map((link) => link.getAttribute('href'))"
    )


def work_a_panel(page, tmp_path):
    """Opens a handoff in the queue's work panel (htmx), then closes it."""
    open_lead = page.get_by_role("button", name=re.compile(r"^(Work|Claim) "))
    for view in ("mine", "pool", "all"):
        visit(page, f"/handoff/queue/?view={view}")
        if open_lead.count():
            break
    open_lead.first.click()
    panel = page.locator("#queue-action")
    expect(panel.locator("#work-title")).to_be_focused()
    page.screenshot(path=tmp_path / "work-panel.png", full_page=True)
    panel.get_by_role("button", name="Close").click()
    expect(panel).to_be_empty()


def read_a_lead(page, tmp_path):
    visit(page, "/leads/")
    page.locator("main table tbody a").first.click()
    page.get_by_role("heading", name="Timeline").wait_for()
    page.screenshot(path=tmp_path / "lead-page.png", full_page=True)


def edit_a_draft_with_its_live_preview(page, tmp_path):
    visit(page, "/agreement/versions/")
    page.get_by_role("button", name="New draft from the version in force").click()
    draft_mqls = page.get_by_test_id("mql-draft")
    expect(draft_mqls).to_be_visible()
    page.get_by_label("Threshold").fill("1000")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(draft_mqls).to_have_text("0")
    page.screenshot(path=tmp_path / "agreement-editor.png", full_page=True)


def read_the_report_charts(page, tmp_path):
    for name in ("funnel", "channels"):
        visit(page, f"/reports/{name}/")
        assert page.locator("canvas").count() >= 1
        page.screenshot(path=tmp_path / f"{name}.png", full_page=True)


def read_the_sla_report(page, tmp_path):
    visit(page, "/reports/sla/breaches/")
    assert page.locator("canvas").count() == 2
    page.screenshot(path=tmp_path / "sla-report.png", full_page=True)


def read_the_api_docs(page, tmp_path):
    visit(page, "/api/docs/")
    expect(page.get_by_role("heading", name=re.compile("Accord API"))).to_be_visible()
    page.screenshot(path=tmp_path / "api-docs.png")


JOURNEYS = {
    "marketer": [read_a_lead, edit_a_draft_with_its_live_preview, read_the_report_charts],
    "sdr": [work_a_panel, read_a_lead, read_the_api_docs],
    "sdr2": [work_a_panel],
    "ae": [read_a_lead],
    "manager": [work_a_panel, read_a_lead, read_the_report_charts, read_the_sla_report],
    "admin": [read_a_lead],
}


def switch_language(page, tmp_path):
    """The switcher in the user menu sends its form on change (accord.js): Arabic lays the page
    out right to left, and English comes back the same way."""
    user_menu = page.locator("header .user-menu > summary")
    visit(page, "/leads/")
    user_menu.click()
    page.get_by_label("Language").select_option("ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.screenshot(path=tmp_path / "arabic.png", full_page=True)
    user_menu.click()
    page.locator("select[name=language]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("username", list(DEMO_USERS))
def test_each_role_works_its_pages_with_nothing_blocked(
    page, log_in, csp_violations, username, tmp_path
):
    call_command("seed_demo", leads=40, force=True)
    # A lead in the queue of the role's rep (a manager sees every rep's).
    rep = username if username in ("sdr", "sdr2") else "sdr"
    give_to(
        handoff=mql_handoff(first_name="Nadia"), user=get_user_model().objects.get(username=rep)
    )
    log_in(username, DEMO_PASSWORD)

    for url in dict.fromkeys(header_links(page) + MORE_PAGES.get(username, [])):
        visit(page, url)
    for step in JOURNEYS[username]:
        step(page, tmp_path)
    switch_language(page, tmp_path)

    assert csp_violations == []


def test_the_browser_blocks_and_reports_an_injected_handler(page, csp_violations):
    page.goto("/accounts/login/")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.locator("main").evaluate(
            "main => main.insertAdjacentHTML('beforeend', "
            '\'<img src="/missing.png" onerror="document.title = 0">\')'
        )

    assert page.title() == "Log in · Accord"
    assert any("script-src-attr" in violation for violation in csp_violations)


def test_the_web_form_error_page_goes_back_to_the_form(page, csp_violations):
    form_key = capture.new_form_key(
        name="Pricing guide",
        channel=ChannelFactory(slug="ebook"),
        allowed_origins=[],
        activity_kind=ActivityKind.CONTENT_DOWNLOAD,
    )
    page.goto("/accounts/login/")
    # A form on the company's site posting a bad email, as a visitor's browser would.
    page.locator("main").evaluate(
        f"""main => {{
          main.insertAdjacentHTML('beforeend',
            '<form id="site" method="post" action="/capture/{form_key.key}/">' +
            '<input name="email" value="nope"></form>');
          document.getElementById('site').submit();
        }}"""
    )
    page.get_by_role("heading", name="Please check the form").wait_for()
    page.get_by_role("link", name="Go back and correct it").click()

    page.wait_for_url("**/accounts/login/")
    assert csp_violations == []
