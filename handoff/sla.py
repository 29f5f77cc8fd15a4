"""The queue's colour for a handoff without SLA clocks (one opened before the sla app ran).

Handoffs get their due time from the sla app: `sla.services.start_clocks` sets `sla_due_at` to
the accept-or-return clock's due time in the team's business hours, and the queue reads the
clocks themselves (`sla.selectors.clock_display`). This fallback keeps the old colours for
handoffs that have no clock.
"""

from datetime import datetime

# Past this share of its target a running clock shows as at risk.
AT_RISK_SHARE = 0.75


def clock_state(
    *, started_at: datetime, due_at: datetime, stopped_at: datetime | None, now: datetime
) -> str:
    if stopped_at is not None:
        return "met" if stopped_at <= due_at else "breached"
    if now >= due_at:
        return "breached"
    target = (due_at - started_at).total_seconds()
    elapsed = (now - started_at).total_seconds()
    if elapsed >= AT_RISK_SHARE * target:
        return "at_risk"
    return "on_time"
