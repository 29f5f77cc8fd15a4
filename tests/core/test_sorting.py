"""core.sorting: whitelisted sort keys, the default for anything else, a pk tiebreak."""

import pytest
from django.http import QueryDict

from core.sorting import Sorting, SortState
from leads.models import Lead
from tests.factories import LeadFactory

SORTING = Sorting(keys={"score": ("score",), "name": ("first_name", "last_name")}, default="-name")


def test_a_known_key_sorts_ascending_and_a_dash_descending():
    assert SORTING.parse("score") == ("score", False, True)
    assert SORTING.parse("-score") == ("score", True, True)


@pytest.mark.parametrize("value", ["", None, "password", "-secret", "score__gt", "--score", "pk"])
def test_an_unknown_key_falls_back_to_the_default_without_error(value):
    assert SORTING.parse(value) == ("name", True, False)


def test_every_order_ends_with_the_primary_key_in_the_same_direction():
    ascending = SORTING.order_by("score", False)
    descending = SORTING.order_by("score", True)

    assert ascending[-1] == "pk"
    assert descending[-1] == "-pk"


def test_a_list_without_a_default_keeps_its_own_order():
    urgency = Sorting(keys={"score": ("score",)})

    assert urgency.order_by(*urgency.parse("nope")[:2]) == []


def test_the_state_keeps_the_filters_drops_the_page_and_links_to_the_other_direction():
    state = SORTING.apply(Lead.objects.all(), QueryDict("stage=mql&page=3&sort=score"))[1]

    assert state == SortState(
        key="score", descending=False, requested="score", base_query="stage=mql"
    )
    assert state.link_for("score") == "stage=mql&sort=-score"
    assert state.link_for("name") == "stage=mql&sort=name"
    assert state.link_for("name", first_descending=True) == "stage=mql&sort=-name"
    assert state.aria_for("score") == "ascending"
    assert state.aria_for("name") == ""


def test_an_unknown_key_is_not_echoed_back_into_the_page():
    state = SORTING.apply(Lead.objects.all(), QueryDict("sort=<script>"))[1]

    assert (state.key, state.requested) == ("name", "")


@pytest.mark.django_db
def test_rows_that_tie_keep_one_order_by_primary_key():
    leads = [LeadFactory(score=10) for _ in range(4)]

    ordered, _state = SORTING.apply(Lead.objects.all(), QueryDict("sort=-score"))

    assert list(ordered) == sorted(leads, key=lambda lead: -lead.pk)


@pytest.mark.django_db
def test_empty_values_come_last_in_either_direction(make_user):
    owned = LeadFactory(owner=make_user())
    unowned = LeadFactory(owner=None)
    sorting = Sorting(keys={"owner": ("owner__username",)})

    for value in ("owner", "-owner"):
        ordered, _state = sorting.apply(Lead.objects.all(), QueryDict(f"sort={value}"))
        assert list(ordered) == [owned, unowned]


def test_a_column_that_cannot_be_empty_sorts_plainly_so_an_index_serves_both_directions():
    sorting = Sorting(keys={"score": ("score",), "owner": ("owner__first_name",)})

    assert sorting.order_by("score", True, Lead) == ["-score", "-pk"]
    (owner, _pk) = sorting.order_by("owner", True, Lead)
    # The owner may be missing: empty last, whichever way.
    assert owner.nulls_last and owner.descending
