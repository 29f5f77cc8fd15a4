"""What the SLA scan asks of the handoff app above it (answered in handoff/apps.py)."""

from core.hooks import Hook

# return_to_pool(handoff=..., now=...): a breach takes the lead from the rep who sat on it and
# runs the team's assignment again.
return_to_pool = Hook("sla.return_to_pool")
