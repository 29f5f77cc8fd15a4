"""The handoff app's writes; other apps import them from here."""

from handoff.assignment import assign_handoff, assign_waiting
from handoff.services.bulk import BulkOutcome, bulk_reassign, bulk_return
from handoff.services.handoffs import (
    claim_handoff,
    log_first_touch,
    open_handoff,
    reassign_handoff,
)
from handoff.services.opportunities import open_opportunity, update_opportunity
from handoff.services.outcomes import (
    accept_handoff,
    disqualify_handoff,
    lead_handoff,
    reinstate_lead,
    return_handoff,
)
from handoff.services.qualification import (
    missing_criteria,
    promote_to_sql,
    save_qualification,
    set_required_criteria,
)
from handoff.services.status import set_lead_status

__all__ = [
    "BulkOutcome",
    "accept_handoff",
    "assign_handoff",
    "assign_waiting",
    "bulk_reassign",
    "bulk_return",
    "claim_handoff",
    "disqualify_handoff",
    "lead_handoff",
    "log_first_touch",
    "missing_criteria",
    "open_handoff",
    "open_opportunity",
    "promote_to_sql",
    "reassign_handoff",
    "reinstate_lead",
    "return_handoff",
    "save_qualification",
    "set_lead_status",
    "set_required_criteria",
    "update_opportunity",
]
