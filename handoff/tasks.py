from handoff.assignment import assign_waiting


def assign_waiting_handoffs(team_id: int) -> int:
    """Queued after a rep clears work; idempotent (a rerun finds nothing left to give)."""
    return assign_waiting(team_id=team_id)
