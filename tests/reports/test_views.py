import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from reports.models import ChannelSpend, ExchangeRate
from tests.factories import ChannelFactory, LeadFactory
from tests.reports.factories import at, build_october, disqualified_lead, make_lead

pytestmark = pytest.mark.django_db

OCTOBER = {"date_from": "2026-10-01", "date_to": "2026-10-31"}
PAGES = ["reports:funnel", "reports:returns", "reports:channels"]
EXPORTS = ["reports:funnel_csv", "reports:returns_csv", "reports:channels_csv"]


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("name", [*PAGES, *EXPORTS])
@pytest.mark.parametrize("role", [Role.MANAGER, Role.MARKETER])
def test_managers_and_marketers_read_every_report(client_as, name, role):
    assert client_as(role).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", [*PAGES, *EXPORTS, "reports:spend"])
@pytest.mark.parametrize("role", [Role.SDR, Role.ACCOUNT_EXECUTIVE, Role.ADMIN, None])
def test_other_roles_are_refused(client_as, name, role):
    client = client_as(role) if role else client_as()

    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", [*PAGES, *EXPORTS, "reports:spend"])
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_only_marketers_enter_spend(client_as):
    assert client_as(Role.MANAGER).get(reverse("reports:spend")).status_code == 403
    assert client_as(Role.MARKETER).get(reverse("reports:spend")).status_code == 200


def test_the_navigation_offers_reports_to_managers_and_marketers(client_as):
    link = f'href="{reverse("reports:funnel")}"'

    assert link in client_as(Role.MARKETER).get(reverse("leads:list")).text
    assert link in client_as(Role.MANAGER).get(reverse("leads:list")).text
    assert link not in client_as(Role.SDR).get(reverse("leads:list")).text


def test_the_funnel_page_shows_the_filtered_figures_and_states_the_cohort(client_as, make_user):
    october = build_october(make_user(Role.SDR))

    response = client_as(Role.MANAGER).get(
        reverse("reports:funnel"), {**OCTOBER, "channel": october.paid.pk}
    )

    assert response.status_code == 200
    report = response.context["report"]
    assert [count for _step, count, _rate in report.total.steps] == [4, 3, 1, 1, 0]
    assert "Leads that entered MQL between" in response.text
    assert 'id="funnel-by-channel-data"' in response.text
    assert f"?date_from=2026-10-01&amp;date_to=2026-10-31&amp;channel={october.paid.pk}" in (
        response.text
    )


def test_bad_filters_are_shown_next_to_the_field_with_a_400(client_as):
    response = client_as(Role.MARKETER).get(
        reverse("reports:funnel"), {"date_from": "2026-10-31", "date_to": "2026-10-01"}
    )

    assert response.status_code == 400
    assert "The end date is before the start date." in response.text
    assert "report" not in response.context


def test_the_funnel_csv_holds_the_pages_figures(client_as, make_user):
    build_october(make_user(Role.SDR))

    response = client_as(Role.MARKETER).get(reverse("reports:funnel_csv"), OCTOBER)

    assert response["Content-Disposition"] == (
        'attachment; filename="funnel-2026-10-01-2026-10-31.csv"'
    )
    rows = read_csv(response)
    assert rows[0][:7] == ["Breakdown", "Group", "MQL", "SAL", "SQL", "Opportunity", "Won"]
    assert rows[1][:7] == ["Total", "All leads", "8", "6", "4", "3", "2"]
    assert ["By channel", "Webinars", "4", "3", "3", "2", "2"] in [row[:7] for row in rows]


def test_the_returns_page_and_csv(client_as, make_user):
    build_october(make_user(Role.SDR))
    client = client_as(Role.MANAGER)

    page = client.get(reverse("reports:returns"), OCTOBER)
    rows = read_csv(client.get(reverse("reports:returns_csv"), OCTOBER))

    assert page.context["report"].total == 3
    assert "No fit" in page.text
    assert "?date_from=2026-10-01&amp;date_to=2026-10-31&amp;agreement_version=2" in page.text
    assert rows[1] == ["All returns", "", "No fit", "2", "0.6667"]


