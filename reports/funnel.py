"""The funnel as a pure function of stage-change rows: no database here, tested directly.

Cohort: leads that entered MQL in the date range (their first MQL move in it). A later stage
counts when the lead reached it at any time after that entry, even after the range ended, and so
do its returns to marketing and its disqualifications. Time in a stage runs from the move into it
to the lead's next move, for stays that have ended.
"""

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby, pairwise
from statistics import median
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from leads.models import Stage

STEPS: tuple[str, ...] = (Stage.MQL, Stage.SAL, Stage.SQL, Stage.OPPORTUNITY, Stage.CUSTOMER)
TIMED_STAGES: tuple[str, ...] = (Stage.MQL, Stage.SAL, Stage.SQL, Stage.OPPORTUNITY)
# A customer is a won deal; the funnel's last step says so.
STEP_LABELS = {**{step: Stage(step).label for step in STEPS}, Stage.CUSTOMER: _("Won")}


class Change(NamedTuple):
    """One StageChange row with what the report groups by (a tuple: there are many)."""

    lead_id: int
    to_stage: str
    at: datetime
    agreement_version: int | None = None
    channel_id: int | None = None
    channel: str = ""
    campaign: str = ""
    # A move to recycled that sales made from the queue (a lost opportunity is not a return).
    is_return: bool = False


@dataclass(frozen=True)
class LeadPath:
    """One cohort lead's way through the funnel from its MQL entry on."""

    lead_id: int
    entered_at: datetime
    agreement_version: int | None
    channel_id: int | None
    channel: str
    campaign: str
    reached: frozenset[str]
    returns: int
    stays: tuple[tuple[str, timedelta], ...] = ()
    # Moves to disqualified since the entry: a person ruled the lead out (a hard negative in
    # the agreement only keeps a lead out of MQL, so it never enters the cohort).
    disqualified: int = 0


def lead_paths(
    changes: Iterable[Change],
    *,
    start: datetime,
    end: datetime,
    agreement_version: int | None = None,
) -> list[LeadPath]:
    """The cohort's paths; `changes` must be ordered by lead, then time."""
    paths = []
    for lead_id, rows in groupby(changes, key=lambda change: change.lead_id):
        rows = list(rows)
        entry = next(
            (
                index
                for index, row in enumerate(rows)
                if row.to_stage == Stage.MQL and start <= row.at < end
            ),
            None,
        )
        if entry is None:
            continue
        entered = rows[entry]
        if agreement_version is not None and entered.agreement_version != agreement_version:
            continue
        after = rows[entry:]
        stays = tuple(
            (row.to_stage, following.at - row.at)
            for row, following in pairwise(after)
            if row.to_stage in TIMED_STAGES
        )
        paths.append(
            LeadPath(
                lead_id=lead_id,
                entered_at=entered.at,
                agreement_version=entered.agreement_version,
                channel_id=entered.channel_id,
                channel=entered.channel,
                campaign=entered.campaign,
                reached=frozenset(row.to_stage for row in after),
                returns=sum(1 for row in after[1:] if row.is_return),
                stays=stays,
                disqualified=sum(1 for row in after[1:] if row.to_stage == Stage.DISQUALIFIED),
            )
        )
    return paths


@dataclass(frozen=True)
class FunnelRow:
    key: Hashable
    label: str
    counts: dict[str, int]
    returned: int
    median_stays: dict[str, timedelta | None] = field(default_factory=dict)
    disqualified: int = 0

    @property
    def steps(self) -> list[tuple[str, int, float | None]]:
        """(step, count, share of the previous step's count; None for MQL) in funnel order."""
        before = (None, *(self.counts[step] for step in STEPS[:-1]))
        return [
            (
                step,
                self.counts[step],
                None if previous is None else rate(self.counts[step], previous),
            )
            for step, previous in zip(STEPS, before, strict=True)
        ]

    @property
    def stays(self) -> list[tuple[str, timedelta | None]]:
        return [(stage, self.median_stays.get(stage)) for stage in TIMED_STAGES]

    @property
    def won_rate(self) -> float | None:
        return rate(self.counts[Stage.CUSTOMER], self.counts[Stage.MQL])


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def summarize(paths: list[LeadPath], *, key: Hashable = None, label: str = "") -> FunnelRow:
    reached = Counter(step for path in paths for step in path.reached)
    stays: dict[str, list[timedelta]] = {stage: [] for stage in TIMED_STAGES}
    for path in paths:
        for stage, duration in path.stays:
            stays[stage].append(duration)
    return FunnelRow(
        key=key,
        label=label,
        counts={step: reached[step] for step in STEPS},
        returned=sum(path.returns for path in paths),
        disqualified=sum(path.disqualified for path in paths),
        median_stays={
            stage: median(durations) if durations else None for stage, durations in stays.items()
        },
    )


def breakdown(
    paths: list[LeadPath],
    *,
    key: Callable[[LeadPath], Hashable],
    label: Callable[[LeadPath], str],
) -> list[FunnelRow]:
    """One row per `key`, labelled from the group's first path; largest MQL count first."""
    grouped: dict[Hashable, list[LeadPath]] = {}
    for path in paths:
        grouped.setdefault(key(path), []).append(path)
    rows = [
        summarize(members, key=group, label=label(members[0])) for group, members in grouped.items()
    ]
    return sorted(rows, key=lambda row: (-row.counts[Stage.MQL], row.label))
