from datetime import date, timedelta
from decimal import Decimal

import pytest

from accounts.roles import Role
from handoff.services import accept_handoff, disqualify_handoff, open_handoff, return_handoff
from leads.lifecycle import move_stage
from leads.models import Stage
from reports.economics import channel_economics
from reports.filters import ReportFilters
from reports.models import ChannelSpend, ExchangeRate
from reports.selectors import funnel_from_history, funnel_report, returns_report
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

OCTOBER = ReportFilters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
H = timedelta(hours=1)
D = timedelta(days=1)


def counts(row):
    return [count for _step, count, _rate in row.steps]


def by_label(rows):
    return {row.label: row for row in rows}


def test_the_funnel_counts_leads_that_entered_mql_in_the_range(october):
    report = funnel_report(filters=OCTOBER)

    assert counts(report.total) == [8, 6, 4, 3, 2]
    assert report.total.returned == 3


def test_the_funnel_gives_step_conversion_rates(october):
    rates = [rate for _step, _count, rate in funnel_report(filters=OCTOBER).total.steps]

    assert rates == [None, 6 / 8, 4 / 6, 3 / 4, 2 / 3]


def test_the_funnel_gives_the_median_time_in_each_stage(october):
    stays = dict(funnel_report(filters=OCTOBER).total.stays)

    # MQL: 2h 3h 4h 6h 8h 10h 24h 24h 24h; SAL: 2d 2d 4d 6d; SQL: 1d 2d 3d; opportunity: 10d 22d.
    assert stays == {
        Stage.MQL: 8 * H,
        Stage.SAL: 3 * D,
        Stage.SQL: 2 * D,
        Stage.OPPORTUNITY: 16 * D,
    }


def test_the_funnel_breaks_down_by_channel_campaign_and_agreement_version(october):
    report = funnel_report(filters=OCTOBER)

    channels = by_label(report.by_channel)
    assert counts(channels["Webinars"]) == [4, 3, 3, 2, 2]
    assert counts(channels["Paid search"]) == [4, 3, 1, 1, 0]
    assert channels["Paid search"].returned == 2
    campaigns = by_label(report.by_campaign)
    assert {label: row.counts[Stage.MQL] for label, row in campaigns.items()} == {
        "spring": 4,
        "autumn": 3,
        "No campaign": 1,
    }
    # L6 qualified again under version 2, but entered the cohort under version 1.
    versions = {row.key: row for row in report.by_agreement_version}
    assert counts(versions[1]) == [4, 4, 3, 3, 2]
    assert counts(versions[2]) == [4, 2, 1, 0, 0]
    assert versions[2].returned == 2


@pytest.mark.parametrize(
    ("narrowing", "expected"),
    [
        ({"agreement_version": 2}, [4, 2, 1, 0, 0]),
        ({"campaign": "spring"}, [4, 4, 3, 3, 2]),
        ({"date_from": date(2026, 10, 9)}, [4, 3, 1, 1, 0]),
    ],
)
def test_the_funnel_honours_each_filter(october, narrowing, expected):
    filters = ReportFilters(**{**OCTOBER.__dict__, **narrowing})

    assert counts(funnel_report(filters=filters).total) == expected


def test_the_funnel_narrows_to_a_channel_and_to_a_team(october):
    by_channel = ReportFilters(**{**OCTOBER.__dict__, "channel_id": october.paid.pk})
    by_team = ReportFilters(**{**OCTOBER.__dict__, "team_id": october.team.pk})

    assert counts(funnel_report(filters=by_channel).total) == [4, 3, 1, 1, 0]
    assert counts(funnel_report(filters=by_team).total) == [4, 3, 3, 2, 2]


def test_returns_count_reasons_and_shares_of_the_cohort(october):
    report = returns_report(filters=OCTOBER)

    assert report.total == 3
    assert [(row.label, row.count, row.share) for row in report.reasons] == [
        ("No fit", 2, 2 / 3),
        ("Not reachable", 1, 1 / 3),
    ]


