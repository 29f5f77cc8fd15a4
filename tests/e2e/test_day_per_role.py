"""A day in Accord for each role (issue 14), in Chromium at a laptop's size (1366×900) and a
phone's (390×844), left to right and in Arabic (right to left).

Each role logs in, lands on its home page and opens every page its header offers, plus the pages
its work leads to (the agreement editor for the marketer, the queue's work panel and the lead
page for the SDR, a team, an SLA policy and business hours for the manager, SQLs and an
opportunity for the account executive). On every page:

- nothing is wider than the window (`document.documentElement.scrollWidth <= innerWidth`); at
  the laptop's size no table needs scrolling sideways either (on a phone a table may scroll
  inside its own container, never the page);
- every form field is one unit: a label's `for` names a control, and that control sits directly
  below its label or beside it on the same row, nearer to it than to any other field's label;
  what `aria-describedby` names (help and error texts) exists;
- the main navigation fits: one row of links on a laptop, a "Menu" that opens them on a phone.

The SDR's queue puts a breached handoff above an on-time one, with its Work button in view; a
refused promotion on the lead page followed by saving the qualification stays on the styled
page with its navigation.

One test per role: the browser, the live server and the role's data serve both sizes and both
directions (the data cannot outlive a test: the live server needs transactional tests, which
empty the database after each). Right to left, each role walks its own work (where its forms
are) rather than every page again. At the laptop's size axe-core finds no serious or critical
violation on any page. A screenshot of each page at each size and direction is saved in
tests/e2e/screenshots/<role>/ (git-ignored), to be looked at.
"""

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import expect

from handoff import services as handoff_services
from handoff.assignment import give_to
from handoff.services.handoffs import ACCEPTANCE_CHECKS
from handoff.views import queue as queue_views
from leads.models import Channel, Lead
from pages.demo.leads import DEMO_PASSWORD
from scoring import versions
from scoring.models import Agreement, AgreementStatus
from sla.services import advance_clocks
from tests.e2e.accessibility import violations
from tests.e2e.reading import SCREENSHOTS, read_in
from tests.handoff.factories import mql_handoff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
LONG_NAMES = {
    "first_name": "Maximiliane-Alexandra",
    "last_name": "von Hohenzollern-Sigmaringen",
    "title": "Vice President, Global Procurement Transformation and Supplier Diversity",
    "organization": "Internationale Speditions- und Logistikgesellschaft Nordrhein-Westfalen",
}

# How far the page reaches past the window's edge (the right one, or the left right to left),
# and the outermost elements that stick out there, for the message.
PAGE_OVERFLOW = """() => {
  const width = window.innerWidth;
  const rtl = document.documentElement.dir === "rtl";
  const out = (element) => {
    const r = element.getBoundingClientRect();
    return r.width > 0 && (rtl ? r.left < -1 : r.right > width + 1) && element.checkVisibility();
  };
  const culprits = [...document.body.querySelectorAll("*")]
    .filter((element) => out(element) && !out(element.parentElement))
    .slice(0, 3)
    .map((element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + [...element.classList].map((name) => "." + name).join(""));
  return {overflow: document.documentElement.scrollWidth - width, culprits};
}"""

# The tables in the page that scroll sideways inside their wrapper.
SCROLLING_TABLES = """() => [...document.querySelectorAll("main .table-wrap")]
  .filter((wrap) => wrap.checkVisibility() && wrap.scrollWidth > wrap.clientWidth + 1)
  .map((wrap) => wrap.querySelector("th")?.textContent.trim() || "a table")"""

# Every label in the page, with its box and its control's box (null when it labels nothing), and
# the aria-describedby references that name no element.
FORM_LAYOUT = """() => {
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  };
  const shown = (element) => {
    const r = element.getBoundingClientRect();
    return r.width > 2 && r.height > 2 && element.checkVisibility({visibilityProperty: true});
  };
  const fields = [...document.querySelectorAll("main label")].map((label) => ({
    label: label.textContent.trim().slice(0, 60),
    for: label.getAttribute("for"),
    control: label.control && (label.control.id || label.control.name),
    wraps: Boolean(label.control && label.contains(label.control)),
    shown: shown(label) && Boolean(label.control) && shown(label.control),
    labelBox: box(label),
    controlBox: label.control && box(label.control),
  }));
  const dangling = [];
  for (const element of document.querySelectorAll("main [aria-describedby]")) {
    for (const id of element.getAttribute("aria-describedby").split(/\\s+/)) {
      if (id && !document.getElementById(id)) dangling.push(`${element.id || element.name}: ${id}`);
    }
  }
  return {fields, dangling};
}"""

