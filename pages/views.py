"""Pages that compose several apps: where each person lands, and the lead page with the sections
of the handoff and scoring apps and the timeline merged across leads and handoffs."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import DetailView

from accounts.roles import EVERY_ROLE, Role, RoleRequiredMixin, has_role, role_required
from handoff.views.lead import lead_section_context
from leads.models import Lead
from pages.timeline import TimelineCursor, lead_timeline
from scoring.selectors import lead_score_section


def home(request):
    """Sends each person to the page they work in most."""
    if has_role(request.user, Role.MANAGER):
        return redirect("reports:sla_dashboard")
    if has_role(request.user, Role.SDR):
        return redirect("handoff:queue")
    return redirect("leads:list")


class LeadDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = EVERY_ROLE
    template_name = "leads/lead_detail.html"
    queryset = Lead.objects.select_related("channel", "owner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timeline"] = lead_timeline(self.object)
        context["handoff_section"] = lead_section_context(lead=self.object, user=self.request.user)
        context["score_section"] = lead_score_section(lead=self.object)
        context["sla_clocks"] = context["handoff_section"]["clocks"]
        return context


@role_required(*EVERY_ROLE)
def timeline_page(request, pk):
    """The next page of a lead's timeline, asked for by its "Show older" button."""
    lead = get_object_or_404(Lead, pk=pk)
    cursor = TimelineCursor.parse(request.GET.get("after", ""))
    return render(
        request,
        "leads/partials/timeline_entries.html",
        {"lead": lead, "timeline": lead_timeline(lead, cursor=cursor)},
    )
