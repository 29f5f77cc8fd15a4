from django.contrib.auth import get_user_model
from django.views.generic import ListView

from accounts.capabilities import CapabilityRequiredMixin
from handoff.selectors import sqls_for


class SqlListView(CapabilityRequiredMixin, ListView):
    """An account executive's SQLs waiting for them (a manager's: everyone's): the leads a rep
    promoted and handed over, until they open an opportunity or send the lead back."""

    capability = "opportunities.work"
    template_name = "handoff/sql_list.html"
    paginate_by = 50

    def get_queryset(self):
        return sqls_for(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        promotions = context["object_list"]
        executive_ids = {p.data.get("account_executive") for p in promotions} - {None}
        executives = get_user_model().objects.in_bulk(executive_ids)
        context["rows"] = [
            (promotion, executives.get(promotion.data.get("account_executive")))
            for promotion in promotions
        ]
        return context
