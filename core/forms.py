"""Domain refusals shown on the form that asked, next to the fields they name."""

from contextlib import contextmanager

from core.errors import ApplicationError


def add_error(form, error: ApplicationError, field: str | None = None) -> None:
    """Put a refusal next to the fields it names in `extra`, else on `field` (None: above the
    form)."""
    fields = [name for name in error.extra if name in form.fields]
    if not fields:
        form.add_error(field, error.message)
    for name in fields:
        form.add_error(name, error.extra[name])


@contextmanager
def refusals_on(form, field: str | None = None, *, statuses=(400,)):
    """Bad input the service refuses (400) joins the form's own errors, so the view re-renders
    the form as for any invalid input (check `form.errors` after the block). Refusals that are
    not about the input (403, 409) go on to core.middleware.DomainErrorMiddleware, unless the
    form is where the person acts on them (`statuses`)."""
    try:
        yield
    except ApplicationError as error:
        if error.status_code not in statuses:
            raise
        add_error(form, error, field)
