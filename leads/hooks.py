"""What the leads app asks of apps above it (answered in their AppConfig.ready())."""

from core.hooks import Hook

# leads_changed(lead_ids=[...], now=None): leads' profiles changed, so their scores may have;
# the scoring app rescores them under the published agreement (and moves the qualifying to MQL).
leads_changed = Hook("leads.leads_changed")

# set_status(lead=..., user=..., status=...): the one door for a lead's work status; the handoff
# app answers it, since who may set it depends on who works the lead in the queue. It checks,
# writes the status and its audit row in the caller's transaction, and returns the lead.
set_status = Hook("leads.set_status")