def test_the_channel_economics_page_and_csv(client_as, make_user):
    october = build_october(make_user(Role.SDR))
    ChannelSpend.objects.create(
        channel=october.webinars, month=date(2026, 10, 1), amount=1000, currency="USD"
    )
    client = client_as(Role.MARKETER)

    page = client.get(reverse("reports:channels"), OCTOBER)
    rows = read_csv(client.get(reverse("reports:channels_csv"), OCTOBER))

    assert "250.00" in page.text
    assert rows[0][:3] == ["Channel", "Spend (USD)", "Leads"]
    webinars = next(row for row in rows if row[0] == "Webinars")
    assert webinars[1:7] == ["1000.00", "5", "4", "3", "3", "2"]
    assert webinars[8] == "250.00"


def test_channel_names_that_look_like_formulas_are_neutralized_in_the_csv(client_as):
    channel = ChannelFactory(name='=HYPERLINK("http://evil")')
    ChannelSpend.objects.create(channel=channel, month=date.today().replace(day=1), amount=10,
                                currency="USD")  # fmt: skip

    rows = read_csv(client_as(Role.MARKETER).get(reverse("reports:channels_csv")))

    assert rows[1][0] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize(("name", "params"), [(page, OCTOBER) for page in PAGES])
def test_report_pages_run_a_fixed_number_of_queries(
    client_as, make_user, django_assert_max_num_queries, name, params
):
    client = client_as(Role.MANAGER)
    build_october(make_user(Role.SDR, username="rep1"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(name), params)
    for tag in "abc":
        build_october(make_user(Role.SDR, username=f"rep-{tag}"), tag=tag)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(name), params)
    assert response.status_code == 200


def test_the_spend_grid_shows_every_channel_for_the_month(client_as):
    ChannelFactory(name="Webinars")
    ChannelFactory(name="Paid search")

    response = client_as(Role.MARKETER).get(
        reverse("reports:spend"), {"month": "2026-11", "currency": "EUR"}
    )

    assert [channel.name for channel in response.context["form"].channels] == [
        "Paid search",
        "Webinars",
    ]
    assert "Spend in November 2026, EUR" in response.text


def test_saving_the_grid_stores_the_months_spend(client_as):
    channel = ChannelFactory()
    url = reverse("reports:spend") + "?month=2026-11&currency=EUR"

    response = client_as(Role.MARKETER).post(url, {f"channel_{channel.pk}": "1250.5"})

    assert response.status_code == 302
    assert response.url == url
    assert ChannelSpend.objects.get().amount == Decimal("1250.50")
    assert (ChannelSpend.objects.get().month, ChannelSpend.objects.get().currency) == (
        date(2026, 11, 1),
        "EUR",
    )


def test_a_bad_cell_is_shown_next_to_it_and_nothing_is_saved(client_as):
    good, bad = ChannelFactory(), ChannelFactory()

    response = client_as(Role.MARKETER).post(
        reverse("reports:spend") + "?month=2026-11",
        {f"channel_{good.pk}": "100", f"channel_{bad.pk}": "-5"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        f"channel_{bad.pk}": ["Ensure this value is greater than or equal to 0."]
    }
    assert "Nothing was saved" in response.text
    assert not ChannelSpend.objects.exists()


def test_a_bad_month_or_currency_is_shown_next_to_the_picker(client_as):
    response = client_as(Role.MARKETER).get(
        reverse("reports:spend"), {"month": "November", "currency": "EURO"}
    )

    assert response.status_code == 400
    assert set(response.context["picker"].errors) == {"month", "currency"}


def test_an_empty_funnel_says_what_to_do(client_as):
    response = client_as(Role.MANAGER).get(reverse("reports:funnel"))

    assert "No lead entered MQL with these filters." in response.text
    assert "Download CSV" in response.text


def test_channel_economics_without_spend_invites_the_marketer_to_enter_it(client_as):
    channel = ChannelFactory()
    LeadFactory(channel=channel)

    response = client_as(Role.MARKETER).get(reverse("reports:channels"))

    assert "No spend entered for these months yet" in response.text
    assert f'href="{reverse("reports:spend")}"' in response.text


def test_the_spend_grid_runs_a_fixed_number_of_queries(client_as, django_assert_max_num_queries):
    client = client_as(Role.MARKETER)
    ChannelFactory()
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("reports:spend"))
    for _ in range(20):
        ChannelFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("reports:spend")).context["form"].channels) == 21


