from datetime import UTC, datetime

import pytest

from leads.local_time import local_time_of

NOON_UTC = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("country", "city", "zone"),
    [
        ("TH", "", "Asia/Bangkok"),
        ("Thailand", "", "Asia/Bangkok"),
        ("ไทย", "", "Asia/Bangkok"),
        ("United Arab Emirates", "", "Asia/Dubai"),
        ("  saudi arabia ", "", "Asia/Riyadh"),
        ("中国", "", "Asia/Shanghai"),  # China's national time, though CLDR lists Urumqi too
        ("China", "Urumqi", "Asia/Urumqi"),
        ("Россия", "Новосибирск", "Asia/Novosibirsk"),
        ("Russia", "Moscow", "Europe/Moscow"),
        ("روسيا", "موسكو", "Europe/Moscow"),
        ("United States", "Chicago", "America/Chicago"),
    ],
)
def test_the_country_and_city_give_the_zone_in_any_of_accords_languages(country, city, zone):
    place = local_time_of(country, city)

    assert place.zone.key == zone


def test_the_local_time_is_the_moment_where_the_lead_is():
    assert local_time_of("Thailand").at(NOON_UTC).hour == 19


def test_a_country_of_several_zones_without_a_city_has_no_single_local_time():
    place = local_time_of("Россия")

    assert place.territory == "RU"
    assert place.zone is None
    assert place.at(NOON_UTC) is None


@pytest.mark.parametrize("country", ["", "Narnia", "42"])
def test_an_unknown_country_has_no_place(country):
    assert local_time_of(country) is None
