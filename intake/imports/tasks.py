"""django-q2 entry points: thin wrappers that take ids and call the services."""

from intake.imports import retention, services


def run_import(job_id: int) -> None:
    services.run_import(job_id=job_id)


def resume_stalled_imports() -> None:
    services.resume_stalled_imports()


def delete_expired_import_files() -> None:
    retention.delete_expired_import_files()
