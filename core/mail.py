"""Whether e-mail really leaves this machine.

The console, file, in-memory and dummy backends are for development and tests: with them e-mail
(password resets, notifications) goes to the log, a folder, memory or nowhere. With DEBUG on that
is the point; without it, someone waits for a message that never comes, and `check --deploy`
already fails on such a backend (Django's mail.E001, whose list of backends this reads).
"""

from django.conf import settings
from django.core.checks.mail import NON_PRODUCTION_EMAIL_BACKENDS


def mail_is_delivered() -> bool:
    """True in development, where the console is where a developer reads e-mail; elsewhere,
    True unless the backend keeps e-mail on this machine."""
    backend = settings.MAILERS["default"]["BACKEND"]
    return settings.DEBUG or backend not in NON_PRODUCTION_EMAIL_BACKENDS
