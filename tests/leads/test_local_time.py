from datetime import UTC, datetime

import pytest

from leads.local_time import local_time_of

NOON_UTC = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("country", "city", "zone"),
    [
        ("TH", "", "Asia/Bangkok"),
        ("AE", "", "Asia/Dubai"),
        ("SA", "", "Asia/Riyadh"),
        ("CN", "", "Asia/Shanghai"),  # China's national time, though CLDR lists Urumqi too
        ("CN", "Urumqi", "Asia/Urumqi"),
        ("RU", "Новосибирск", "Asia/Novosibirsk"),
        ("RU", "Moscow", "Europe/Moscow"),
        ("RU", "موسكو", "Europe/Moscow"),
        ("US", "Chicago", "America/Chicago"),
    ],
)
def test_the_country_code_and_a_city_named_in_any_language_give_the_zone(country, city, zone):
    place = local_time_of(country, city)

    assert place.zone.key == zone


def test_the_local_time_is_the_moment_where_the_lead_is():
    assert local_time_of("TH").at(NOON_UTC).hour == 19


def test_a_country_of_several_zones_without_a_city_has_no_single_local_time():
    place = local_time_of("RU")

    assert place.territory == "RU"
    assert place.zone is None
    assert place.at(NOON_UTC) is None


@pytest.mark.parametrize("country", ["", "XX", "Thailand"])
def test_anything_but_a_known_code_has_no_place(country):
    assert local_time_of(country) is None
