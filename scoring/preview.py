"""The impact of a draft before anyone signs it: who would be an MQL, who changes, and how the
draft would have judged the leads whose outcome we already know.

Reads every lead's profile (with its stored verdict under the published version) in one query
and the engagement aggregates of every lead in one grouped query; the engine judges each lead
under the draft, and under the published version only when rescoring has not stored it yet.
Counting needs only the verdicts (`engine.qualifies`); the full explanation is worked out for the
few leads in the sample, which keeps 100,000 leads within the 2-second budget.
Scores use today's profiles and activities (the back-test asks "would the draft pick these
leads as they are now", which is what a team can compare with what sales said about them).
"""

import dataclasses
from contextlib import contextmanager
from datetime import datetime

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from leads.models import Activity, Lead, Stage, StageChange
from scoring import engine
from scoring.convert import spec_from_rows
from scoring.describe import describe
from scoring.facts import NO_ENGAGEMENT, engagement_rows, lead_facts_reader, profile_values
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
    leads: int
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
    return result.reasons_not


def preview_draft(
    *, draft: Agreement, now: datetime | None = None, sample_size: int = 20
) -> ImpactPreview:
    now = now or timezone.now()
    draft_spec = spec_from_rows(draft)
    published_spec = current_agreement_spec()
    specs = [draft_spec] if published_spec is None else [draft_spec, published_spec]
    published_version = None if published_spec is None else published_spec.version
    won = set(
        StageChange.objects.filter(to_stage__in=GOOD_OUTCOMES).values_list("lead_id", flat=True)
    )
    returned = set(
        StageChange.objects.filter(to_stage=Stage.RECYCLED).values_list("lead_id", flat=True)
    )
    engagement_query, readers = engagement_rows(Activity.objects.all(), specs, now)
    # Facts are read from a lead's row per spec when needed: most leads need the draft's only.
    draft_facts, published_facts = readers[0], readers[-1]
    stored = ("score", "score_agreement_version", "stored_verdict")
    columns = [*profile_values(specs), *stored]
    leads = (
        Lead.objects.order_by("-id")
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
    counts = {"leads": 0, "draft": 0, "published": 0, "newly": 0, "no_longer": 0}
    won_qualified = returned_excluded = 0
    sample = []
    with _enough_memory_to_sort_and_group():
        engagement = {row[0]: row for row in engagement_query}
        for row in leads:
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
            counts["leads"] += 1
            counts["draft"] += after
            counts["published"] += before
            if lead_id in won:
                won_qualified += after
            if lead_id in returned:
                returned_excluded += not after
            if after != before:
                counts["newly" if after else "no_longer"] += 1
                if len(sample) < sample_size:
                    # The explanations are worked out for the few leads shown, not for every lead.
                    if score_now is None:
                        score_now = engine.score(profile, published, published_spec, now).total
                    under_draft = engine.score(profile, facts, draft_spec, now)
                    sample.append(
                        _changed(
                            dict(zip(columns, row, strict=True)), under_draft, before, score_now
                        )
                    )
    return ImpactPreview(
        leads=counts["leads"],
        mql_under_published=counts["published"],
        mql_under_draft=counts["draft"],
        newly_qualifying=counts["newly"],
        no_longer_qualifying=counts["no_longer"],
        sample=sample,
        good_outcomes=len(won),
        good_outcomes_qualified=won_qualified,
        returned=len(returned),
        returned_excluded=returned_excluded,
    )


@contextmanager
def _enough_memory_to_sort_and_group():
    """With PostgreSQL's default work_mem (4 MB), grouping the activities of 100,000 leads and
    sorting the leads spill to disk; SET LOCAL raises it for this transaction only."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def _changed(row: dict, under_draft: engine.ScoreResult, before: bool, score_now: int):
    name = " ".join(part for part in (row["first_name"], row["last_name"]) if part)
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
