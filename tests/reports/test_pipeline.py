"""The pipeline value report: per-currency totals by stage, one total per stage converted into
the reporting currency at the current rates, currencies without a rate left out and named."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from reports.filters import ReportFilterForm
from reports.models import ExchangeRate
from reports.pipeline import convert, minor_unit, pipeline_report
from tests.handoff.factories import mql_handoff
from tests.query_counts import assert_same_queries, measure
from tests.reports.factories import opportunity
from tests.teams.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ae(make_user):
    return make_user(Role.ACCOUNT_EXECUTIVE, username="alex")


def rate(currency, value, into="USD"):
    return ExchangeRate.objects.create(currency=currency, into=into, rate=Decimal(value))


def report(currency="USD", **filters):
    form = ReportFilterForm(filters)
    assert form.is_valid(), form.errors
    return pipeline_report(filters=form.filters(), currency=currency)


def stage(result, name):
    return next(row for row in result.rows if row.stage == name)


# Pure conversion


def test_the_reporting_currency_converts_at_one_and_others_at_their_rate():
    total, left_out = convert(
        {"USD": Decimal("100.00"), "EUR": Decimal("10.00")},
        into="USD",
        rates={"EUR": Decimal("1.10")},
    )
    assert (total, left_out) == (Decimal("111.00"), [])


def test_a_currency_without_a_rate_is_left_out_and_named():
    total, left_out = convert(
        {"USD": Decimal(5), "THB": Decimal(1000), "AED": Decimal(1)}, into="USD", rates={}
    )
    assert (total, left_out) == (Decimal("5.00"), ["AED", "THB"])


def test_nothing_convertible_is_no_total_and_nothing_at_all_is_zero():
    assert convert({"THB": Decimal(1)}, into="USD", rates={}) == (None, ["THB"])
    assert convert({}, into="USD", rates={}) == (Decimal("0.00"), [])


def test_the_total_is_rounded_half_even_once_at_the_end():
    # 0.005 + 0.005 rounded each would be 0.00 + 0.00 (half-even); summed first it is 0.01.
    rates = {"EUR": Decimal("0.5"), "GBP": Decimal("0.5")}
    total, _ = convert({"EUR": Decimal("0.01"), "GBP": Decimal("0.01")}, into="USD", rates=rates)
    assert total == Decimal("0.01")
    # Half-even: 0.125 goes down to 0.12, 0.135 up to 0.14.
    assert convert({"EUR": Decimal("0.25")}, into="USD", rates=rates)[0] == Decimal("0.12")
    assert convert({"EUR": Decimal("0.27")}, into="USD", rates=rates)[0] == Decimal("0.14")


def test_the_total_has_the_minor_unit_of_the_reporting_currency():
    assert minor_unit("USD") == Decimal("0.01")
    assert minor_unit("JPY") == Decimal(1)
    assert minor_unit("KWD") == Decimal("0.001")
    total, _ = convert({"USD": Decimal("10.00")}, into="JPY", rates={"USD": Decimal("151.237")})
    assert total == Decimal(1512)


# The report from the database


def test_amounts_are_summed_per_currency_and_stage(ae):
    opportunity("1000.50", "USD", owner=ae)
    opportunity("200", "USD", owner=ae)
    opportunity("5000", "THB", owner=ae)
    opportunity("300", "EUR", "won", owner=ae)

    result = report()

    discovery = stage(result, "discovery")
    assert [(t.currency, t.count, t.amount) for t in discovery.totals] == [
        ("THB", 1, Decimal("5000.00")),
        ("USD", 2, Decimal("1200.50")),
    ]
    assert discovery.count == 3
    assert [(t.currency, t.count) for t in stage(result, "won").totals] == [("EUR", 1)]
    assert stage(result, "lost").totals == []
    assert result.currencies == ["EUR", "THB", "USD"]


def test_each_stage_is_converted_with_the_current_rates(ae):
    opportunity("1000", "USD", owner=ae)
    opportunity("35000", "THB", "proposal", owner=ae)
    opportunity("300", "EUR", "won", owner=ae)
    rate("THB", "0.028")
    rate("EUR", "1.085")
    rate("EUR", "9", into="GBP")  # another reporting currency's rate is not used

    result = report()

    assert stage(result, "discovery").converted == Decimal("1000.00")
    assert stage(result, "proposal").converted == Decimal("980.00")
    assert stage(result, "won").converted == Decimal("325.50")
    assert result.open.converted == Decimal("1980.00")
    assert result.open.count == 2
    assert result.left_out == []
    assert result.rates == {"EUR": Decimal("1.085"), "THB": Decimal("0.028")}


def test_a_currency_without_a_rate_is_left_out_of_the_converted_total(ae):
    opportunity("1000", "USD", owner=ae)
    opportunity("500", "AED", owner=ae)
    opportunity("700", "RUB", "negotiation", owner=ae)

    result = report()

    discovery = stage(result, "discovery")
    assert discovery.converted == Decimal("1000.00")
    assert discovery.left_out == ["AED"]
    assert stage(result, "negotiation").converted is None
    assert result.left_out == ["AED", "RUB"]


def test_the_team_narrows_to_its_leads_and_the_page_converts_into_its_currency(client_as, ae):
    team = TeamFactory(name="APAC", reporting_currency="THB")
    worked = mql_handoff()
    worked.team = team
    worked.save()
    opportunity("100", "USD", owner=ae, lead=worked.lead)
    opportunity("999", "USD", owner=ae)
    rate("USD", "35.5", into="THB")

    response = client_as(Role.MANAGER).get(reverse("reports:pipeline"), {"team": team.pk})

    result = response.context["report"]
    assert result.currency == "THB"
    assert result.open.converted == Decimal("3550.00")
    assert "THB" in response.content.decode()


def test_without_a_team_the_workspace_currency_is_used(client_as, ae, settings):
    settings.ACCORD_REPORTING_CURRENCY = "EUR"
    opportunity("100", "EUR", owner=ae)

    response = client_as(Role.MARKETER).get(reverse("reports:pipeline"))

    assert response.context["report"].currency == "EUR"
    assert response.context["report"].open.converted == Decimal("100.00")


def test_the_page_names_the_left_out_currencies_and_links_managers_to_the_rates(client_as, ae):
    opportunity("100", "USD", owner=ae)
    opportunity("100", "THB", owner=ae)

    manager_page = client_as(Role.MANAGER).get(reverse("reports:pipeline")).content.decode()
    assert "Left out of the totals in USD: THB" in manager_page
    assert reverse("reports:exchange_rates") in manager_page


def test_marketers_see_what_is_left_out_without_a_link_they_may_not_follow(client_as, ae):
    opportunity("100", "THB", owner=ae)

    page = client_as(Role.MARKETER).get(reverse("reports:pipeline")).content.decode()
    assert "Left out of the totals in USD: THB" in page
    assert reverse("reports:exchange_rates") not in page


def test_the_csv_has_a_line_per_currency_and_the_converted_total(client_as, ae):
    opportunity("1000", "USD", owner=ae)
    opportunity("100", "EUR", owner=ae)
    opportunity("50", "THB", owner=ae)
    rate("EUR", "1.1")

    response = client_as(Role.MANAGER).get(reverse("reports:pipeline_csv"))
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))

    assert rows[0] == ["Stage", "Currency", "Opportunities", "Amount", "Left out (no rate)"]
    assert ["Discovery", "EUR", "1", "100.00", ""] in rows
    assert ["Discovery", "Total in USD (converted)", "3", "1110.00", "THB"] in rows


def test_the_api_answers_the_same_figures(api_as, ae):
    opportunity("1000", "USD", owner=ae)
    opportunity("100", "EUR", "won", owner=ae)
    opportunity("7", "AED", "won", owner=ae)
    rate("EUR", "1.1")

    body = api_as(Role.MARKETER).get(reverse("api-report-pipeline")).json()

    won = next(row for row in body["stages"] if row["stage"] == "won")
    assert won["totals"] == [
        {"currency": "AED", "count": 1, "amount": "7.00"},
        {"currency": "EUR", "count": 1, "amount": "100.00"},
    ]
    assert (won["converted"], won["left_out"]) == ("110.00", ["AED"])
    assert body["open"]["converted"] == "1000.00"
    assert body["currency"] == "USD"
    assert body["rates"] == [{"currency": "EUR", "rate": "1.10000000"}]
    assert body["left_out"] == ["AED"]


@pytest.mark.parametrize("name", ["reports:pipeline", "reports:pipeline_csv"])
@pytest.mark.parametrize("role", [Role.SDR, Role.ACCOUNT_EXECUTIVE])
def test_reps_may_not_see_the_pipeline_report(client_as, name, role):
    assert client_as(role).get(reverse(name)).status_code == 403


def test_reps_may_not_read_the_pipeline_api(api_as):
    assert api_as(Role.SDR).get(reverse("api-report-pipeline")).status_code == 403


@pytest.mark.parametrize(
    "name", ["reports:pipeline", "reports:pipeline_csv", "api-report-pipeline"]
)
def test_the_report_runs_the_same_queries_for_any_number_of_opportunities(
    client_as, ae, name, django_assert_max_num_queries
):
    """One sum grouped by stage and currency, and the rates: not a query per opportunity."""
    client = client_as(Role.MANAGER)
    rate("EUR", "1.1")
    opportunity("10", "USD", owner=ae)
    opportunity("10", "EUR", owner=ae)

    def fetch():
        return client.get(reverse(name))

    few = measure(fetch)
    for n in range(30):
        currency, stage_name = ("USD", "EUR", "THB", "AED")[n % 4], ("won", "proposal")[n % 2]
        opportunity(str(n), currency, stage_name, owner=ae)
    many = measure(fetch)
    with django_assert_max_num_queries(len(few.queries)):
        fetch().getvalue()

    assert "THB" in many.body and "THB" not in few.body
    assert_same_queries(few, many)
