"""django-q2 entry points: thin, idempotent, taking ids."""

from scoring.runs import decay_scores, rescore_slice, resume_stalled_runs


def run_rescore(run_id: int) -> None:
    """Rescore the next slice of leads after a publish, then queue the slice after it; safe to
    run again (it resumes from its cursor)."""
    rescore_slice(run_id)


def resume_stalled_rescoring() -> None:
    """Every few minutes: resume rescoring runs whose worker died or whose task was lost."""
    resume_stalled_runs()


def decay_engagement() -> None:
    """Daily: fade the engagement points of leads gone quiet."""
    decay_scores()
