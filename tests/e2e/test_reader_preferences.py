"""A person picks Arabic and Bangkok time on their profile: pages turn right to left and times
read in Bangkok, the zone named."""

from datetime import UTC, datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext

from accounts.roles import Role
from notifications.models import Notification, NotificationKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_switches_to_arabic_and_bangkok_time_on_the_profile(
    page, log_in, make_user, tmp_path
):
    sdr = make_user(Role.SDR, username="sam")
    told = Notification.objects.create(
        user=sdr, kind=NotificationKind.LEAD_ASSIGNED, params={"lead": "Siam Trade"}
    )
    Notification.objects.filter(pk=told.pk).update(
        created_at=datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    )
    log_in("sam")

    page.goto("/accounts/profile/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    preferences = page.get_by_role("region", name="Preferences")
    preferences.get_by_label("Language").select_option("ar")
    preferences.get_by_label("Time zone").select_option("Asia/Bangkok")
    page.get_by_role("button", name="Save preferences").click()
    # The confirmation is the first thing said in the language just chosen.
    with translation.override("ar"):
        saved, time_zone = gettext("Your preferences are saved."), gettext("Time zone")
    assert saved != "Your preferences are saved."
    page.get_by_text(saved).wait_for()

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.get_by_label(time_zone).input_value() == "Asia/Bangkok"
    page.screenshot(path=tmp_path / "profile-ar.png", full_page=True)

    page.goto("/notifications/")
    moment = page.locator(".notification-list time").first
    # 03:00 UTC is 10:00 in Bangkok, written the Arabic way (ص: before noon).
    assert moment.inner_text().endswith("(Asia/Bangkok)")
    assert "10:00 ص" in moment.inner_text()
    assert page.locator(".notification-list bdi", has_text="Siam Trade").count() == 1
    page.screenshot(path=tmp_path / "notifications-ar.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/notifications/", "/accounts/profile/"):
        page.goto(path)
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), path
    page.screenshot(path=tmp_path / "profile-ar-390.png", full_page=True)
