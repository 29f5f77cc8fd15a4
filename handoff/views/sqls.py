from django.contrib.auth import get_user_model

from accounts.capabilities import CapabilityRequiredMixin
from accounts.saved_views import SavedViewsMixin
from core.listing import FilteredListView
from handoff.filters import SQL_SORTING
from handoff.selectors import sqls_for


class SqlListView(CapabilityRequiredMixin, SavedViewsMixin, FilteredListView):
    """An account executive's SQLs waiting for them (a manager's: everyone's): the leads a rep
    promoted and handed over, until they open an opportunity or send the lead back."""

    capability = "opportunities.work"
    template_name = "handoff/sql_list.html"
    sorting = SQL_SORTING
    saved_view_list = "sqls"

    def base_queryset(self):
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
