"""The handoff app's models, one module per part of the work."""

from handoff.models.handoffs import (
    EventKind,
    FirstTouchChannel,
    Handoff,
    HandoffEvent,
    Outcome,
    ReasonKind,
    ReturnReason,
)
from handoff.models.opportunities import Opportunity, OpportunityStage
from handoff.models.qualification import Authority, Qualification, QualificationPolicy

__all__ = [
    "Authority",
    "EventKind",
    "FirstTouchChannel",
    "Handoff",
    "HandoffEvent",
    "Opportunity",
    "OpportunityStage",
    "Outcome",
    "Qualification",
    "QualificationPolicy",
    "ReasonKind",
    "ReturnReason",
]
