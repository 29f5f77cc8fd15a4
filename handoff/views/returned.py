from accounts.capabilities import CapabilityRequiredMixin
from accounts.saved_views import SavedViewsMixin
from core.listing import FilteredListView
from handoff.filters import RETURNED_SORTING, ReturnedFilter
from handoff.selectors import returned_handoffs


class ReturnedLeadsView(CapabilityRequiredMixin, SavedViewsMixin, FilteredListView):
    """What sales handed back and why, for marketing."""

    capability = "handoff.view_returned"
    template_name = "handoff/returned_list.html"
    filterset_class = ReturnedFilter
    sorting = RETURNED_SORTING
    saved_view_list = "returned"
    queryset = returned_handoffs()
