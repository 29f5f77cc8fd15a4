from django.views.generic import ListView

from accounts.roles import Role, RoleRequiredMixin
from handoff.filters import ReturnedFilter
from handoff.selectors import returned_handoffs


class ReturnedLeadsView(RoleRequiredMixin, ListView):
    """What sales handed back and why, for marketing."""

    allowed_roles = (Role.MARKETER, Role.MANAGER)
    template_name = "handoff/returned_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = ReturnedFilter(self.request.GET, queryset=returned_handoffs())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context
