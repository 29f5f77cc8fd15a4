"""A lead's local time, from its country code and the city a form or an import gave.

A rep about to call wants to know whether it is 3 a.m. there. The country is an ISO code
(leads.countries reads the names people type). The time zone is the one whose city the lead
names, else the country's only one, else its national time: the zones CLDR files under a
metazone named after the country ("China" for Beijing time), when they agree now. A country
spanning several zones with no national time and no matching city (Russia, the United States)
has no single local time: Accord says so rather than guess Moscow for Novosibirsk.
"""

import functools
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location
from django.conf import settings


@dataclass(frozen=True)
class LocalTime:
    territory: str  # ISO 3166 code, e.g. "TH"
    zone: ZoneInfo | None  # None: the country spans several zones and no city says which

    def at(self, moment: datetime) -> datetime | None:
        return moment.astimezone(self.zone) if self.zone else None


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


@functools.cache
def _zone_cities(territory: str) -> dict[str, str]:
    """The cities that name each of the territory's zones, in Accord's languages."""
    cities = {}
    for zone in get_global("territory_zones").get(territory, ()):
        cities[_folded(zone.rsplit("/", 1)[-1].replace("_", " "))] = zone
        for language, _name in settings.LANGUAGES:
            city = get_timezone_location(zone, locale=language.replace("-", "_"), return_city=True)
            cities.setdefault(_folded(city), zone)
    return cities


def local_time_of(country: str, city: str = "") -> LocalTime | None:
    """The zone of the country with this ISO code, or None when CLDR files no zone under it."""
    territory = str(country or "").upper()
    if territory not in get_global("territory_zones"):
        return None
    zone_name = _zone_cities(territory).get(_folded(city)) if city else None
    try:
        zone = ZoneInfo(zone_name) if zone_name else _national_zone(territory)
    except ZoneInfoNotFoundError:
        zone = None
    return LocalTime(territory, zone)


def _national_zone(territory: str) -> ZoneInfo | None:
    zones = get_global("territory_zones")[territory]
    if len(zones) == 1:
        return ZoneInfo(zones[0])
    national_name = Locale.parse("en").territories[territory].replace(" ", "_")
    national = [ZoneInfo(z) for z in zones if get_global("meta_zones").get(z) == national_name]
    now = datetime.now(UTC)
    if national and len({now.astimezone(zone).utcoffset() for zone in national}) == 1:
        return national[0]
    return None
