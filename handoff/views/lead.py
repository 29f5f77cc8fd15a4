"""The handoff sections of the lead page: status, qualification, promotion, opportunity.

Each form posts with htmx and gets its own fragment back: errors in place (400), or the page
reloads (HX-Refresh) when the lead changed stage. Posted without htmx, the fragment comes in a
whole page (render_fragment), or the lead page opens again after a stage change.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.capabilities import capability_required
from core.forms import refusals_on
from handoff import services
from handoff.access import leads_with_qualification_visible_to
from handoff.forms import (
    DisqualifyForm,
    OpportunityForm,
    PromoteForm,
    QualificationForm,
    ReinstateForm,
    ReturnForm,
    StatusForm,
)
from handoff.models import Qualification
from handoff.selectors import lead_handoff_section
from handoff.views.fragments import render_fragment
from leads.models import Lead, Stage


def lead_section_context(*, lead: Lead, user, **forms) -> dict:
    """Everything lead_section.html needs; LeadDetailView adds it as `handoff_section`."""
    section = lead_handoff_section(lead=lead, user=user)
    section["status_form"] = forms.get("status_form") or StatusForm(initial={"status": lead.status})
    section["qualification_form"] = forms.get("qualification_form") or QualificationForm(
        instance=section["qualification"] or Qualification(lead=lead)
    )
    section["promote_form"] = forms.get("promote_form") or PromoteForm()
    section["return_form"] = forms.get("return_form") or ReturnForm()
    section["disqualify_form"] = forms.get("disqualify_form") or DisqualifyForm()
    section["reinstate_form"] = forms.get("reinstate_form") or ReinstateForm()
    section["opportunity_form"] = forms.get("opportunity_form") or OpportunityForm(
        initial={"name": lead.organization or str(lead)}
    )
    return section


# The element of the lead page that each fragment fills (hx-target of its forms).
TARGETS = {
    "handoff/partials/lead_status.html": "lead-status",
    "handoff/partials/qualification.html": "qualification",
    "handoff/partials/lead_decision.html": "lead-decision",
    "handoff/partials/opportunity_form.html": "opportunity-form",
}


def _fragment(request, lead, template, *, status=200, **context):
    forms = {key: value for key, value in context.items() if key.endswith("_form")}
    section = lead_section_context(lead=lead, user=request.user, **forms)
    context = {"lead": lead, "handoff_section": section, **context}
    return render_fragment(request, template, context, target=TARGETS[template], status=status)


def _reload(request, lead, message):
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        messages.success(request, message)
        return response
    messages.success(request, message)
    return redirect("leads:detail", lead.pk)


@require_POST
@capability_required("handoff.work_leads")
def lead_status(request, pk):
    lead = get_object_or_404(Lead, pk=pk)
    form = StatusForm(request.POST)
    template = "handoff/partials/lead_status.html"
    if form.is_valid():
        with refusals_on(form):
            lead = services.set_lead_status(
                lead=lead, user=request.user, status=form.cleaned_data["status"]
            )
    if form.errors:
        return _fragment(request, lead, template, status=400, status_form=form)
    return _fragment(request, lead, template, saved=True)


@require_POST
@capability_required("handoff.work_leads")
def qualification(request, pk):
    """Save BANT answers in place; 404 for a lead whose qualification the user may not read
    (handoff.access), as the API answers."""
    lead = get_object_or_404(leads_with_qualification_visible_to(request.user), pk=pk)
    instance = Qualification.objects.filter(lead=lead).first() or Qualification(lead=lead)
    form = QualificationForm(request.POST, instance=instance)
    template = "handoff/partials/qualification.html"
    if form.is_valid():
        with refusals_on(form):
            services.save_qualification(lead=lead, user=request.user, changes=form.cleaned_data)
    if form.errors:
        return _fragment(request, lead, template, status=400, qualification_form=form)
    return _fragment(request, lead, template, saved=True)


@require_POST
@capability_required("handoff.qualify")
def promote(request, pk):
    lead = get_object_or_404(Lead, pk=pk)
    form = PromoteForm(request.POST)
    template = "handoff/partials/qualification.html"
    if form.is_valid():
        # The criteria still missing (409) are shown on the form, where they are answered.
        with refusals_on(form, statuses=(400, 409)):
            services.promote_to_sql(
                lead=lead,
                user=request.user,
                account_executive=form.cleaned_data["account_executive"],
            )
    if form.errors:
        return _fragment(request, lead, template, status=400, promote_form=form)
    return _reload(request, lead, _("Promoted to SQL."))


def _decide(request, pk, form_class, form_key, template, act, message):
    """Validate the form, make the decision on the lead, and reload the page; bad input is shown
    next to the field in the form's fragment (400), other refusals by DomainErrorMiddleware."""
    lead = get_object_or_404(Lead, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        with refusals_on(form):
            act(lead, form.cleaned_data)
    if form.errors:
        return _fragment(request, lead, template, status=400, **{form_key: form})
    return _reload(request, lead, message)


@require_POST
@capability_required("handoff.qualify")
def return_to_marketing(request, pk):
    """The SAL-to-SQL decision's other answer: back to marketing with a reason."""
    return _decide(
        request,
        pk,
        ReturnForm,
        "return_form",
        "handoff/partials/qualification.html",
        lambda lead, data: services.return_handoff(
            handoff=services.lead_handoff(lead),
            user=request.user,
            reason=data["reason"].code,
            note=data["note"],
            expected_from=Stage.SAL,
        ),
        _("Returned to marketing."),
    )


@require_POST
@capability_required("leads.disqualify")
def disqualify(request, pk):
    """Rule the lead out from its page: an MQL waiting in the queue, or a SAL."""
    return _decide(
        request,
        pk,
        DisqualifyForm,
        "disqualify_form",
        "handoff/partials/lead_decision.html",
        lambda lead, data: services.disqualify_handoff(
            handoff=services.lead_handoff(lead),
            user=request.user,
            reason=data["reason"].code,
            note=data["note"],
            expected_from=lead.stage,
        ),
        _("Disqualified. A manager can reinstate it from this page."),
    )


@require_POST
@capability_required("leads.reinstate")
def reinstate(request, pk):
    return _decide(
        request,
        pk,
        ReinstateForm,
        "reinstate_form",
        "handoff/partials/lead_decision.html",
        lambda lead, data: services.reinstate_lead(lead=lead, user=request.user, note=data["note"]),
        _("Reinstated: the lead was rescored under the agreement in force."),
    )


@require_POST
@capability_required("handoff.work_leads")
def open_opportunity(request, pk):
    lead = get_object_or_404(Lead, pk=pk)
    form = OpportunityForm(request.POST)
    template = "handoff/partials/opportunity_form.html"
    if form.is_valid():
        with refusals_on(form):
            services.open_opportunity(lead=lead, user=request.user, **form.cleaned_data)
    if form.errors:
        return _fragment(request, lead, template, status=400, form=form, opportunity_form=form)
    return _reload(request, lead, _("Opportunity opened."))
