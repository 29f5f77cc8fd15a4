"""Exchange rates through the API: managers enter and remove them, report readers list them."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from reports.models import ExchangeRate

pytestmark = pytest.mark.django_db
URL = "/api/v1/exchange-rates/"


def test_a_manager_enters_replaces_and_removes_a_rate(api_as):
    api = api_as(Role.MANAGER)

    first = api.put(f"{URL}EUR/USD/", {"rate": "1.08"}, format="json")
    second = api.put(f"{URL}EUR/USD/", {"rate": "1.10"}, format="json")

    assert first.status_code == second.status_code == 200
    assert second.json()["rate"] == "1.10000000"
    assert ExchangeRate.objects.get().rate == Decimal("1.1")
    assert api.delete(f"{URL}EUR/USD/").status_code == 204
    assert api.delete(f"{URL}EUR/USD/").status_code == 404
    assert not ExchangeRate.objects.exists()


def test_report_readers_list_the_rates(api_as, manager):
    ExchangeRate.objects.create(currency="THB", into="USD", rate="0.028", updated_by=manager)

    body = api_as(Role.MARKETER).get(URL).json()

    assert [(row["currency"], row["into"], row["rate"]) for row in body] == [
        ("THB", "USD", "0.02800000")
    ]


@pytest.mark.parametrize(
    "url, body, field",
    [
        (f"{URL}USD/USD/", {"rate": "1"}, "into"),
        (f"{URL}EUR/USD/", {"rate": "0"}, "rate"),
        (f"{URL}EUR/USD/", {"rate": "-2"}, "rate"),
        (f"{URL}EUR/USD/", {"rate": "1.123456789"}, "rate"),
        (f"{URL}EUR/USD/", {"rate": "1", "note": "x"}, "note"),
    ],
)
def test_a_bad_rate_is_a_400_on_its_field_and_saves_nothing(api_as, url, body, field):
    response = api_as(Role.MANAGER).put(url, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not ExchangeRate.objects.exists()


def test_a_currency_that_is_no_code_is_no_such_rate(api_as):
    assert (
        api_as(Role.MANAGER).put(f"{URL}eur/USD/", {"rate": "1"}, format="json").status_code == 404
    )


@pytest.mark.parametrize("role", [Role.MARKETER, Role.SDR])
def test_only_managers_change_rates(api_as, role):
    response = api_as(role).put(f"{URL}EUR/USD/", {"rate": "1.08"}, format="json")

    assert response.status_code == 403
    assert not ExchangeRate.objects.exists()
