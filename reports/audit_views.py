"""/audit/: the audit trail for managers and admins, and its CSV export."""

from django.utils import timezone

from accounts.capabilities import CapabilityRequiredMixin
from core.listing import FilteredListView
from reports import audit
from reports.csv import csv_response


class AuditTrailView(CapabilityRequiredMixin, FilteredListView):
    """Who changed what, newest first; three queries a page (count, rows with their actors, the
    actor filter's choices) however many rows there are."""

    capability = "audit.read"
    template_name = "reports/audit.html"
    filterset_class = audit.AuditFilter
    export = False

    def base_queryset(self):
        return audit.audit_entries()

    def get(self, request, *args, **kwargs):
        if not self.export:
            return super().get(request, *args, **kwargs)
        entries = self.get_queryset()
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        return csv_response(f"audit-{stamp}.csv", audit.csv_header(), audit.csv_rows(entries))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [audit.readable(entry) for entry in context["object_list"]]
        return context