# The middles (heights) of what the header's bar shows: one row when they are about the same.
BAR_MIDDLES = """() => [...document.querySelectorAll(".site-header nav li")]
  .filter((item) => item.checkVisibility() && !item.closest("details.dropdown ul"))
  .map((item) => item.getBoundingClientRect())
  .map((box) => Math.round((box.top + box.bottom) / 2))"""


def gap(a, b):
    """The shortest distance between two boxes (0 when they touch or overlap)."""
    dx = max(0, a["left"] - b["right"], b["left"] - a["right"])
    dy = max(0, a["top"] - b["bottom"], b["top"] - a["bottom"])
    return (dx * dx + dy * dy) ** 0.5


def field_problems(layout) -> list[str]:
    """What breaks "one field, one unit" in a page's forms (FORM_LAYOUT's answer)."""
    problems = [f"aria-describedby names nothing: {ref}" for ref in layout["dangling"]]
    fields = layout["fields"]
    for field in fields:
        if field["control"] is None:
            problems.append(f"label {field['label']!r} (for={field['for']!r}) labels no control")
            continue
        if field["wraps"] or not field["shown"]:
            continue
        label, control = field["labelBox"], field["controlBox"]
        across = min(label["right"], control["right"]) - max(label["left"], control["left"])
        along = min(label["bottom"], control["bottom"]) - max(label["top"], control["top"])
        below = control["top"] >= label["bottom"] - 2 and across > 0
        if not (below or along > 0):
            problems.append(f"{field['label']!r}: its control is neither below it nor beside it")
            continue
        own = gap(label, control)
        nearer = [
            other["label"]
            for other in fields
            if other["shown"]
            and other["control"] != field["control"]
            and gap(other["labelBox"], control) < own - 1
        ]
        if nearer:
            problems.append(f"{field['label']!r}: its control is nearer to {nearer[0]!r}")
    return problems


class Day:
    """One role's walk through its pages: checks each page as it is shown and keeps a screenshot
    of it, collecting what is wrong rather than stopping at the first problem."""

    def __init__(self, page, folder):
        self.page = page
        self.folder = folder
        self.size = self.direction = ""
        self.problems = []

    def at(self, size, direction):
        self.size, self.direction = size, direction
        self.page.set_viewport_size(SIZES[size])

    def words(self, text, context=None):
        """`text` as the page shows it: English left to right, Arabic right to left."""
        with translation.override("ar" if self.direction == "rtl" else "en"):
            return pgettext(context, text) if context else gettext(text)

    def visit(self, url):
        self.page.goto(url)

    def check(self, name):
        """The page as it stands: nothing sideways, every field one unit; a screenshot."""
        where = f"{name} at {self.size} ({self.direction})"
        overflow = self.page.evaluate(PAGE_OVERFLOW)
        if overflow["overflow"] > 0:
            self.problems.append(
                f"{where}: the page is {overflow['overflow']}px wider than the window"
                f" ({', '.join(overflow['culprits'])})"
            )
        if self.size == "laptop":
            self.problems.extend(
                f"{where}: the table under {heading!r} scrolls sideways"
                for heading in self.page.evaluate(SCROLLING_TABLES)
            )
        self.problems.extend(
            f"{where}: {problem}" for problem in field_problems(self.page.evaluate(FORM_LAYOUT))
        )
        if self.size == "laptop":  # axe judges the markup, which both sizes share
            self.problems.extend(f"{where}: {problem}" for problem in violations(self.page))
        self.page.screenshot(
            path=self.folder / f"{name}-{self.size}-{self.direction}.png", full_page=True
        )


def page_name(url):
    return re.sub(r"[^a-z0-9]+", "-", urlsplit(url).path.lower()).strip("-") or "home"


def header_links(page):
    """The Accord pages the header offers: the navigation, Set-up and the user menu."""
    hrefs = page.eval_on_selector_all(
        "header a[href]", "links => links.map((link) => link.getAttribute('href'))"
    )
    return [href for href in hrefs if href not in ("/", "/admin/")]


def find_the_way(day, data):
    """On a laptop the header's links and user menu sit in one row; on a phone "Menu" opens
    them under the bar, and closes again."""
    page = day.page
    navigation = page.get_by_role("navigation", name=day.words("Main"))
    leads = navigation.get_by_role("link", name=day.words("Leads", "main navigation"), exact=True)
    if day.size == "laptop":
        expect(leads).to_be_visible()
        middles = page.evaluate(BAR_MIDDLES)
        if max(middles) - min(middles) > 10:
            day.problems.append(f"header at laptop ({day.direction}): the bar wraps: {middles}")
        return
    expect(leads).to_be_hidden()
    menu = navigation.locator("summary", has_text=day.words("Menu"))
    menu.click()
    expect(leads).to_be_visible()
    day.check("menu")
    menu.click()
    expect(leads).to_be_hidden()


