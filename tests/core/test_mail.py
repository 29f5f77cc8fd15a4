import pytest

from core.mail import mail_is_delivered
from tests.core.test_settings import manage

BACKENDS = "django.core.mail.backends"


@pytest.mark.parametrize(
    ("backend", "debug", "delivered"),
    [
        (f"{BACKENDS}.smtp.EmailBackend", False, True),
        (f"{BACKENDS}.smtp.EmailBackend", True, True),
        (f"{BACKENDS}.console.EmailBackend", True, True),
        (f"{BACKENDS}.console.EmailBackend", False, False),
        (f"{BACKENDS}.locmem.EmailBackend", False, False),
        (f"{BACKENDS}.dummy.EmailBackend", False, False),
        (f"{BACKENDS}.filebased.EmailBackend", False, False),
    ],
)
def test_mail_is_delivered_unless_a_development_backend_runs_without_debug(
    settings, backend, debug, delivered
):
    settings.DEBUG = debug
    settings.MAILERS = {"default": {"BACKEND": backend}}

    assert mail_is_delivered() is delivered


def test_deploy_checks_fail_on_the_console_backend_without_debug():
    result = manage(
        "check", "--deploy", EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"
    )

    assert result.returncode != 0
    assert "mail.E001" in result.stderr
