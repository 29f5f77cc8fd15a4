"""The agreement as a readable document, its history, diff and the sign-off and publish steps.

Views stay thin: they call scoring.versions; core.middleware shows a refusal.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.capabilities import capability_required, may
from scoring import versions
from scoring.diff import diff_versions
from scoring.models import SignoffSide
from scoring.narrative import agreement_mismatches
from scoring.selectors import agreements_for, document, latest_run, published_agreement


def _agreement_for(request, pk):
    return get_object_or_404(agreements_for(request.user), pk=pk)


@capability_required("agreement.view")
def current(request):
    agreement = published_agreement()
    if agreement is None:
        return redirect("scoring:history")
    return redirect("scoring:detail", pk=agreement.pk)


def _detail_context(request, agreement) -> dict:
    user = request.user
    signed = {signoff.side: signoff for signoff in agreement.signoffs.select_related("user")}
    signed_by_me = any(signoff.user_id == user.pk for signoff in signed.values())
    may_sign = {
        SignoffSide.MARKETING: may(user, "agreement.sign_off_marketing"),
        SignoffSide.SALES: may(user, "agreement.sign_off_sales") and agreement.author_id != user.pk,
    }
    sides = [
        {
            "side": side,
            "label": SignoffSide(side).label,
            "signoff": signed.get(side),
            "may_sign": agreement.is_submitted
            and side not in signed
            and may_sign[side]
            and not signed_by_me,
        }
        for side in SignoffSide.values
    ]
    published = published_agreement()
    return {
        "agreement": agreement,
        "sections": document(agreement),
        "narrative_warnings": agreement_mismatches(agreement),
        "sides": sides,
        "fully_signed": len(signed) == len(SignoffSide.values),
        "may_edit": may(user, "agreement.edit"),
        "may_publish": versions.may_publish(user),
        "run": latest_run(agreement),
        "published": published,
    }


@capability_required("agreement.view")
def detail(request, pk):
    agreement = _agreement_for(request, pk)
    return render(request, "scoring/agreement_detail.html", _detail_context(request, agreement))


@capability_required("agreement.view")
def history(request):
    agreements = agreements_for(request.user).prefetch_related("signoffs__user")
    return render(
        request,
        "scoring/agreement_history.html",
        {
            "agreements": agreements,
            "published": published_agreement(),
            "may_edit": may(request.user, "agreement.edit"),
        },
    )


@capability_required("agreement.view")
def diff(request):
    visible = agreements_for(request.user)
    try:
        old = visible.get(pk=int(request.GET.get("old", "")))
        new = visible.get(pk=int(request.GET.get("new", "")))
    except (ValueError, visible.model.DoesNotExist):
        return render(
            request,
            "scoring/agreement_diff.html",
            {"agreements": visible, "error": _("Pick two versions to compare.")},
            status=400 if request.GET else 200,
        )
    return render(
        request,
        "scoring/agreement_diff.html",
        {"agreements": visible, "diff": diff_versions(old, new)},
    )


@require_POST
@capability_required("agreement.edit")
def create(request):
    copy_of = None
    if request.POST.get("copy_of"):
        copy_of = get_object_or_404(agreements_for(request.user), pk=request.POST["copy_of"])
    draft = versions.create_draft(user=request.user, copy_of=copy_of)
    return redirect("scoring:edit", pk=draft.pk)


def _act(request, pk, action, success: str):
    """Run a lifecycle step; a refusal is shown by core.middleware."""
    agreement = _agreement_for(request, pk)
    action(agreement)
    messages.success(request, success)
    return redirect("scoring:detail", pk=agreement.pk)


@require_POST
@capability_required("agreement.edit")
def submit(request, pk):
    return _act(
        request,
        pk,
        lambda agreement: versions.submit_draft(agreement=agreement, user=request.user),
        _("Submitted: marketing and sales can now sign this version."),
    )


@require_POST
@capability_required("agreement.sign_off_marketing", "agreement.sign_off_sales")
def sign(request, pk):
    side = request.POST.get("side", "")
    return _act(
        request,
        pk,
        lambda agreement: versions.sign_off(agreement=agreement, user=request.user, side=side),
        _("Signed."),
    )


@require_POST
@capability_required("agreement.publish")
def publish(request, pk):
    return _act(
        request,
        pk,
        lambda agreement: versions.publish(agreement=agreement, user=request.user),
        _("Published. Every lead is being rescored under this version."),
    )


@capability_required("agreement.view")
def progress(request, pk):
    agreement = _agreement_for(request, pk)
    return render(
        request,
        "scoring/partials/rescore_progress.html",
        {"agreement": agreement, "run": latest_run(agreement)},
    )
