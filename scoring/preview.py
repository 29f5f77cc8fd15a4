"""The impact of a draft before anyone signs it: who would be an MQL, who changes, and how the
draft would have judged the leads whose outcome we already know.

Reads the leads' profiles (with their stored verdict under the published version) in one query
and their engagement aggregates in one grouped query; the engine judges each lead under the
draft, and under the published version only when rescoring has not stored it yet. Counting needs
only the verdicts (`engine.qualifies`); the full explanation is worked out for the few leads in
the sample, which keeps 100,000 leads within the 2-second budget.

Beyond EXACT_UP_TO leads the preview judges a fixed sample of them and scales its counts, as
analytics tools do: a marketer weighing a draft needs the size of the change, not its last unit,
and the editor must answer within seconds at a million leads. The sample is blocks of
consecutive ids picked by a hash, so it is the same for every draft (two drafts are compared on
the same leads) and spread evenly over the months the ids stand for.
Scores use today's profiles and activities (the back-test asks "would the draft pick these
leads as they are now", which is what a team can compare with what sales said about them).
"""

import dataclasses
import math
from contextlib import contextmanager
from datetime import datetime

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Max, Min, Q
from django.utils import timezone

from leads.models import Activity, Lead, Stage, StageChange
from leads.names import display_name
from scoring import engine
from scoring.convert import spec_from_rows
from scoring.describe import describe, reasons_not
from scoring.facts import (
    NO_ENGAGEMENT,
    engagement_rows,
    lead_facts_reader,
    plain_rows,
    profile_values,
)
from scoring.models import Agreement
from scoring.services import current_agreement_spec

# Reaching one of these stages means sales found a real buying cycle.
GOOD_OUTCOMES = (Stage.SQL, Stage.OPPORTUNITY, Stage.CUSTOMER)


@dataclasses.dataclass(frozen=True)
class ChangedLead:
    id: int
    name: str
    email: str
    stage: str
    qualifies_now: bool
    qualifies_under_draft: bool
    score_now: int
    score_under_draft: int
    reasons: list[str]


@dataclasses.dataclass(frozen=True)
class ImpactPreview:
    """The counts are of all `leads`; when `sampled` is fewer, they are estimated from the
    sample, scaled to all leads."""

    leads: int
    sampled: int
    mql_under_published: int
    mql_under_draft: int
    newly_qualifying: int
    no_longer_qualifying: int
    sample: list[ChangedLead]
    good_outcomes: int
    good_outcomes_qualified: int
    returned: int
    returned_excluded: int

    @property
    def is_estimate(self) -> bool:
        return self.sampled < self.leads

    @property
    def good_outcomes_share(self) -> int | None:
        return _percent(self.good_outcomes_qualified, self.good_outcomes)

    @property
    def returned_share(self) -> int | None:
        return _percent(self.returned_excluded, self.returned)


def _percent(part: int, whole: int) -> int | None:
    return None if not whole else round(part * 100 / whole)


def _reasons(result: engine.ScoreResult) -> list[str]:
    if result.qualifies:
        return [f"{describe(line.rule)} ({line.points:+d})" for line in result.lines]
    return reasons_not(result)


# Up to this many leads every lead is judged; beyond it a sample of about SAMPLED_LEADS stands
# for all. A sampled lead is read from pages scattered over a large table and costs several
# times what a lead costs when a small table is read through, so the sample is smaller.
EXACT_UP_TO = 100_000
SAMPLED_LEADS = 50_000
# The sample is this many blocks of consecutive ids: a block is one index range scan, and its
# leads' activities lie near each other on disk, where leads picked one by one would each cost
# a page read (or several) for the lead and for its activities.
SAMPLE_BLOCKS = 200
# Fibonacci hashing (2**64 divided by the golden ratio): the blocks with the smallest hashes
# are spread evenly over the id range, so over the months the ids stand for.
_SPREAD = 11_400_714_819_323_198_485


@dataclasses.dataclass(frozen=True)
class _Sample:
    """The leads a preview judges: every lead (no ranges), or those whose ids fall in the
    ranges, which cover `share` of the ids from the first lead's to the last one's."""

    ranges: tuple[tuple[int, int], ...] = ()
    share: float = 1.0

    def of(self, id_field: str) -> Q:
        """The rows of the judged leads, for a filter on the table's lead id `id_field`."""
        judged = Q()
        for start, stop in self.ranges:
            judged |= Q(**{f"{id_field}__gte": start, f"{id_field}__lt": stop})
        return judged