def edit_the_agreement(day, data):
    """The marketer's draft in the editor, with each "add a rule" form open under its rules."""
    day.visit(f"/agreement/{data['draft'].pk}/edit/")
    expect(day.page.get_by_test_id("mql-draft")).to_be_visible()
    for summary in day.page.locator("details.add-rule > summary").all():
        summary.click()
    day.check("agreement-editor")


def work_the_queue(day, data):
    """The most urgent handoff comes first with its Work button in view; the work panel opens."""
    page = day.page
    day.visit("/handoff/queue/")
    rows = page.locator("#queue-rows tr[data-handoff]")
    first = rows.first
    expect(first).to_have_attribute("data-handoff", str(data["breached"].pk))
    expect(first.locator(".clock-breached")).to_be_visible()
    order = rows.evaluate_all("rows => rows.map((row) => row.dataset.handoff)")
    assert order.index(str(data["breached"].pk)) < order.index(str(data["on_time"].pk))
    # The button that opens the row's work panel, in whichever language it is labelled.
    work = first.locator("td.row-actions button[hx-get]")
    expect(work).to_have_attribute("hx-get", first.get_attribute("data-work-url"))
    # Scroll the window (only: a table that scrolls sideways stays as it is) to the button.
    work.evaluate("button => scrollTo(0, button.getBoundingClientRect().top + scrollY - 100)")
    expect(work).to_be_in_viewport(ratio=1)
    day.check("queue")
    work.click()
    expect(page.locator("#work-title")).to_be_focused()
    day.check("work-panel")


def refuse_then_save_on_the_lead_page(day, data):
    """Promoting with the BANT incomplete is refused in place; saving the qualification after
    that keeps the styled lead page, with its navigation."""
    page = day.page
    lead = data["sal_lead"]
    day.visit(f"/leads/{lead.pk}/")
    qualification = page.locator("#qualification")
    qualification.get_by_label(day.words("Hand to account executive")).select_option(index=1)
    with page.expect_response(f"**/handoff/leads/{lead.pk}/promote/") as refusal:
        qualification.get_by_role("button", name=day.words("Promote to SQL")).click()
    assert refusal.value.status == 400
    expect(qualification.locator(".promote-form .error")).to_be_visible()
    day.check("lead-promote-refused")

    qualification.locator("[name$='need']").fill("Cold-chain tracking across 40 depots")
    qualification.get_by_role("button", name=day.words("Save qualification")).click()
    expect(qualification.get_by_text(day.words("Qualification saved."))).to_be_visible()
    assert urlsplit(page.url).path == f"/leads/{lead.pk}/"
    expect(page.get_by_role("navigation", name=day.words("Main"))).to_be_attached()
    expect(page.get_by_role("heading", name=lead.full_name, level=1)).to_be_visible()
    # Accord's stylesheet applies: the header's bottom rule is drawn.
    assert (
        page.locator(".site-header nav").evaluate("nav => getComputedStyle(nav).borderBottomStyle")
        == "solid"
    )
    day.check("lead-qualification-saved")


def manage_the_set_up(day, data):
    """The pages behind the manager's lists: a team, an SLA policy, a team's business hours."""
    page = day.page
    for listing, link in (
        ("/handoff/teams/", "main table tbody a"),
        ("/sla/policies/", "main table td a"),
        ("/sla/hours/", "main table td.actions a"),
    ):
        day.visit(listing)
        page.locator(link).first.click()
        page.wait_for_url(lambda url, listing=listing: urlsplit(url).path != listing)
        day.check(page_name(page.url))
    day.visit("/sla/policies/new/")
    day.check("sla-policy-new")


def work_a_deal(day, data):
    """The SQL handed to the account executive is listed; their opportunity, with the form that
    moves it on."""
    day.visit("/handoff/sqls/")
    expect(day.page.get_by_role("link", name=data["sql_lead"].full_name)).to_be_visible()
    day.visit(f"/handoff/opportunities/{data['opportunity'].pk}/")
    day.check("opportunity")


def read_the_profile(day, data):
    """The API token form: the one form every role has."""
    day.visit("/accounts/profile/")
    day.check("accounts-profile")


