from accounts.roles import EVERY_ROLE, RoleRequiredMixin
from core.listing import FilteredListView
from leads.filters import LeadFilter
from leads.models import Lead


class LeadListView(RoleRequiredMixin, FilteredListView):
    allowed_roles = EVERY_ROLE
    template_name = "leads/lead_list.html"
    filterset_class = LeadFilter
    queryset = Lead.objects.select_related("channel", "owner")
