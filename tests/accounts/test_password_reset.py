"""Password reset by e-mail only where e-mail leaves the machine: with the console (or another
development) backend and DEBUG off, the page asks the person to contact an administrator and
nothing is sent, since the reset link would end up in the server's log."""

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

RESET = reverse("password_reset")
UNAVAILABLE = "Password reset by e-mail is not available here"


@pytest.fixture
def sam(make_user):
    return make_user(username="sam")


@pytest.fixture
def console_backend(settings):
    settings.DEBUG = False
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}


def test_without_delivered_mail_the_page_asks_for_an_administrator(client, console_backend):
    page = client.get(RESET).content.decode()

    assert UNAVAILABLE in page
    assert "Ask an administrator to set a new password for you." in page
    assert 'name="email"' not in page


def test_without_delivered_mail_a_reset_request_sends_nothing(client, sam, console_backend, capsys):
    response = client.post(RESET, {"email": sam.email})

    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    assert mail.outbox == []
    assert "password" not in capsys.readouterr().out


def test_in_development_the_reset_link_is_sent(client, sam, settings):
    settings.DEBUG = True

    response = client.post(RESET, {"email": sam.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == [sam.email]


def test_the_login_page_links_to_password_reset(client):
    assert RESET in client.get(reverse("login")).content.decode()
