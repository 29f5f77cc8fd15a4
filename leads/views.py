from accounts.capabilities import CapabilityRequiredMixin
from accounts.saved_views import SavedViewsMixin
from core.listing import FilteredListView
from leads.filters import LEAD_SORTING, LeadFilter
from leads.models import Lead


class LeadListView(CapabilityRequiredMixin, SavedViewsMixin, FilteredListView):
    capability = "leads.view"
    template_name = "leads/lead_list.html"
    filterset_class = LeadFilter
    sorting = LEAD_SORTING
    saved_view_list = "leads"
    queryset = Lead.objects.select_related("channel", "owner")
