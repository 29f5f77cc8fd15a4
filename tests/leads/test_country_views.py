"""The lead list and the lead page show the display name and the country in the reader's
language; the list filters by country."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def back_to_english():
    """A request in another language leaves it active in the thread (LocaleMiddleware sets it);
    later tests in the same worker expect English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def leads():
    return [
        LeadFactory(email="wang.wei@huaxin-tech.cn", first_name="伟", last_name="王", country="CN"),
        LeadFactory(
            email="ivan@seversoft.ru",
            first_name="Иван",
            middle_name="Петрович",
            last_name="Сидоров",
            country="RU",
        ),
    ]


@pytest.mark.parametrize(
    ("language", "china", "russia"),
    [
        ("en", "China", "Russia"),
        ("th", "จีน", "รัสเซีย"),
        ("zh-hans", "中国", "俄罗斯"),
        ("ru", "Китай", "Россия"),
        ("ar", "الصين", "روسيا"),
    ],
)
def test_the_list_shows_names_in_their_order_and_countries_in_the_readers_language(
    client_as, leads, language, china, russia
):
    client = client_as(Role.SDR)

    page = client.get(reverse("leads:list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert "王伟" in page and "伟 王" not in page
    assert "Иван Петрович Сидоров" in page
    assert f'<small class="muted"><bdi>{china}</bdi></small>' in page  # under the organization
    assert f'<small class="muted"><bdi>{russia}</bdi></small>' in page
    assert f'<option value="CN">{china}</option>' in page  # the country filter


def test_the_list_filters_by_country(client_as, leads):
    page = client_as(Role.SDR).get(reverse("leads:list"), {"country": "CN"}).content.decode()

    assert "王伟" in page and "Сидоров" not in page


def test_the_lead_page_names_the_lead_and_its_country(client_as, leads):
    client = client_as(Role.SDR)

    page = client.get(
        reverse("leads:detail", args=[leads[0].pk]), HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()

    assert "王伟" in page and "伟 王" not in page
    assert "الصين" in page
