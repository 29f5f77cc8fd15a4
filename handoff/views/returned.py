from accounts.roles import Role, RoleRequiredMixin
from core.listing import FilteredListView
from handoff.filters import ReturnedFilter
from handoff.selectors import returned_handoffs


class ReturnedLeadsView(RoleRequiredMixin, FilteredListView):
    """What sales handed back and why, for marketing."""

    allowed_roles = (Role.MARKETER, Role.MANAGER)
    template_name = "handoff/returned_list.html"
    filterset_class = ReturnedFilter
    queryset = returned_handoffs()
