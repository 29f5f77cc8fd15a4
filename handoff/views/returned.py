from accounts.capabilities import CapabilityRequiredMixin
from core.listing import FilteredListView
from handoff.filters import ReturnedFilter
from handoff.selectors import returned_handoffs


class ReturnedLeadsView(CapabilityRequiredMixin, FilteredListView):
    """What sales handed back and why, for marketing."""

    capability = "handoff.view_returned"
    template_name = "handoff/returned_list.html"
    filterset_class = ReturnedFilter
    queryset = returned_handoffs()
