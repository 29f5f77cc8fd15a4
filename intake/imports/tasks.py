"""django-q2 entry points: thin wrappers that take ids and call the services."""

from intake.imports import services


def run_import(job_id: int) -> None:
    services.run_import(job_id=job_id)


def resume_stalled_imports() -> None:
    services.resume_stalled_imports()
