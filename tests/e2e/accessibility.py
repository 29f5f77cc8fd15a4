"""axe-core (static/vendor, from the npm registry) run on a page the browser tests have open.

The page's Content Security Policy forbids injected script tags, so axe is evaluated through
the DevTools protocol (page.evaluate), which the policy does not govern, as a person's
browser extension would be. Serious and critical violations fail the test, each listed with
the elements it found.
"""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-4.14.1.min.js"
BLOCKING = {"serious", "critical"}


def violations(page) -> list[str]:
    """Serious and critical axe violations of the page as it is now, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }"""
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['targets'])}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def assert_accessible(page) -> None:
    problems = violations(page)
    assert not problems, f"axe on {page.url}:\n" + "\n".join(problems)
