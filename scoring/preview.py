"""The impact of a draft before anyone signs it: who would be an MQL, who changes, and how the
draft would have judged the leads whose outcome we already know.

Reads every lead's profile (with its stored verdict under the published version) in one query
and the engagement aggregates of every lead in one grouped query; the engine scores each lead
under the draft, and under the published version only when rescoring has not stored it yet.
Scores use today's profiles and activities (the back-test asks "would the draft pick these
leads as they are now", which is what a team can compare with what sales said about them).
"""

import dataclasses
from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from leads.models import Activity, Lead, Stage, StageChange
from scoring import engine
from scoring.convert import spec_from_rows
from scoring.describe import describe
from scoring.facts import NO_ENGAGEMENT, engagement_by_lead, lead_facts, profile_values
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
    engagement = engagement_by_lead(Activity.objects.all(), specs, now)
    no_engagement = [NO_ENGAGEMENT] * len(specs)
    won = set(
        StageChange.objects.filter(to_stage__in=GOOD_OUTCOMES).values_list("lead_id", flat=True)
    )
    returned = set(
        StageChange.objects.filter(to_stage=Stage.RECYCLED).values_list("lead_id", flat=True)
    )
    score = engine.score
    counts = {"leads": 0, "draft": 0, "published": 0, "newly": 0, "no_longer": 0}
    won_qualified = returned_excluded = 0
    sample = []
    leads = Lead.objects.order_by("-id").values(
        *profile_values(specs),
        "score",
        "score_agreement_version",
        stored_verdict=ExpressionWrapper(
            Q(score_explanation__qualifies=True), output_field=BooleanField()
        ),
    )
    published_version = None if published_spec is None else published_spec.version
    for row in leads:
        facts = engagement.get(row["id"], no_engagement)
        profile = lead_facts(row)
        under_draft = score(profile, facts[0], draft_spec, now)
        after = under_draft.qualifies
        # Rescoring keeps every lead's verdict under the published version on its row; only
        # leads not scored under it yet are scored here.
        if published_version is None:
            before, score_now = False, 0
        elif row["score_agreement_version"] == published_version:
            before, score_now = row["stored_verdict"], row["score"]
        else:
            under_published = score(profile, facts[1], published_spec, now)
            before, score_now = under_published.qualifies, under_published.total
        counts["leads"] += 1
        counts["draft"] += after
        counts["published"] += before
        if row["id"] in won:
            won_qualified += after
        if row["id"] in returned:
            returned_excluded += not after
        if after != before:
            counts["newly" if after else "no_longer"] += 1
            if len(sample) < sample_size:
                sample.append(_changed(row, under_draft, before, score_now))
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
