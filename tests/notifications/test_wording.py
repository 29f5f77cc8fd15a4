"""A notification is worded when it is read or sent, in the reader's language, not in the
language of whoever caused it."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.preferences import save_preferences
from handoff import services
from handoff.models import ReturnReason
from notifications.models import Notification, NotificationKind
from notifications.services import notify
from notifications.tasks import send_notification_email
from notifications.wording import MESSAGES, word
from sla.models import Step
from tests.handoff.factories import mql_handoff
from tests.i18n import write_catalog
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

RUSSIAN = {
    "Breached: %(step)s for %(lead)s.": "Нарушено: %(step)s, лид %(lead)s.",
    "MQL to first touch": "От MQL до первого контакта",
    "Accord: %(kind)s": "Accord: %(kind)s",
    "SLA breached": "SLA нарушено",
}


@pytest.fixture
def russian(settings, tmp_path):
    settings.LOCALE_PATHS = [write_catalog(tmp_path, "ru", RUSSIAN)]


def _breach(user):
    """Told by someone working in English: the sender's language must not stick."""
    with translation.override("en"):
        return notify(
            user=user,
            kind=NotificationKind.SLA_BREACHED,
            params={"step": Step.FIRST_TOUCH.label, "lead": "Ana Ruiz"},
            url="/leads/1/",
        )


def test_the_kind_and_parameters_are_stored_not_the_words(sdr):
    with translation.override("ar"):
        notification = _breach(sdr)

    notification.refresh_from_db()
    assert notification.params == {"step": {"msgid": "MQL to first touch"}, "lead": "Ana Ruiz"}


def test_the_list_shows_it_in_the_recipient_s_language(russian, client, sdr):
    save_preferences(user=sdr, language="ru")
    _breach(sdr)
    client.force_login(sdr)

    page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Нарушено: От MQL до первого контакта, лид <bdi>Ana Ruiz</bdi>." in page


def test_the_same_notification_reads_in_english_for_an_english_reader(russian, client, sdr):
    _breach(sdr)
    client.force_login(sdr)

    page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Breached: MQL to first touch for <bdi>Ana Ruiz</bdi>." in page


def test_the_email_subject_and_body_are_in_the_recipient_s_language(russian, sdr):
    save_preferences(user=sdr, language="ru")
    notification = _breach(sdr)

    with translation.override("en"):  # the worker's own language
        assert send_notification_email(notification.pk) is True

    sent = mail.outbox[0]
    assert sent.subject == "Accord: SLA нарушено"
    assert sent.body.startswith("Нарушено: От MQL до первого контакта, лид Ana Ruiz.")


def test_without_a_saved_language_the_email_is_in_the_site_s(russian, sdr):
    notification = _breach(sdr)

    with translation.override("ru"):
        send_notification_email(notification.pk)

    assert mail.outbox[0].subject == "Accord: SLA breached"


def test_a_notification_worded_before_parameters_existed_keeps_its_text(russian, sdr):
    old = Notification.objects.create(
        user=sdr, kind=NotificationKind.LEAD_ASSIGNED, params={"text": "Ein Lead ist Ihrer"}
    )

    with translation.override("ru"):
        assert old.text == "Ein Lead ist Ihrer"


def test_a_return_after_accepting_is_worded_as_such():
    params = {"rep": "Sam", "lead": "Ana", "reason": "Wrong person"}

    assert word(NotificationKind.LEAD_RETURNED, params) == "Sam returned Ana: Wrong person"
    assert (
        word(NotificationKind.LEAD_RETURNED, {**params, "after_accepting": True})
        == "Sam returned Ana after accepting it: Wrong person"
    )


def test_a_return_reason_reads_in_the_readers_language_from_its_own_labels(marketer, sdr):
    team = TeamFactory(is_default=True, mode="pool")
    TeamMemberFactory(team=team, user=sdr)
    reason = ReturnReason.objects.create(
        kind="return", code="wrong_region", label="Wrong region", labels={"ar": "منطقة خاطئة"}
    )
    handoff = mql_handoff()
    services.claim_handoff(handoff=handoff, user=sdr)

    services.return_handoff(handoff=handoff, user=sdr, reason=reason.code)

    notification = Notification.objects.get(user=marketer)
    with translation.override("ar"):
        assert "منطقة خاطئة" in notification.text
        assert "منطقة خاطئة" in notification.html
    with translation.override("en"):
        assert notification.text.endswith(": Wrong region")


def test_every_kind_but_other_has_its_message():
    assert set(MESSAGES) == set(NotificationKind) - {NotificationKind.OTHER}


def test_on_the_page_names_are_isolated_and_escaped(client, sdr):
    notify(
        user=sdr,
        kind=NotificationKind.SQL_HANDED_OVER,
        params={"rep": "سامي", "lead": "<b>Ana</b> & Co"},
        email=False,
    )
    client.force_login(sdr)

    page = client.get(reverse("notifications:list")).content.decode()

    assert "<bdi>سامي</bdi> handed you an SQL: <bdi>&lt;b&gt;Ana&lt;/b&gt; &amp; Co</bdi>" in page


def _api_as(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_words_it_in_the_recipient_s_language(russian, sdr):
    save_preferences(user=sdr, language="ru")
    _breach(sdr)

    (row,) = _api_as(sdr).get("/api/v1/notifications/").json()["results"]

    assert row["text"] == "Нарушено: От MQL до первого контакта, лид Ana Ruiz."
    assert row["kind"] == NotificationKind.SLA_BREACHED
    assert row["params"] == {"step": {"msgid": "MQL to first touch"}, "lead": "Ana Ruiz"}


def test_the_api_follows_the_language_the_request_asks_for(russian, sdr, marketer):
    save_preferences(user=sdr, language="ru")
    _breach(sdr)
    _breach(marketer)

    rows = _api_as(sdr).get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()

    texts = [row["text"] for row in rows["results"]]
    assert texts == ["Breached: MQL to first touch for Ana Ruiz."]
