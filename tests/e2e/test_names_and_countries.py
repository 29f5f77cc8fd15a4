"""A rep reading Arabic sees a Chinese lead as 王伟 and its country in Arabic, on the lead list
and the lead page, on a laptop and a phone, without the page reaching past the window."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.factories import LeadFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_the_list_and_the_lead_page_show_wang_wei_and_china_in_arabic(
    page, log_in, sdr, live_server, tmp_path, width, height
):
    lead = LeadFactory(
        email="wang.wei@huaxin-tech.cn",
        first_name="伟",
        last_name="王",
        title="技术总监",
        organization="华信科技有限公司",
        country="CN",
        city="上海",
    )
    LeadFactory(
        email="ivan@seversoft.ru",
        first_name="Иван",
        middle_name="Петрович",
        last_name="Сидоров",
        country="RU",
    )
    page.set_viewport_size({"width": width, "height": height})
    log_in("sam")
    host = live_server.url.split("//")[1].split(":")[0]
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "domain": host, "path": "/"}]
    )

    page.goto("/leads/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    row = page.get_by_role("row", name="王伟")
    expect(row.get_by_role("link", name="王伟")).to_be_visible()
    expect(row.locator("td small", has_text="الصين")).to_have_count(1)  # under the organization
    expect(page.get_by_role("link", name="Иван Петрович Сидоров")).to_have_count(1)
    expect(page.locator("td small", has_text="روسيا")).to_have_count(1)
    page.screenshot(path=tmp_path / f"leads-ar-{width}.png", full_page=True)
    assert page.evaluate(OVERFLOW) <= 0

    row.get_by_role("link", name="王伟").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("王伟")
    expect(page.locator("dl.profile")).to_contain_text("上海, الصين")
    page.screenshot(path=tmp_path / f"lead-ar-{width}.png", full_page=True)
    assert page.evaluate(OVERFLOW) <= 0
    assert page.url.endswith(f"/leads/{lead.pk}/")
