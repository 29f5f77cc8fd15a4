"""Reads of leads for pages and the API, each with a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from handoff.selectors import handoff_timeline_events
from leads.models import Lead

# Entries per timeline page: a lead's recent story at a glance, older pages on demand (a lead
# with thousands of page views must open as fast as a new one).
TIMELINE_PAGE = 50
# Ties on the same instant are broken by source, then id, so pages never skip or repeat.
SOURCES = ("activity", "stage_change", "handoff_event")


@dataclass(frozen=True)
class TimelineCursor:
    """Where the previous page ended: its last entry's instant, source and id."""

    when: datetime
    kind: str
    id: int

    def as_query(self) -> str:
        return f"{self.when.isoformat()}|{self.kind}|{self.id}"

    @classmethod
    def parse(cls, value: str) -> "TimelineCursor | None":
        try:
            when, kind, pk = value.split("|")
            cursor = cls(datetime.fromisoformat(when), kind, int(pk))
        except (ValueError, TypeError):
            return None
        return cursor if cursor.kind in SOURCES and cursor.when.tzinfo else None


@dataclass(frozen=True)
class TimelinePage:
    entries: list[dict]
    next_cursor: TimelineCursor | None


def _older(field: str, kind: str, cursor: TimelineCursor | None) -> Q:
    """The rows of source `kind` that come after `cursor` in newest-first order."""
    if cursor is None:
        return Q()
    older = Q(**{f"{field}__lt": cursor.when})
    rank, cursor_rank = SOURCES.index(kind), SOURCES.index(cursor.kind)
    if rank > cursor_rank:
        older |= Q(**{field: cursor.when})
    elif rank == cursor_rank:
        older |= Q(**{field: cursor.when, "pk__lt": cursor.id})
    return older


def lead_timeline(
    lead: Lead, *, limit: int = TIMELINE_PAGE, cursor: TimelineCursor | None = None
) -> TimelinePage:
    """Activities, stage changes and handoff events of one lead, newest first, one page of them.

    Three queries whatever the lead's history: each source reads at most a page past the cursor.
    """
    take = limit + 1
    activities = lead.activities.filter(_older("occurred_at", "activity", cursor)).select_related(
        "channel"
    )[:take]
    changes = lead.stage_changes.filter(_older("created_at", "stage_change", cursor))
    events = handoff_timeline_events(lead, _older("created_at", "handoff_event", cursor))
    entries = [{"when": a.occurred_at, "kind": "activity", "item": a} for a in activities]
    entries += [
        {"when": c.created_at, "kind": "stage_change", "item": c}
        for c in changes.select_related("actor")[:take]
    ]
    entries += [{"when": e.created_at, "kind": "handoff_event", "item": e} for e in events[:take]]
    entries.sort(key=lambda e: (e["when"], -SOURCES.index(e["kind"]), e["item"].pk), reverse=True)
    page = entries[:limit]
    last = page[-1] if len(entries) > limit else None
    return TimelinePage(page, last and TimelineCursor(last["when"], last["kind"], last["item"].pk))
