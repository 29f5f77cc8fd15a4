from django.views.generic import DetailView

from accounts.roles import EVERY_ROLE, RoleRequiredMixin
from core.listing import FilteredListView
from handoff.views.lead import lead_section_context
from leads.filters import LeadFilter
from leads.models import Lead
from leads.selectors import lead_timeline
from scoring.selectors import lead_score_section
from sla.selectors import clocks_for_lead


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
        context["sla_clocks"] = clocks_for_lead(self.object.pk)
        return context
