from accounts.capabilities import CapabilityRequiredMixin
from core.listing import FilteredListView
from leads.filters import LeadFilter
from leads.models import Lead


class LeadListView(CapabilityRequiredMixin, FilteredListView):
    capability = "leads.view"
    template_name = "leads/lead_list.html"
    filterset_class = LeadFilter
    queryset = Lead.objects.select_related("channel", "owner")
