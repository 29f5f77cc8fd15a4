from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from sla.calendars import save_team_calendar
from sla.models import SlaPolicy, Step, TeamCalendar, WorkingSpan
from sla.services import advance_clocks, start_clocks
from tests.sla import fixtures
from tests.sla.factories import HandoffFactory, TeamFactory

pytestmark = pytest.mark.django_db

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def team():
    return TeamFactory(name="Inbound APAC")


def pages(team):
    policy = SlaPolicy.objects.first()
    return [
        reverse("reports:sla_dashboard"),
        reverse("sla:policies"),
        reverse("sla:policy_new"),
        reverse("sla:policy_edit", args=[policy.pk]),
        reverse("sla:hours"),
        reverse("sla:hours_edit", args=[team.pk]),
        reverse("reports:breaches"),
        reverse("reports:breach_drilldown"),
    ]


def test_managers_open_every_sla_page(client_as, team):
    client = client_as(Role.MANAGER)

    for url in pages(team):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.SDR, Role.MARKETER, Role.ACCOUNT_EXECUTIVE, Role.ADMIN])
def test_other_roles_are_forbidden(client_as, team, role):
    client = client_as(role)

    for url in pages(team):
        assert client.get(url).status_code == 403, url
    deactivate = reverse("sla:policy_deactivate", args=[SlaPolicy.objects.first().pk])
    assert client.post(deactivate).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, team):
    for url in pages(team):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_managers_land_on_todays_sla_with_a_link_to_the_sla_page(client_as):
    response = client_as(Role.MANAGER).get(reverse("home"))

    assert response.context["parts"] == ["sla"]
    assert f'href="{reverse("reports:sla_dashboard")}"' in response.content.decode()


def test_the_navigation_links_managers_to_the_sla_pages(client_as):
    page = client_as(Role.MANAGER).get(reverse("reports:sla_dashboard")).content.decode()

    assert f'href="{reverse("reports:sla_dashboard")}"' in page


def test_a_manager_creates_a_policy(client_as):
    response = client_as(Role.MANAGER).post(
        reverse("sla:policy_new"),
        {
            "name": "Trade shows",
            "step": Step.FIRST_TOUCH,
            "target_minutes": 120,
            "counting": "business",
            "at_risk_percent": 50,
            "channel_kind": "event",
            "priority": 1,
            "notify_manager": "on",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    policy = SlaPolicy.objects.get(name="Trade shows")
    assert (policy.target_minutes, policy.channel_kind, policy.at_risk_percent) == (
        120,
        "event",
        50,
    )


def test_bad_policy_input_is_shown_next_to_the_field_and_nothing_saved(client_as):
    before = SlaPolicy.objects.count()

    response = client_as(Role.MANAGER).post(
        reverse("sla:policy_new"),
        {
            "name": "Broken",
            "step": Step.FIRST_TOUCH,
            "target_minutes": 0,
            "counting": "business",
            "at_risk_percent": 120,
            "priority": 0,
        },
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"target_minutes", "at_risk_percent"}
    assert SlaPolicy.objects.count() == before


def test_deactivating_the_only_general_policy_is_refused_with_a_message(client_as):
    policy = SlaPolicy.objects.get(step=Step.SQL_DECISION)
    client = client_as(Role.MANAGER)

    response = client.post(reverse("sla:policy_deactivate", args=[policy.pk]), follow=True)

    policy.refresh_from_db()
    assert policy.is_active
    assert "Every step needs an active policy" in response.content.decode()


def test_deactivating_a_conditional_policy(client_as):
    hot = SlaPolicy.objects.get(min_score__isnull=False)

    client_as(Role.MANAGER).post(reverse("sla:policy_deactivate", args=[hot.pk]))

    hot.refresh_from_db()
    assert not hot.is_active


def hours_form(**overrides):
    data = {
        "time_zone": "Asia/Bangkok",
        "holiday_country": "th",
        "holiday_subdiv": "",
        "closed_dates": "2026-12-31 Year-end close\n",
        **{f"day_{day}": "08:30-12:00, 13:00-17:30" for day in range(5)},
        "day_5": "",
        "day_6": "",
    }
    data.update(overrides)
    return data


def test_a_manager_sets_a_team_s_business_hours(client_as, team):
    response = client_as(Role.MANAGER).post(reverse("sla:hours_edit", args=[team.pk]), hours_form())

    assert response.status_code == 302
    calendar = TeamCalendar.objects.get(team=team)
    assert (calendar.time_zone, calendar.holiday_country) == ("Asia/Bangkok", "TH")
    assert WorkingSpan.objects.filter(calendar=calendar).count() == 10
    assert list(calendar.closed_dates.values_list("note", flat=True)) == ["Year-end close"]
    assert WorkingSpan.objects.filter(calendar=calendar, weekday=0).first().opens == time(8, 30)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("day_0", "9-5"),
        ("day_1", "09:00-13:00, 12:00-17:00"),
        ("holiday_country", "XX"),
        ("closed_dates", "31/12/2026"),
        ("time_zone", "Mars/Olympus"),
    ],
)
def test_bad_hours_are_shown_next_to_the_field_and_nothing_saved(client_as, team, field, value):
    response = client_as(Role.MANAGER).post(
        reverse("sla:hours_edit", args=[team.pk]), hours_form(**{field: value})
    )

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not TeamCalendar.objects.filter(team=team).exists()


