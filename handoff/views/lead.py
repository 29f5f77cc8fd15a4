"""The handoff sections of the lead page: status, qualification, promotion, opportunity.

Each form posts with htmx and gets its own fragment back: errors in place (400), or the page
reloads (HX-Refresh) when the lead changed stage.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.capabilities import capability_required
from core.forms import refusals_on
from handoff import services
from handoff.forms import (
    OpportunityForm,
    PromoteForm,
    QualificationForm,
    ReturnForm,
    StatusForm,
)
from handoff.models import Qualification
from handoff.selectors import lead_handoff_section
from leads.models import Lead


def lead_section_context(*, lead: Lead, user, **forms) -> dict:
    """Everything lead_section.html needs; LeadDetailView adds it as `handoff_section`."""
    section = lead_handoff_section(lead=lead, user=user)
    section["status_form"] = forms.get("status_form") or StatusForm(initial={"status": lead.status})
    section["qualification_form"] = forms.get("qualification_form") or QualificationForm(
        instance=section["qualification"] or Qualification(lead=lead)
    )
    section["promote_form"] = forms.get("promote_form") or PromoteForm()
    section["return_form"] = forms.get("return_form") or ReturnForm()
    section["opportunity_form"] = forms.get("opportunity_form") or OpportunityForm(
        initial={"name": lead.organization or str(lead)}
    )
    return section


def _fragment(request, lead, template, *, status=200, **context):
    forms = {key: value for key, value in context.items() if key.endswith("_form")}
    section = lead_section_context(lead=lead, user=request.user, **forms)
    context = {"lead": lead, "handoff_section": section, **context}
    return render(request, template, context, status=status)


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
    lead = get_object_or_404(Lead, pk=pk)
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
        with refusals_on(form):
            services.promote_to_sql(
                lead=lead,
                user=request.user,
                account_executive=form.cleaned_data["account_executive"],
            )
    if form.errors:
        return _fragment(request, lead, template, status=400, promote_form=form)
    return _reload(request, lead, _("Promoted to SQL."))


@require_POST
@capability_required("handoff.qualify")
def return_to_marketing(request, pk):
    """The SAL-to-SQL decision's other answer: back to marketing with a reason."""
    lead = get_object_or_404(Lead, pk=pk)
    form = ReturnForm(request.POST)
    template = "handoff/partials/qualification.html"
    if form.is_valid():
        with refusals_on(form):
            services.return_from_sal(
                lead=lead,
                user=request.user,
                reason=form.cleaned_data["reason"].code,
                note=form.cleaned_data["note"],
            )
    if form.errors:
        return _fragment(request, lead, template, status=400, return_form=form)
    return _reload(request, lead, _("Returned to marketing."))


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
