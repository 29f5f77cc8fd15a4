"""Empty lists on a phone (390×844), left to right and in Arabic: what a page says when it has
nothing to show (and what to do next) is read in full, never cut off by a table wider than the
window. Every role's lists, reports and home, on a database with no leads at all.

A screenshot of each page is saved in the test's tmp_path.
"""

import re

import pytest

from accounts.roles import Role
from tests.e2e.reading import read_in
from tests.e2e.test_day_per_role import PAGE_OVERFLOW, SIZES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The text of every cell or paragraph that stands for an empty list, and the parts of its lines
# that fall outside the window (a Range's boxes: the text as laid out, not the cell's box).
CUT_OFF = """() => {
  const width = window.innerWidth;
  const empty = [...document.querySelectorAll("main td[colspan], main .empty-state, main .empty")]
    .filter((element) => element.checkVisibility() && element.textContent.trim());
  return empty.flatMap((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const out = [...range.getClientRects()].some((box) => box.left < -1 || box.right > width + 1);
    return out ? [element.textContent.trim().slice(0, 60)] : [];
  });
}"""

PAGES = {
    Role.SDR: ["/handoff/queue/", "/handoff/queue/?view=pool"],
    Role.MARKETER: [
        "/",
        "/leads/",
        "/handoff/returned/",
        "/reports/funnel/",
        "/reports/returns/",
        "/reports/channels/",
        "/imports/",
        "/agreement/versions/",
    ],
    Role.ACCOUNT_EXECUTIVE: ["/", "/handoff/sqls/", "/handoff/opportunities/"],
    Role.MANAGER: [
        "/",
        "/reports/sla/",
        "/reports/sla/breaches/",
        "/reports/sla/breaches/handoffs/",
        "/webhooks/",
        "/notifications/",
    ],
}


@pytest.mark.parametrize("role", list(PAGES))
def test_what_an_empty_list_says_fits_a_phone(role, page, log_in, make_user, tmp_path):
    make_user(role, username="someone")
    log_in("someone")
    page.set_viewport_size(SIZES["phone"])
    problems = []
    for direction in ("ltr", "rtl"):
        if direction == "rtl":
            read_in(page, "ar")
        for url in PAGES[role]:
            page.goto(url)
            name = re.sub(r"[^a-z0-9]+", "-", url).strip("-") or "home"
            page.screenshot(path=tmp_path / f"empty-{name}-{direction}.png", full_page=True)
            where = f"{url} ({direction})"
            problems.extend(f"{where}: {text!r} is cut off" for text in page.evaluate(CUT_OFF))
            overflow = page.evaluate(PAGE_OVERFLOW)
            if overflow["overflow"] > 0:
                problems.append(
                    f"{where}: {overflow['overflow']}px too wide {overflow['culprits']}"
                )

    assert not problems, "\n".join(problems)