def test_a_week_without_hours_is_refused(client_as, team):
    closed = {f"day_{day}": "" for day in range(7)}

    response = client_as(Role.MANAGER).post(
        reverse("sla:hours_edit", args=[team.pk]), hours_form(**closed)
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


@pytest.fixture
def reps(make_user):
    return {
        "rep1": make_user(Role.SDR, username="rep1"),
        "rep2": make_user(Role.SDR, username="rep2"),
    }


def report_query(**extra):
    return {"start": "2026-11-16", "end": "2026-11-22", **extra}


def test_the_report_page_shows_the_numbers_and_links_to_the_breaches(client_as, reps):
    fixtures.build(reps)

    response = client_as(Role.MANAGER).get(
        reverse("reports:breaches"), report_query(group_by="team")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Team A" in page and "27.8%" in page
    assert 'id="sla-chart-data"' in page
    assert "state=breached" in page


def test_a_bad_date_range_is_shown_next_to_the_field(client_as):
    response = client_as(Role.MANAGER).get(
        reverse("reports:breaches"), {"start": "2026-11-20", "end": "2026-11-01"}
    )

    assert response.status_code == 400
    assert "end" in response.context["form"].errors


def test_the_report_exports_csv_with_formulas_neutralized(client_as, reps, make_user):
    reps["rep1"].first_name = "=HYPERLINK(1)"
    reps["rep1"].save()
    fixtures.build(reps)

    response = client_as(Role.MANAGER).get(reverse("reports:breaches"), report_query(format="csv"))

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0] == "Rep,Step,Met,Breached,Open,Breach rate (%)"
    assert "'=HYPERLINK(1)" in body
    assert "\n=HYPERLINK" not in body


def test_the_drilldown_lists_breached_handoffs_with_links_to_the_leads(client_as, reps):
    fixtures.build(reps)

    response = client_as(Role.MANAGER).get(
        reverse("reports:breach_drilldown"),
        report_query(group_by="rep", group=reps["rep1"].pk, state="breached"),
    )

    assert response.status_code == 200
    assert response.context["paginator"].count == 3
    lead = response.context["clocks"][0].handoff.lead
    assert reverse("leads:detail", args=[lead.pk]) in response.content.decode()


def test_the_drilldown_exports_csv(client_as, reps):
    fixtures.build(reps)

    response = client_as(Role.MANAGER).get(
        reverse("reports:breach_drilldown"), report_query(state="breached", format="csv")
    )

    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 5


def test_an_unknown_drilldown_group_is_a_bad_request(client_as):
    response = client_as(Role.MANAGER).get(
        reverse("reports:breach_drilldown"), report_query(group_by="rep", group="abc")
    )

    assert response.status_code == 400


@pytest.mark.parametrize("url_name", ["reports:breaches", "reports:breach_drilldown"])
def test_report_pages_run_the_same_queries_whatever_the_rows(
    client_as, make_user, url_name, django_assert_max_num_queries
):
    client = client_as(Role.MANAGER)
    reps = {"rep1": make_user(Role.SDR), "rep2": make_user(Role.SDR)}
    fixtures.build(reps)
    client.get(reverse(url_name), report_query())  # warm the session and calendar caches
    with django_assert_max_num_queries(30) as few:
        client.get(reverse(url_name), report_query())
    for _ in range(3):
        fixtures.build({"rep1": make_user(Role.SDR), "rep2": make_user(Role.SDR)})

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name), report_query())

    assert response.status_code == 200