def test_returns_break_down_by_channel_and_agreement_version(october):
    report = returns_report(filters=OCTOBER)
    no_fit = next(row.reason_id for row in report.reasons if row.label == "No fit")

    channels = by_label(report.by_channel)
    assert (channels["Paid search"].count, channels["Webinars"].count) == (2, 1)
    assert channels["Paid search"].share_of(no_fit) == 1 / 2
    versions = {group.key: group for group in report.by_agreement_version}
    assert (versions[1].count, versions[2].count) == (1, 2)
    assert versions[2].share_of(no_fit) == 1


def test_returns_honour_the_agreement_version_filter(october):
    filters = ReportFilters(**{**OCTOBER.__dict__, "agreement_version": 1})

    assert [row.label for row in returns_report(filters=filters).reasons] == ["Not reachable"]


@pytest.fixture
def october_spend(october):
    month = date(2026, 10, 1)
    ChannelSpend.objects.create(channel=october.webinars, month=month, amount=1000, currency="USD")
    ChannelSpend.objects.create(channel=october.paid, month=month, amount=2000, currency="USD")
    ChannelSpend.objects.create(channel=october.webinars, month=month, amount=500, currency="EUR")
    ChannelSpend.objects.create(
        channel=october.webinars, month=date(2026, 9, 1), amount=9999, currency="USD"
    )
    return october


def test_channel_economics_counts_leads_created_in_the_months_and_the_stages_they_reached(
    october_spend,
):
    report = channel_economics(filters=OCTOBER)

    rows = by_label(report.rows)
    assert rows["Webinars"].counts == {"leads": 5, "mql": 4, "sal": 3, "sql": 3, "won": 2}
    assert rows["Paid search"].counts == {"leads": 4, "mql": 4, "sal": 3, "sql": 1, "won": 0}


def test_channel_economics_divides_the_months_spend_in_the_most_used_currency(october_spend):
    report = channel_economics(filters=OCTOBER)

    assert (report.months, report.currency, report.currencies) == (
        [date(2026, 10, 1)],
        "USD",
        ["USD", "EUR"],
    )
    rows = by_label(report.rows)
    assert rows["Webinars"].costs == {
        "leads": Decimal("200.00"),
        "mql": Decimal("250.00"),
        "sal": Decimal("333.33"),
        "sql": Decimal("333.33"),
        "won": Decimal("500.00"),
    }
    assert rows["Paid search"].costs["won"] is None
    assert report.total.spend == Decimal("3000.00")
    assert report.total.costs == {
        "leads": Decimal("333.33"),
        "mql": Decimal("375.00"),
        "sal": Decimal("500.00"),
        "sql": Decimal("750.00"),
        "won": Decimal("1500.00"),
    }


def test_channel_economics_shows_another_currency_on_request(october_spend):
    report = channel_economics(filters=OCTOBER, currency="EUR")

    assert by_label(report.rows)["Webinars"].costs["mql"] == Decimal("125.00")
    assert by_label(report.rows)["Paid search"].spend is None


def test_converting_adds_other_currencies_at_their_rate(october_spend, settings, manager):
    settings.ACCORD_REPORTING_CURRENCY = "USD"
    ExchangeRate.objects.create(currency="EUR", into="USD", rate=Decimal("1.1"), updated_by=manager)

    report = channel_economics(filters=OCTOBER, converted=True)

    # Webinars: 1000 USD + 500 EUR x 1.1 = 1550 USD; paid search: 2000 USD.
    assert (report.currency, report.rates, report.left_out) == ("USD", {"EUR": Decimal("1.1")}, [])
    assert by_label(report.rows)["Webinars"].spend == Decimal("1550.00")
    assert by_label(report.rows)["Webinars"].costs["won"] == Decimal("775.00")
    assert report.total.spend == Decimal("3550.00")


def test_converting_without_a_rate_leaves_the_currency_out_and_names_it(october_spend):
    report = channel_economics(filters=OCTOBER, currency="EUR", converted=True)

    assert (report.currency, report.left_out) == ("EUR", ["USD"])
    assert by_label(report.rows)["Webinars"].spend == Decimal("500.00")
    assert by_label(report.rows)["Paid search"].spend is None


