from handoff.assignment import assign_waiting, assign_waiting_everywhere


def assign_waiting_handoffs(team_id: int) -> int:
    """Queued after a rep clears work; idempotent (a rerun finds nothing left to give)."""
    return assign_waiting(team_id=team_id)


def assign_all_waiting_handoffs() -> int:
    """Every few minutes: the same for every team, in case a prompt was lost."""
    return assign_waiting_everywhere()
