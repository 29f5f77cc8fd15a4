"""What the leads app asks of apps above it (answered in their AppConfig.ready())."""

from core.hooks import Hook

# leads_changed(lead_ids=[...], now=None): leads' profiles changed, so their scores may have;
# the scoring app rescores them under the published agreement (and moves the qualifying to MQL).
leads_changed = Hook("leads.leads_changed")
