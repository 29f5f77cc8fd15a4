"""Answering a form of the lead page or the queue's work panel with its fragment."""

from django.shortcuts import render


def render_fragment(request, template: str, context: dict, *, target: str, status: int = 200):
    """The fragment htmx asked for. A form posted without htmx (clicked before the page's
    scripts ran) gets the same fragment inside a whole page instead, so the person stays on a
    styled page with its navigation, errors next to their fields; the fragment sits in an
    element with the id its forms target, so that the next post swaps in place again."""
    if request.htmx:
        return render(request, template, context, status=status)
    page = {**context, "fragment": template, "target": target}
    return render(request, "handoff/fragment_page.html", page, status=status)
