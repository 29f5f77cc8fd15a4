"""A batch's "created" rows are written by two statements: on PostgreSQL by the INSERT that creates
the leads (audit.services.created_rows_sql inside leads.services._insert_leads), on SQLite by the
generic writer (audit.services.record_in). Both must leave the rows the generic writer writes for
the same leads, named as Lead.__str__ names them, on whichever database the suite runs."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.models import Action, AuditEntry, Source
from audit.services import ChangeSet, entry_for, record_in
from leads.models import Lead
from leads.services import store_leads

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)
# Latin, Cyrillic, Thai, Chinese (written family name first), spaces and combining marks.
_letters = st.sampled_from([*"ab Zé", *"Анна", *"สมชาย", *"王伟芳", "\u0301", "\t"])
_names = st.one_of(
    st.just(""), st.text(_letters, max_size=12), st.text(_letters, min_size=140, max_size=150)
)
COLUMNS = (
    "at", "actor_id", "actor_label", "source", "object_type", "object_id", "object_label",
    "action", "field", "before", "after", "redacted",
)  # fmt: skip


def rows_of(change_set) -> list[tuple]:
    return sorted(AuditEntry.objects.filter(change_set=change_set).values_list(*COLUMNS))


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(st.tuples(_names, _names, _names), min_size=1, max_size=5),
    source=st.sampled_from([Source.IMPORT, Source.API, Source.WEB_FORM]),
    someone_acted=st.booleans(),
)
def test_a_batchs_created_rows_are_those_the_generic_writer_writes(people, source, someone_acted):
    actor = None
    if someone_acted:
        actor, _ = get_user_model().objects.get_or_create(
            username="marketer", defaults={"first_name": "Mai", "last_name": "Chen"}
        )
    rows = [
        {"email": f"person{next(_numbers)}@example.com", "first_name": first,
         "middle_name": middle, "last_name": last}
        for first, middle, last in people
    ]  # fmt: skip

    result = store_leads(rows, source=source, actor=actor)

    written = AuditEntry.objects.filter(object_id__in=result.lead_ids, object_type="leads.lead")
    (change_set, at), *others = written.values_list("change_set", "at").distinct()
    assert not others
    expected = ChangeSet.start(actor=actor, source=source, at=at)
    leads = Lead.objects.filter(pk__in=result.lead_ids)
    record_in(expected, [entry_for(lead, action=Action.CREATED) for lead in leads])
    assert rows_of(change_set) == rows_of(expected.id)
    assert len(rows_of(change_set)) == len(rows)
