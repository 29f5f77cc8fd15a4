"""The draft editor: settings and rules changed in place with htmx, and the live preview.

Every change posts the revision the page was loaded with (one hidden input, refreshed out of
band after each save). A successful change answers with the rule section alone and the
`rules-changed` event that refreshes the preview; bad input answers 400 with the form and its
errors in the same place; a stale revision (409) is shown by core.middleware.
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from accounts.capabilities import capability_required
from core.forms import refusals_on
from scoring import editing, engine
from scoring.convert import RULE_MODELS
from scoring.diff import KIND_LABELS
from scoring.forms import RULE_FORMS, SettingsForm
from scoring.models import Agreement
from scoring.narrative import agreement_mismatches
from scoring.preview import preview_draft
from scoring.selectors import agreements_for

CHANGED = json.dumps({"rules-changed": True})


def _draft(request, pk) -> Agreement:
    agreement = get_object_or_404(Agreement, pk=pk)
    if not agreement.is_draft:
        raise Http404
    return agreement


def _kind(kind: str) -> str:
    if kind not in RULE_MODELS:
        raise Http404
    return kind


def _revision(request) -> int:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return -1


def _section_context(agreement, kind, *, add_form=None, editing=None) -> dict:
    rows = [(row, row.describe()) for row in RULE_MODELS[kind].objects.filter(agreement=agreement)]
    return {
        "agreement": agreement,
        "kind": kind,
        "title": KIND_LABELS[kind],
        "rows": rows,
        "add_form": add_form or RULE_FORMS[kind](prefix=f"add-{kind}"),
        "editing": editing,
    }


def _section(request, agreement, kind, *, status=200, changed=False, **parts) -> HttpResponse:
    context = _section_context(agreement, kind, **parts) | {"oob_revision": changed}
    response = render(request, "scoring/partials/rule_section.html", context, status=status)
    if changed:
        response["HX-Trigger"] = CHANGED
    return response


@capability_required("agreement.edit")
def edit(request, pk):
    agreement = _draft(request, pk)
    sections = [_section_context(agreement, kind) for kind in RULE_MODELS]
    return render(
        request,
        "scoring/agreement_edit.html",
        {
            "agreement": agreement,
            "settings_form": SettingsForm(instance=agreement),
            "narrative_warnings": agreement_mismatches(agreement),
            "sections": sections,
            "profile_fields": [*engine.PROFILE_FIELDS, "attributes."],
        },
    )


@require_POST
@capability_required("agreement.edit")
def edit_settings(request, pk):
    agreement = _draft(request, pk)
    form = SettingsForm(request.POST, instance=Agreement.objects.get(pk=pk))
    status, changed = 400, False
    if form.is_valid():
        with refusals_on(form):
            agreement = editing.update_settings(
                agreement=agreement,
                user=request.user,
                revision=_revision(request),
                values={name: form.cleaned_data[name] for name in form.fields},
            )
            form, status, changed = SettingsForm(instance=agreement), 200, True
    response = render(
        request,
        "scoring/partials/settings_form.html",
        {
            "agreement": agreement,
            "settings_form": form,
            "narrative_warnings": agreement_mismatches(agreement) if changed else [],
            "oob_revision": changed,
        },
        status=status,
    )
    if changed:
        response["HX-Trigger"] = CHANGED
    return response


@require_POST
@capability_required("agreement.edit")
def add_rule(request, pk, kind):
    agreement, kind = _draft(request, pk), _kind(kind)
    form = RULE_FORMS[kind](request.POST, prefix=f"add-{kind}")
    if form.is_valid():
        with refusals_on(form):
            agreement = editing.add_rule(
                agreement=agreement,
                user=request.user,
                revision=_revision(request),
                kind=kind,
                rule=form.instance,
            )
    if form.errors:
        return _section(request, agreement, kind, status=400, add_form=form)
    return _section(request, agreement, kind, changed=True)


def _rule(agreement, kind, rule_id):
    return get_object_or_404(RULE_MODELS[kind], agreement=agreement, pk=rule_id)


@capability_required("agreement.edit")
def rule(request, pk, kind, rule_id):
    """GET: the rule's edit form in place; POST: save it."""
    agreement, kind = _draft(request, pk), _kind(kind)
    row = _rule(agreement, kind, rule_id)
    if request.method != "POST":
        form = RULE_FORMS[kind](instance=row, prefix=f"rule-{row.pk}")
        return _section(request, agreement, kind, editing=(row.pk, form))
    form = RULE_FORMS[kind](request.POST, instance=row, prefix=f"rule-{row.pk}")
    if form.is_valid():
        with refusals_on(form):
            agreement = editing.change_rule(
                agreement=agreement,
                user=request.user,
                revision=_revision(request),
                rule=form.instance,
            )
    if form.errors:
        return _section(request, agreement, kind, status=400, editing=(row.pk, form))
    return _section(request, agreement, kind, changed=True)


@require_POST
@capability_required("agreement.edit")
def move_rule(request, pk, kind, rule_id):
    agreement, kind = _draft(request, pk), _kind(kind)
    row = _rule(agreement, kind, rule_id)
    return _change(
        request,
        agreement,
        kind,
        lambda revision: editing.move_rule(
            agreement=agreement,
            user=request.user,
            revision=revision,
            rule=row,
            up=request.POST.get("direction") == "up",
        ),
    )


@require_POST
@capability_required("agreement.edit")
def remove_rule(request, pk, kind, rule_id):
    agreement, kind = _draft(request, pk), _kind(kind)
    row = _rule(agreement, kind, rule_id)
    return _change(
        request,
        agreement,
        kind,
        lambda revision: editing.remove_rule(
            agreement=agreement, user=request.user, revision=revision, rule=row
        ),
    )


def _change(request, agreement, kind, change) -> HttpResponse:
    agreement = change(_revision(request))
    return _section(request, agreement, kind, changed=True)


@require_GET
@capability_required("agreement.edit")
def section(request, pk, kind):
    """The section as saved: what Cancel shows."""
    return _section(request, _draft(request, pk), _kind(kind))


@require_GET
@capability_required("agreement.view")
def preview(request, pk):
    agreement = get_object_or_404(agreements_for(request.user), pk=pk)
    return render(
        request,
        "scoring/partials/preview.html",
        {"agreement": agreement, "preview": preview_draft(draft=agreement)},
    )
