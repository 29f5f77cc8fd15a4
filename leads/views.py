from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView

from accounts.roles import EVERY_ROLE, RoleRequiredMixin, role_required
from core.listing import FilteredListView
from handoff.views.lead import lead_section_context
from leads.filters import LeadFilter
from leads.models import Lead
from leads.selectors import TimelineCursor, lead_timeline
from scoring.selectors import lead_score_section


class LeadListView(RoleRequiredMixin, FilteredListView):
    allowed_roles = EVERY_ROLE
    template_name = "leads/lead_list.html"
    filterset_class = LeadFilter
    queryset = Lead.objects.select_related("channel", "owner")


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
