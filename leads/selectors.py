"""Reads of leads for pages and the API, each with a fixed number of queries."""

from handoff.selectors import handoff_timeline_entries
from leads.models import Lead


def lead_timeline(lead: Lead, *, limit: int = 200) -> list[dict]:
    """Activities, stage changes and handoff events of one lead, newest first, as one list."""
    activities = lead.activities.select_related("channel")[:limit]
    changes = lead.stage_changes.select_related("actor")[:limit]
    entries = [{"when": a.occurred_at, "kind": "activity", "item": a} for a in activities]
    entries += [{"when": c.created_at, "kind": "stage_change", "item": c} for c in changes]
    entries += handoff_timeline_entries(lead, limit=limit)
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:limit]
