"""Compare the queries a list runs with few rows and with many: an N+1 shows as extra queries.

Each request runs once before it is measured, so the per-user caches (session, roles,
calendars) are warm both times and only the rows differ.
"""

from typing import NamedTuple

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext


class Measured(NamedTuple):
    response: HttpResponse
    body: str
    queries: list[str]


def measure(fetch) -> Measured:
    """The response, body and SQL of one warm `fetch()`, which must answer 200."""
    fetch().getvalue()
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
        # A streamed CSV runs its queries while it is read.
        body = response.getvalue().decode()
    assert response.status_code == 200, body[:500]
    return Measured(response, body, [query["sql"] for query in captured.captured_queries])


def assert_same_queries(few: Measured, many: Measured) -> None:
    assert len(many.queries) == len(few.queries), "\n".join(
        [f"{len(few.queries)} queries with few rows, with many:", *many.queries]
    )


def statements(queries) -> list[str]:
    """The SQL a request sends, without the savepoints of the transaction a test runs in: in a
    request, a service's outermost transaction is BEGIN and COMMIT, which are not captured."""
    return [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