def test_each_breakdown_row_links_to_the_funnel_narrowed_to_it(client_as, make_user):
    october = build_october(make_user(Role.SDR))

    response = client_as(Role.MARKETER).get(reverse("reports:funnel"), OCTOBER)

    query = "?date_from=2026-10-01&amp;date_to=2026-10-31"
    assert f'href="{query}&amp;channel={october.webinars.pk}"' in response.text
    assert f'href="{query}&amp;campaign=autumn"' in response.text
    assert f'href="{query}&amp;agreement_version=2"' in response.text


def test_disqualifications_show_on_the_returns_and_funnel_pages_csv_and_api(
    client_as, api_as, make_user
):
    october = build_october(make_user(Role.SDR))
    disqualified_lead(october.paid, at(10, 14), email="dq@x.io")
    client = client_as(Role.MANAGER)

    returns = client.get(reverse("reports:returns"), OCTOBER)
    returns_csv = read_csv(client.get(reverse("reports:returns_csv"), OCTOBER))
    funnel = client.get(reverse("reports:funnel"), OCTOBER)
    funnel_csv = read_csv(client.get(reverse("reports:funnel_csv"), OCTOBER))
    body = api_as(Role.MARKETER).get(reverse("api-report-returns"), OCTOBER).json()

    assert (returns.context["report"].total, returns.context["report"].disqualified) == (3, 1)
    assert "Disqualified: Junk" in returns.text
    assert ["All disqualified", "", "Junk or fake details", "1", "0.25"] in returns_csv
    assert funnel.context["report"].total.disqualified == 1
    column = funnel_csv[0].index("Disqualified")
    assert funnel_csv[1][column] == "1"
    assert (body["total"], body["disqualified"]) == (3, 1)
    assert {"kind": "disqualify", "label": "Junk or fake details", "count": 1} in [
        {key: row[key] for key in ("kind", "label", "count")} for row in body["reasons"]
    ]


def options_of(page: str, name: str) -> list[str]:
    """The option texts of the <select name=...> on the page, in order."""
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return [
        option.split(">", 1)[1].split("</option", 1)[0] for option in select.split("<option")[1:]
    ]


def test_version_and_campaign_are_picked_from_what_exists(client_as, make_user):
    build_october(make_user(Role.SDR))

    page = client_as(Role.MARKETER).get(reverse("reports:funnel"), OCTOBER).content.decode()

    assert options_of(page, "agreement_version")[0] == "All versions"
    assert "Version 1" in options_of(page, "agreement_version")
    assert options_of(page, "campaign") == ["All campaigns", "autumn", "spring"]


def test_a_shared_link_with_a_campaign_the_list_lacks_still_shows_what_it_filters(client_as):
    page = client_as(Role.MARKETER).get(
        reverse("reports:returns"), {**OCTOBER, "campaign": "winter-promo"}
    )

    assert '<option value="winter-promo" selected>winter-promo</option>' in page.content.decode()


def test_the_currency_is_picked_from_those_spend_was_entered_in(client_as):
    channel = ChannelFactory()
    for currency in ("THB", "USD"):
        ChannelSpend.objects.create(
            channel=channel, month=date(2026, 10, 1), amount=100, currency=currency
        )

    page = client_as(Role.MARKETER).get(reverse("reports:channels"), OCTOBER).content.decode()

    assert options_of(page, "currency") == ["Most used", "THB", "USD"]


def test_the_economics_page_and_csv_convert_other_currencies_and_name_those_without_a_rate(
    client_as, manager
):
    paid = ChannelFactory(name="Paid search")
    make_lead(created=at(10, 5), channel=paid, email="ana@example.com")
    month = date(2026, 10, 1)
    ChannelSpend.objects.create(channel=paid, month=month, amount=Decimal(800), currency="USD")
    ChannelSpend.objects.create(channel=paid, month=month, amount=Decimal(100), currency="EUR")
    ChannelSpend.objects.create(channel=paid, month=month, amount=Decimal(5000), currency="THB")
    ExchangeRate.objects.create(currency="EUR", into="USD", rate=Decimal(2), updated_by=manager)
    client = client_as(Role.MANAGER)
    query = {**OCTOBER, "currency": "USD", "converted": "on"}

    page = client.get(reverse("reports:channels"), query).content.decode()
    table = read_csv(client.get(reverse("reports:channels_csv"), query))

    assert 'id="economics-converted"' in page and "1 EUR = 2 USD" in page
    assert "Left out of the totals in USD: THB" in page
    assert table[0][1] == "Spend (USD, converted)"
    assert table[1][:3] == ["Paid search", "1000.00", "1"]
