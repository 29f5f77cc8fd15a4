"""Pages that compose several apps: where each person lands, and the lead page with the sections
of the handoff and scoring apps and the timeline merged across leads and handoffs."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.generic import DetailView

from accounts.capabilities import CapabilityRequiredMixin, capability_required
from handoff.views.lead import lead_section_context
from leads.models import Lead
from pages.homes import home_context, parts_for
from pages.timeline import TimelineCursor, lead_timeline
from privacy.selectors import lead_privacy_section
from reports.audit import lead_field_history
from scoring.selectors import lead_score_section


def home(request):
    """Each role's part of the home page (pages.homes), one after the other for a person with
    several roles. A rep with no other part works from the queue page, which shows their part
    above the queue; a person with no part (an administrator) lands on the leads."""
    parts = parts_for(request.user)
    if not parts:
        return redirect("leads:list")
    if parts == ["queue"]:
        return redirect("handoff:queue")
    return render(request, "pages/home.html", home_context(user=request.user, now=timezone.now()))


class LeadDetailView(CapabilityRequiredMixin, DetailView):
    capability = "leads.view"
    template_name = "leads/lead_detail.html"
    queryset = Lead.objects.select_related("channel", "owner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timeline"] = lead_timeline(self.object)
        context["handoff_section"] = lead_section_context(lead=self.object, user=self.request.user)
        context["score_section"] = lead_score_section(lead=self.object)
        context["sla_clocks"] = context["handoff_section"]["clocks"]
        context["field_history"] = lead_field_history(self.object)
        context["privacy_section"] = lead_privacy_section(lead=self.object)
        return context


@capability_required("leads.view")
def timeline_page(request, pk):
    """The next page of a lead's timeline, asked for by its "Show older" button."""
    lead = get_object_or_404(Lead, pk=pk)
    cursor = TimelineCursor.parse(request.GET.get("after", ""))
    return render(
        request,
        "leads/partials/timeline_entries.html",
        {"lead": lead, "timeline": lead_timeline(lead, cursor=cursor)},
    )
