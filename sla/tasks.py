from django.utils import timezone

from sla.services import advance_clocks


def scan_clocks() -> dict:
    """Every minute: mark at-risk and breached clocks, escalate new breaches. Safe to overlap."""
    result = advance_clocks(now=timezone.now())
    return {"at_risk": result.at_risk, "breached": result.breached, "escalated": result.escalated}
