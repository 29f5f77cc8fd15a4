import hashlib

import pytest

from leads import suppression
from leads.models import SuppressedAddress, SuppressionReason
from leads.services import store_leads

pytestmark = pytest.mark.django_db


def test_the_digest_is_keyed_and_ignores_case_and_spaces(settings):
    digest = suppression.address_digest(" Ana@Northwind.IO ")

    assert digest == suppression.address_digest("ana@northwind.io")
    assert digest != hashlib.sha256(b"ana@northwind.io").hexdigest()
    settings.SUPPRESSION_SECRET = "another-secret"
    assert suppression.address_digest("ana@northwind.io") != digest


def test_an_address_hashed_under_a_rotated_secret_still_matches(settings):
    settings.SUPPRESSION_SECRET = "old-secret"
    suppression.suppress("ana@northwind.io", reason=SuppressionReason.ERASED)
    settings.SUPPRESSION_SECRET = "new-secret"
    assert not suppression.is_suppressed("ana@northwind.io")

    settings.SUPPRESSION_SECRET_FALLBACKS = ["old-secret"]

    assert suppression.is_suppressed("ana@northwind.io")


def test_an_erasure_outranks_an_unsubscribe_which_alone_can_be_lifted():
    suppression.suppress("ana@northwind.io", reason=SuppressionReason.UNSUBSCRIBED)
    suppression.suppress("ana@northwind.io", reason=SuppressionReason.ERASED)
    suppression.lift_unsubscribe("ana@northwind.io")

    assert SuppressedAddress.objects.get().reason == SuppressionReason.ERASED


def test_a_batch_is_checked_in_one_query_whatever_its_size(
    django_assert_num_queries, django_assert_max_num_queries
):
    for n in range(40):
        suppression.suppress(f"gone{n}@northwind.io", reason=SuppressionReason.ERASED)
    many = [{"email": f"gone{n}@northwind.io"} for n in range(40)] + [
        {"email": f"new{n}@northwind.io"} for n in range(1, 40)
    ]
    with django_assert_max_num_queries(8) as counted:
        result = store_leads([{"email": "gone1@northwind.io"}, {"email": "new40@northwind.io"}])
    with django_assert_num_queries(len(counted.captured_queries)):
        big = store_leads(many)

    assert [o.status for o in result.outcomes] == ["suppressed", "created"]
    assert big.count("suppressed") == 40 and big.count("created") == 39
    suppression_queries = [
        q for q in counted.captured_queries if SuppressedAddress._meta.db_table in q["sql"]
    ]
    assert len(suppression_queries) == 1
