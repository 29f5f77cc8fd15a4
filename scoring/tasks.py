"""django-q2 entry points: thin, idempotent, taking ids."""

from scoring.runs import advance_rescore_run, decay_scores


def run_rescore(run_id: int) -> None:
    """Rescore every lead after a publish; safe to run again (it resumes from its cursor)."""
    advance_rescore_run(run_id)


def decay_engagement() -> None:
    """Daily: fade the engagement points of leads gone quiet."""
    decay_scores()