def test_reports_agree_with_each_other(october_spend):
    funnel = funnel_report(filters=OCTOBER)
    economics = channel_economics(filters=OCTOBER)

    assert {row.key: row.counts[Stage.MQL] for row in funnel.by_channel} == {
        row.channel_id: row.counts["mql"] for row in economics.rows
    }
    assert funnel.total.returned == returns_report(filters=OCTOBER).total
    assert sum(row.counts[Stage.MQL] for row in funnel.by_channel) == funnel.total.counts["mql"]
    for version in (1, 2):
        narrowed = ReportFilters(**{**OCTOBER.__dict__, "agreement_version": version})
        assert (
            funnel_report(filters=narrowed).total.returned == returns_report(filters=narrowed).total
        )


def test_an_empty_range_gives_empty_reports(october):
    november = ReportFilters(date_from=date(2026, 11, 10), date_to=date(2026, 11, 20))

    assert counts(funnel_report(filters=november).total) == [0, 0, 0, 0, 0]
    assert returns_report(filters=november).total == 0
    assert channel_economics(filters=november).rows == []


def test_a_return_made_in_the_queue_shows_in_the_funnel_and_the_returns_alike(make_user):
    lead = LeadFactory()
    move_stage(lead.pk, Stage.MQL, context={"agreement_version": 3})
    handoff = open_handoff(lead=lead, agreement_version=3, score=70, explanation={})
    return_handoff(handoff=handoff, user=make_user(Role.MANAGER), reason="bad_timing")
    today = ReportFilters(date_from=date.today() - D, date_to=date.today() + D)

    funnel, returns = funnel_report(filters=today), returns_report(filters=today)

    assert funnel.total.returned == returns.total == 1
    assert [(row.label, row.count) for row in returns.reasons] == [("Bad timing", 1)]
    assert [group.key for group in returns.by_agreement_version] == [3]


def test_a_return_after_acceptance_shows_in_the_funnel_and_the_returns_alike(make_user):
    lead = LeadFactory()
    manager = make_user(Role.MANAGER)
    move_stage(lead.pk, Stage.MQL, context={"agreement_version": 3})
    handoff = open_handoff(lead=lead, agreement_version=3, score=70, explanation={})
    checks = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}
    accept_handoff(handoff=handoff, user=manager, checklist=checks)
    return_handoff(handoff=handoff, user=manager, reason="no_fit", expected_from=Stage.SAL)
    today = ReportFilters(date_from=date.today() - D, date_to=date.today() + D)

    funnel, returns = funnel_report(filters=today), returns_report(filters=today)

    assert funnel.total.returned == returns.total == 1
    assert counts(funnel.total)[:2] == [1, 1]
    assert [(row.label, row.count) for row in returns.reasons] == [("No fit", 1)]


def test_disqualifications_show_in_the_funnel_and_the_returns_alike(make_user):
    manager = make_user(Role.MANAGER)
    checks = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}
    handoffs = []
    for _ in range(3):
        lead = LeadFactory()
        move_stage(lead.pk, Stage.MQL, context={"agreement_version": 3})
        handoffs.append(open_handoff(lead=lead, agreement_version=3, score=70, explanation={}))
    queued, accepted, returned = handoffs
    disqualify_handoff(handoff=queued, user=manager, reason="junk")
    accept_handoff(handoff=accepted, user=manager, checklist=checks)
    disqualify_handoff(handoff=accepted, user=manager, reason="student", expected_from=Stage.SAL)
    return_handoff(handoff=returned, user=manager, reason="other", note="Not now")
    today = ReportFilters(date_from=date.today() - D, date_to=date.today() + D)

    funnel, returns = funnel_report(filters=today), returns_report(filters=today)

    assert (funnel.total.returned, funnel.total.disqualified) == (1, 2)
    assert (returns.total, returns.disqualified) == (1, 2)
    assert funnel_from_history(today) == funnel
    assert sorted((row.kind, row.heading, row.count) for row in returns.reasons) == [
        ("disqualify", "Disqualified: Junk or fake details", 1),
        ("disqualify", "Disqualified: Student", 1),
        ("return", "Other", 1),
    ]
    assert [group.count for group in returns.by_agreement_version] == [3]
