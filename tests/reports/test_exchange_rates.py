"""Exchange rates: one current rate per pair, entered and removed by managers on their page."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.roles import Role
from core.errors import ApplicationError, PermissionDenied
from reports.models import ExchangeRate
from reports.services import exchange_rate_remove, exchange_rate_set

pytestmark = pytest.mark.django_db

URL = "reports:exchange_rates"


def test_a_new_rate_replaces_the_pairs_current_one(manager):
    exchange_rate_set(user=manager, currency="THB", into="USD", rate=Decimal("0.027"))
    exchange_rate_set(user=manager, currency="THB", into="USD", rate=Decimal("0.0285"))
    exchange_rate_set(user=manager, currency="THB", into="EUR", rate=Decimal("0.026"))

    rates = dict(ExchangeRate.objects.values_list("into", "rate"))
    assert rates == {"USD": Decimal("0.0285"), "EUR": Decimal("0.026")}
    assert ExchangeRate.objects.get(into="USD").updated_by == manager


def test_a_rate_is_rounded_half_even_to_eight_places(manager):
    saved = exchange_rate_set(user=manager, currency="JPY", into="USD", rate=Decimal("0.006666665"))
    assert saved.rate == Decimal("0.00666666")


@pytest.mark.parametrize(
    ("currency", "into", "rate", "field"),
    [
        ("THB", "USD", Decimal(0), "rate"),
        ("THB", "USD", Decimal("-1"), "rate"),
        ("THB", "USD", Decimal("0.000000001"), "rate"),  # zero at eight places
        ("THB", "USD", Decimal("1e10"), "rate"),
        ("USD", "USD", Decimal(1), "into"),
        ("usd", "THB", Decimal(1), "currency"),
        ("THB", "US", Decimal(1), "into"),
    ],
)
def test_a_bad_rate_is_refused_on_its_field(manager, currency, into, rate, field):
    with pytest.raises(ApplicationError) as refused:
        exchange_rate_set(user=manager, currency=currency, into=into, rate=rate)
    assert list(refused.value.extra) == [field]
    assert not ExchangeRate.objects.exists()


def test_only_managers_set_or_remove_rates(marketer, sdr):
    for user in (marketer, sdr):
        with pytest.raises(PermissionDenied):
            exchange_rate_set(user=user, currency="THB", into="USD", rate=Decimal(1))
        with pytest.raises(PermissionDenied):
            exchange_rate_remove(user=user, currency="THB", into="USD")


def test_the_database_refuses_what_the_service_would(manager):
    rows = [
        ExchangeRate(currency="THB", into="USD", rate=Decimal(0)),
        ExchangeRate(currency="USD", into="USD", rate=Decimal(1)),
        ExchangeRate(currency="thb", into="USD", rate=Decimal(1)),
    ]
    for row in rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            row.save()
    ExchangeRate.objects.create(currency="THB", into="USD", rate=Decimal(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(currency="THB", into="USD", rate=Decimal(2))


def test_a_manager_enters_a_rate_on_the_page(client, manager):
    client.force_login(manager)
    response = client.post(reverse(URL), {"currency": "thb", "into": "USD", "rate": "0.0285"})

    assert response.status_code == 302
    assert ExchangeRate.objects.get(currency="THB", into="USD").rate == Decimal("0.0285")
    page = client.get(reverse(URL)).content.decode()
    assert "1 THB = 0.0285 USD saved." in page
    assert "0.0285" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"currency": "THB", "into": "USD", "rate": "-2"}, "rate", "A rate is a positive number"),
        ({"currency": "THB", "into": "USD", "rate": "abc"}, "rate", "Enter a number."),
        ({"currency": "USD", "into": "USD", "rate": "1"}, "into", "converts into itself"),
        ({"currency": "T1B", "into": "USD", "rate": "1"}, "currency", "three-letter"),
    ],
)
def test_bad_input_gets_a_400_with_the_message_next_to_the_field(
    client, manager, data, field, message
):
    client.force_login(manager)
    response = client.post(reverse(URL), data)

    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not ExchangeRate.objects.exists()


def test_a_manager_removes_a_rate(client, manager):
    ExchangeRate.objects.create(currency="THB", into="USD", rate=Decimal(1))
    ExchangeRate.objects.create(currency="EUR", into="USD", rate=Decimal(1))
    client.force_login(manager)

    response = client.post(reverse(URL), {"action": "remove", "currency": "THB", "into": "USD"})

    assert response.status_code == 302
    assert list(ExchangeRate.objects.values_list("currency", flat=True)) == ["EUR"]


@pytest.mark.parametrize("role", [Role.SDR, Role.MARKETER, Role.ACCOUNT_EXECUTIVE, Role.ADMIN])
def test_other_roles_may_not_open_or_post_the_rates(client_as, role):
    client = client_as(role)
    assert client.get(reverse(URL)).status_code == 403
    data = {"currency": "THB", "into": "USD", "rate": "1"}
    assert client.post(reverse(URL), data).status_code == 403
    assert not ExchangeRate.objects.exists()


def test_the_rates_page_is_in_the_reports_navigation_for_managers_only(client_as):
    link = f'href="{reverse(URL)}"'
    assert link in client_as(Role.MANAGER).get(reverse("reports:funnel")).content.decode()
    assert link not in client_as(Role.MARKETER).get(reverse("reports:funnel")).content.decode()
