from core.errors import ApplicationError


def add_error(form, error: ApplicationError) -> None:
    """Show a refused action next to the fields it names, or above the form."""
    fields = [name for name in error.extra if name in form.fields]
    if not fields:
        form.add_error(None, error.message)
    for name in fields:
        form.add_error(name, error.extra[name])
