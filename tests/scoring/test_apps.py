import pytest
from django.db import connection

from leads.models import Lead
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps its own dialect")
def test_sqlite_reads_regex_lookups_as_re2():
    LeadFactory(title="Директор по продажам")

    # \pL is RE2 (and not Python's re): a letter in any script.
    assert Lead.objects.filter(title__regex=r"^\pL+ по").count() == 1
    assert Lead.objects.filter(title__iregex=r"^директор").count() == 1
    assert Lead.objects.filter(title__regex=r"^директор").count() == 0