def _sample(*, exact_up_to: int, size: int) -> _Sample:
    """Every lead when there are at most `exact_up_to`, else blocks holding at most `size`
    leads, the same for every draft (so two drafts are compared on the same leads).

    Leads are never counted in full: a count reads the whole table (seconds of it just after
    rescoring rewrote every row), while the first and last ids come straight off the index.
    """
    if Lead.objects.order_by()[: exact_up_to + 1].count() <= exact_up_to:
        return _Sample()
    bounds = Lead.objects.aggregate(low=Min("id"), high=Max("id"))
    low, high = bounds["low"], bounds["high"]
    blocks = min(SAMPLE_BLOCKS, size)
    width = max(1, size // blocks)
    candidates = range(low // width, high // width + 1)
    chosen = sorted(sorted(candidates, key=lambda block: block * _SPREAD % 2**64)[:blocks])
    ranges = tuple((block * width, (block + 1) * width) for block in chosen)
    covered = sum(min(stop, high + 1) - max(start, low) for start, stop in ranges)
    return _Sample(ranges, covered / (high - low + 1))


def preview_draft(
    *,
    draft: Agreement,
    now: datetime | None = None,
    sample_size: int = 20,
    exact_up_to: int = EXACT_UP_TO,
    sampled_leads: int = SAMPLED_LEADS,
) -> ImpactPreview:
    """The draft's impact on every lead, or estimated from a sample beyond `exact_up_to`
    leads; `sample_size` of the leads that change are shown with their reasons."""
    now = now or timezone.now()
    draft_spec = spec_from_rows(draft)
    published_spec = current_agreement_spec()
    specs = [draft_spec] if published_spec is None else [draft_spec, published_spec]
    published_version = None if published_spec is None else published_spec.version
    judged = _sample(exact_up_to=exact_up_to, size=sampled_leads)
    changes = StageChange.objects.filter(judged.of("lead_id"))
    won = set(changes.filter(to_stage__in=GOOD_OUTCOMES).values_list("lead_id", flat=True))
    returned = set(changes.filter(to_stage=Stage.RECYCLED).values_list("lead_id", flat=True))
    engagement_query, readers = engagement_rows(
        Activity.objects.filter(judged.of("lead_id")), specs, now
    )
    # Facts are read from a lead's row per spec when needed: most leads need the draft's only.
    draft_facts, published_facts = readers[0], readers[-1]
    stored = ("score", "score_agreement_version", "stored_verdict")
    columns = [*profile_values(specs), *stored]
    rows = (
        Lead.objects.filter(judged.of("id"))
        .order_by("-id")
        .annotate(
            stored_verdict=ExpressionWrapper(
                Q(score_explanation__qualifies=True), output_field=BooleanField()
            )
        )
        .values_list(*columns)
    )
    id_at, score_at, version_at, verdict_at = map(columns.index, ("id", *stored))
    to_lead_facts = lead_facts_reader(columns)
    qualifies = engine.qualifies
    # Counted in locals: this loop runs for every lead judged.
    leads = under_draft = under_published = newly = no_longer = 0
    won_judged = won_qualified = returned_judged = returned_excluded = 0
    changed = []
    with enough_memory_to_sort_and_group():
        engagement = {row[0]: row for row in plain_rows(engagement_query)}
        for row in rows:
            lead_id = row[id_at]
            activity = engagement.get(lead_id)
            profile = to_lead_facts(row)
            facts = NO_ENGAGEMENT if activity is None else draft_facts(activity)
            after = qualifies(profile, facts, draft_spec, now)
            # Rescoring keeps every lead's verdict under the published version on its row; only
            # leads not scored under it yet are scored here.
            if published_version is None:
                before, score_now = False, 0
            elif row[version_at] == published_version:
                before, score_now = row[verdict_at], row[score_at]
            else:
                published = NO_ENGAGEMENT if activity is None else published_facts(activity)
                before, score_now = qualifies(profile, published, published_spec, now), None
            leads += 1
            under_draft += after
            under_published += before
            if lead_id in won:
                won_judged += 1
                won_qualified += after
            if lead_id in returned:
                returned_judged += 1
                returned_excluded += not after
            if after == before:
                continue
            newly += after
            no_longer += before
            if len(changed) < sample_size:
                # The explanations are worked out for the few leads shown, not for every lead.
                if score_now is None:
                    score_now = engine.score(profile, published, published_spec, now).total
                result = engine.score(profile, facts, draft_spec, now)
                changed.append(
                    _changed(dict(zip(columns, row, strict=True)), result, before, score_now)
                )
    # A sample stands for the leads whose ids it skipped, in proportion (the estimate is shown
    # to three figures).
    judged_leads = leads
    if judged.ranges:
        leads = _three_figures(judged_leads / judged.share)

    def scaled(count: int) -> int:
        return count if judged_leads in (0, leads) else round(count * leads / judged_leads)

    return ImpactPreview(
        leads=leads,
        sampled=judged_leads,
        mql_under_published=scaled(under_published),
        mql_under_draft=scaled(under_draft),
        newly_qualifying=scaled(newly),
        no_longer_qualifying=scaled(no_longer),
        sample=changed,
        good_outcomes=scaled(won_judged),
        good_outcomes_qualified=scaled(won_qualified),
        returned=scaled(returned_judged),
        returned_excluded=scaled(returned_excluded),
    )


def _three_figures(number: float) -> int:
    return int(round(number, 2 - math.floor(math.log10(number)))) if number >= 1 else 0


@contextmanager
def enough_memory_to_sort_and_group():
    """With PostgreSQL's default work_mem (4 MB), grouping the activities of 100,000 leads and
    sorting the leads spill to disk; SET LOCAL raises it for this transaction only."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def _changed(row: dict, under_draft: engine.ScoreResult, before: bool, score_now: int):
    name = display_name(row["first_name"], row["middle_name"], row["last_name"])
    return ChangedLead(
        id=row["id"],
        name=name or row["email"],
        email=row["email"],
        stage=row["stage"],
        qualifies_now=before,
        qualifies_under_draft=under_draft.qualifies,
        score_now=score_now,
        score_under_draft=under_draft.total,
        reasons=_reasons(under_draft),
    )
