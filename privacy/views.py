"""The lead page's personal-data actions: erase (with a confirmation page), download, consent."""

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.capabilities import capability_required
from audit.models import Source
from leads.consent import record_consent
from leads.models import ConsentSource, Lead
from privacy.erasure import erase_lead
from privacy.export import personal_data
from privacy.forms import ConsentForm, EraseForm


@capability_required("leads.erase")
def erase(request, pk):
    """GET: the confirmation page, which asks for a reason; POST: erase, back to the lead."""
    lead = get_object_or_404(Lead, pk=pk)
    if lead.erased_at:
        messages.info(request, _("This lead's personal data was already erased."))
        return redirect("leads:detail", lead.pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        erase_lead(
            lead_id=lead.pk,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            source=Source.BROWSER,
        )
        messages.success(request, _("The lead's personal data was erased."))
        return redirect("leads:detail", lead.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/erase.html", {"lead": lead, "form": form}, status=status)


@capability_required("leads.export_personal_data")
def download(request, pk):
    lead = get_object_or_404(Lead, pk=pk)
    response = JsonResponse(
        personal_data(lead=lead), encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2}
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="lead-{lead.pk}-{stamp}.json"'
    return response


@require_POST
@capability_required("leads.consent")
def consent(request, pk):
    lead = get_object_or_404(Lead, pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        record_consent(
            lead=lead, changes=form.changes(), source=ConsentSource.USER, actor=request.user
        )
        messages.success(request, _("Consent recorded."))
    else:
        messages.error(request, _("Choose a scope and an answer."))
    return redirect("leads:detail", lead.pk)
