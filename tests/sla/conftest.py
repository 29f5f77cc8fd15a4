import pytest

from sla.calendars import clear_calendar_cache


@pytest.fixture(autouse=True)
def fresh_calendars():
    """Row ids and frozen update times repeat across tests; a cached calendar must not."""
    clear_calendar_cache()
    yield
    clear_calendar_cache()
