"""The lead list as CSV: the leads ticked on the page, or every lead its filters match.

In `pages`, above `leads`, because the spreadsheet-safe CSV writer is the reports' (reports.csv).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.capabilities import capability_required
from accounts.people import person_name
from leads.filters import LEAD_SORTING, LeadFilter
from leads.models import Lead
from reports.csv import csv_response

# Leads per database round trip while the download streams.
CHUNK = 2000


def _ids(values) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


@capability_required("leads.view")
def export_leads(request):
    """GET with the list's filters and sort, and `lead` ids for a selection. Two queries for
    any number of rows in a chunk: the leads with their channel and owner."""
    leads = LeadFilter(request.GET, queryset=Lead.objects.select_related("channel", "owner")).qs
    leads, _state = LEAD_SORTING.apply(leads, request.GET)
    selected = _ids(request.GET.getlist("lead"))
    if selected:
        leads = leads.filter(pk__in=selected)
    header = [
        _("Email"),
        _("First name"),
        _("Last name"),
        _("Organization"),
        _("Title"),
        _("Phone"),
        _("Country"),
        _("Channel"),
        _("Stage"),
        _("Status"),
        _("Score"),
        _("Owner"),
        _("Created"),
    ]
    rows = (
        [
            lead.email,
            lead.first_name,
            lead.last_name,
            lead.organization,
            lead.title,
            lead.phone,
            lead.country,
            lead.channel.name if lead.channel else "",
            lead.get_stage_display(),
            lead.get_status_display(),
            lead.score,
            person_name(lead.owner) if lead.owner else "",
            timezone.localtime(lead.created_at).isoformat(timespec="seconds"),
        ]
        for lead in leads.iterator(chunk_size=CHUNK)
    )
    stamp = timezone.localdate().isoformat()
    return csv_response(f"leads-{stamp}.csv", header, rows)