JOURNEYS = {
    "marketer": [edit_the_agreement],
    "sdr": [work_the_queue, refuse_then_save_on_the_lead_page],
    "ae": [work_a_deal],
    "manager": [manage_the_set_up],
    "admin": [read_the_profile],
}
# Pages a role reaches from inside other pages rather than from the header.
MORE_PAGES = {
    "ae": ["/handoff/sqls/"],
    "manager": ["/handoff/return-reasons/", "/handoff/criteria/", "/webhooks/"],
}


@pytest.fixture
def day_data(monkeypatch):
    """The demo data, plus what a hard day brings (long names throughout): for the SDR a
    handoff breached days ago and one that just arrived, and a lead accepted into SAL whose
    BANT is not complete; for the account executive an SQL and an opportunity; for the marketer
    a draft of the agreement in force, with its rules."""
    monkeypatch.setattr(queue_views, "POLL_SECONDS", 60)
    call_command("seed_demo", leads=24, force=True)
    users = {user.username: user for user in get_user_model().objects.all()}
    sdr, executive = users["sdr"], users["ae"]
    channel = Channel.objects.get(slug="website-form")
    now = timezone.now()

    def handed_to_sdr(age, **names):
        handoff = mql_handoff(now=now - age, channel=channel, **names)
        give_to(handoff=handoff, user=sdr)
        return handoff

    def accepted(age, **names):
        handoff = handed_to_sdr(age, **names)
        checklist = dict.fromkeys(ACCEPTANCE_CHECKS, True)
        handoff_services.accept_handoff(handoff=handoff, user=sdr, checklist=checklist)
        return Lead.objects.get(pk=handoff.lead_id)

    breached = handed_to_sdr(timedelta(days=30), **LONG_NAMES)
    on_time = handed_to_sdr(timedelta(0), first_name="Li", last_name="Na", organization="Tea Co")
    sal = accepted(
        timedelta(hours=1),
        first_name="Oluwaseun",
        last_name="Adebayo-Okonkwo",
        organization="Lagos Freight & Cold Chain Cooperative",
    )
    sql = promoted(accepted(timedelta(days=3), **LONG_NAMES), rep=sdr, executive=executive)
    deal = promoted(accepted(timedelta(days=2), **LONG_NAMES), rep=sdr, executive=executive)
    advance_clocks(now=now)
    opportunity = handoff_services.open_opportunity(
        lead=deal,
        user=sdr,
        name=f"{deal.organization}: end-to-end cold-chain visibility rollout, phase one",
        amount=Decimal("180000"),
        currency="EUR",
        expected_close_date=(now + timedelta(days=90)).date(),
        owner=executive,
    )
    draft = versions.create_draft(
        user=users["marketer"],
        copy_of=Agreement.objects.get(status=AgreementStatus.PUBLISHED),
    )
    return {
        "breached": breached,
        "on_time": on_time,
        "sal_lead": sal,
        "sql_lead": sql,
        "opportunity": opportunity,
        "draft": draft,
    }


def promoted(lead, *, rep, executive):
    """The SAL qualified in full and promoted to SQL for the executive."""
    handoff_services.save_qualification(
        lead=lead,
        user=rep,
        changes={
            "buying_cycle": True,
            "influencer": True,
            "timeframe_known": True,
            "size_known": True,
            "next_step_permission": True,
            "budget_known": True,
            "budget_amount": Decimal("180000"),
            "budget_currency": "EUR",
            "authority": "decision_maker",
            "need": "Shipments vanish between the depot and the customs broker.",
            "timeline_quarter": f"{timezone.now().year + 1}-Q2",
            "next_step": "Workshop with the customs and depot teams",
            "next_step_date": (timezone.now() + timedelta(days=7)).date(),
        },
    )
    return handoff_services.promote_to_sql(lead=lead, user=rep, account_executive=executive)


@pytest.mark.parametrize("role", ["marketer", "sdr", "ae", "manager", "admin"])
def test_each_role_gets_through_its_day_at_both_sizes_in_both_directions(
    role, page, log_in, day_data
):
    day = Day(page, SCREENSHOTS / role)
    log_in(role, DEMO_PASSWORD)
    home = urlsplit(page.url).path
    pages = list(dict.fromkeys([home, *header_links(page), *MORE_PAGES.get(role, [])]))
    journeys = [find_the_way, *JOURNEYS[role]]

    for size in SIZES:
        day.at(size, "ltr")
        for url in pages:
            day.visit(url)
            day.check(page_name(url))
        for journey in journeys:
            journey(day, day_data)

    read_in(page, "ar")
    for size in SIZES:
        day.at(size, "rtl")
        day.visit(home)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        day.check(page_name(home))
        for journey in journeys:
            journey(day, day_data)

    assert not day.problems, "\n".join(day.problems)