def clocks_for_the_dashboard(team):
    """One handoff at risk and one breached today, seen on Monday 23 November at 12:30."""
    on_time = HandoffFactory(team=team, created_at=MONDAY_9)
    start_clocks(handoff=on_time, now=MONDAY_9)
    friday = MONDAY_9 - timedelta(days=3)
    late = HandoffFactory(team=team, created_at=friday)
    start_clocks(handoff=late, now=friday)
    advance_clocks(now=NOW)


def test_the_landing_page_shows_today_s_breaches_and_what_is_at_risk(
    client_as, team, django_assert_max_num_queries
):
    clocks_for_the_dashboard(team)
    client = client_as(Role.MANAGER)

    with time_machine.travel(NOW, tick=False):
        client.get(reverse("reports:sla_dashboard"))
        with django_assert_max_num_queries(40) as few:
            response = client.get(reverse("reports:sla_dashboard"))
        for _ in range(4):
            clocks_for_the_dashboard(team)
        with django_assert_max_num_queries(len(few.captured_queries)):
            more = client.get(reverse("reports:sla_dashboard"))

    assert (response.context["breached_today_count"], response.context["at_risk_count"]) == (2, 1)
    assert (more.context["breached_today_count"], more.context["at_risk_count"]) == (10, 5)
    assert "1h left, business hours" in more.content.decode()


def test_the_lead_page_shows_its_clocks_with_the_policy_they_started_with(client_as):
    handoff = HandoffFactory(created_at=MONDAY_9)
    start_clocks(handoff=handoff, now=MONDAY_9)

    page = client_as(Role.SDR).get(reverse("leads:detail", args=[handoff.lead_id])).content
    page = page.decode()

    assert "SLA clocks" in page
    assert "First touch within 4 business hours" in page
    assert "Accept or return within 1 business day" in page


@pytest.mark.parametrize("rows", [1, 6])
def test_policy_and_hours_lists_run_a_fixed_number_of_queries(
    client_as, rows, django_assert_num_queries
):
    for number in range(rows):
        team = TeamFactory(name=f"Team {number}")
        save_team_calendar(
            team=team,
            time_zone="Asia/Bangkok",
            hours={0: [(time(9), time(17))]},
            closed_dates={date(2026, 12, 31): "Year end"},
        )
        SlaPolicy.objects.create(
            name=f"Team {number}", step=Step.FIRST_TOUCH, target_minutes=60, team=team
        )
    client = client_as(Role.MANAGER)
    client.get(reverse("sla:policies"))

    # Session, user, roles, then the rows (with their related teams, hours and closed dates).
    with django_assert_num_queries(4):
        client.get(reverse("sla:policies"))
    with django_assert_num_queries(6):
        client.get(reverse("sla:hours"))


def lead_key(clock):
    lead = clock.handoff.lead
    return (lead.first_name, lead.last_name, lead.email)


def test_the_drilldown_sorts_by_a_column_and_its_pages_and_csv_keep_the_sort(client_as, reps):
    fixtures.build(reps)
    client = client_as(Role.MANAGER)

    response = client.get(
        reverse("reports:breach_drilldown"), report_query(state="breached", sort="-lead")
    )
    exported = client.get(
        reverse("reports:breach_drilldown"),
        report_query(state="breached", sort="-lead", format="csv"),
    )

    keys = [lead_key(clock) for clock in response.context["clocks"]]
    assert keys == sorted(keys, reverse=True) and len(keys) == 5 and len(set(keys)) > 1
    assert "sort=-lead" in response.context["query_string"]
    assert 'aria-sort="descending"><a href="?start=' in response.content.decode()
    rows = b"".join(exported.streaming_content).decode("utf-8-sig").splitlines()[1:]
    assert [row.split(",")[1] for row in rows] == [email for _first, _last, email in keys]


def test_the_drilldown_ignores_an_unknown_sort(client_as, reps):
    fixtures.build(reps)

    response = client_as(Role.MANAGER).get(
        reverse("reports:breach_drilldown"), report_query(state="breached", sort="policy__secret")
    )

    assert response.status_code == 200
    clocks = [(clock.started_at, clock.pk) for clock in response.context["clocks"]]
    assert clocks == sorted(clocks, reverse=True)
