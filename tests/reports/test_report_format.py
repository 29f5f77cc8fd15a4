from datetime import timedelta
from decimal import Decimal

from reports.templatetags.report_format import money, percent, stay


def test_shares_read_as_rounded_percentages():
    assert percent(2 / 3) == "66.7%"
    assert percent(1) == "100.0%"
    assert percent(None) == "—"


def test_stays_read_at_the_precision_a_person_needs():
    assert stay(timedelta(days=16, hours=5, minutes=30)) == "16d 5h"
    assert stay(timedelta(hours=8, minutes=5)) == "8h 5m"
    assert stay(timedelta(minutes=12)) == "12m"
    assert stay(None) == "—"


def test_money_has_cents_and_grouping():
    assert money(Decimal("1500")) == "1,500.00"
    assert money(None) == "—"
