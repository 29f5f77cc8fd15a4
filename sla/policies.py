"""Which policy times a handoff, and the manager's edits that must keep every step covered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_saved, recorded_fields, snapshot, stored
from core.errors import ApplicationError
from sla.models import SlaPolicy, Step


class TimedHandoff(Protocol):
    """What the SLA app reads of a handoff (handoff.Handoff, above this app, which it names only
    through the clock's foreign key)."""

    pk: Any
    lead: Any
    lead_id: int
    team: Any
    team_id: int | None
    assignee: Any
    assignee_id: int | None
    score: int
    sla_due_at: datetime | None
    is_open: bool


@dataclass(frozen=True)
class HandoffFacts:
    """What policy conditions look at, read once when the clocks start."""

    channel_id: int | None
    channel_kind: str
    score: int
    team_id: int | None
    has_request: bool


def matches(policy: SlaPolicy, facts: HandoffFacts) -> bool:
    return (
        (policy.channel_id is None or policy.channel_id == facts.channel_id)
        and (not policy.channel_kind or policy.channel_kind == facts.channel_kind)
        and (policy.min_score is None or facts.score >= policy.min_score)
        and (policy.team_id is None or policy.team_id == facts.team_id)
        and (not policy.requires_request or facts.has_request)
    )


def choose_policy(policies: Iterable[SlaPolicy], facts: HandoffFacts) -> SlaPolicy | None:
    """The most specific matching policy; then the highest priority; then the oldest."""
    candidates = [policy for policy in policies if matches(policy, facts)]
    if not candidates:
        return None
    return min(candidates, key=lambda policy: (-policy.specificity, -policy.priority, policy.pk))


def _check_every_step_covered() -> None:
    covered = set(
        SlaPolicy.objects.filter(
            is_active=True,
            channel=None,
            channel_kind="",
            min_score=None,
            team=None,
            requires_request=False,
        ).values_list("step", flat=True)
    )
    missing = [Step(step).label for step in Step.values if step not in covered]
    if missing:
        raise ApplicationError(
            _(
                "Every step needs an active policy without conditions, so that each handoff "
                "has a clock. Missing: %(steps)s."
            )
            % {"steps": ", ".join(str(label) for label in missing)}
        )


POLICY_FIELDS = recorded_fields(SlaPolicy)


@transaction.atomic
def save_policy(*, policy: SlaPolicy, actor=None) -> SlaPolicy:
    """Create or change a policy; running clocks keep the snapshot they started with."""
    policy.full_clean()
    before = stored(policy, POLICY_FIELDS)
    policy.save()
    _check_every_step_covered()
    record_saved(policy, before, POLICY_FIELDS, actor=actor)
    return policy


@transaction.atomic
def deactivate_policy(*, policy: SlaPolicy, actor=None) -> SlaPolicy:
    before = snapshot(policy, ["is_active"])
    policy.is_active = False
    policy.save(update_fields=["is_active", "updated_at"])
    _check_every_step_covered()
    record_saved(policy, before, ["is_active"], actor=actor)
    return policy
