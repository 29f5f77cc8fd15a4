"""Scoring leads under the published agreement, and the MQL move that follows.

`rescore_leads` is what ingestion, the publish run and the daily decay call: set-based, a fixed
number of queries whatever the batch size, plus one batch of MQL moves for the newly qualifying.
"""

import dataclasses
import json
import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.sql import in_values
from handoff.services.handoffs import open_handoffs
from leads.lifecycle import PlannedMove, move_stages
from leads.models import Lead, Stage
from scoring import engine
from scoring.convert import spec_from_rows
from scoring.describe import explanation
from scoring.facts import (
    NO_ENGAGEMENT,
    activities_of,
    engagement_by_lead,
    lead_facts_reader,
    profile_values,
)
from scoring.models import Agreement, AgreementStatus
from webhooks.models import Event
from webhooks.services import emit_many

logger = logging.getLogger(__name__)

# Scoring moves a lead to MQL only from these stages; a lead past MQL is never moved back.
QUALIFIABLE_STAGES = frozenset({Stage.SUBSCRIBER, Stage.LEAD, Stage.RECYCLED})

# Published versions never change, so a compiled spec is kept per process for as long as it
# is the published one; the key includes published_at because test databases reuse ids.
_compiled: dict[tuple, engine.AgreementSpec] = {}
# The compiled spec's explanations per language, kept across batches: every batch of a
# rescoring run meets mostly the same outcomes.
_explainers: dict[str | None, "Explainer"] = {}


def current_agreement_spec() -> engine.AgreementSpec | None:
    """The published agreement as an AgreementSpec (one query when already compiled)."""
    published = (
        Agreement.objects.filter(status=AgreementStatus.PUBLISHED)
        .values_list("pk", "published_at")
        .first()
    )
    if published is None:
        return None
    spec = _compiled.get(published)
    if spec is None:
        _compiled.clear()
        _explainers.clear()
        spec = _compiled[published] = spec_from_rows(Agreement.objects.get(pk=published[0]))
    return spec


@dataclasses.dataclass
class RescoreSummary:
    version: int | None = None
    scored: int = 0
    moved_to_mql: list[int] = dataclasses.field(default_factory=list)
    stale_skipped: int = 0


def explanation_of(result: engine.ScoreResult) -> dict:
    """What Lead.score_explanation and an MQL StageChange keep: rule ids and the words of the
    moment (pages re-word rules from the agreement in the reader's language)."""
    return explanation(result)


class Explainer:
    """`explanation_of` for many results of one agreement, worded once per distinct outcome.

    A batch of thousands of leads has a few hundred distinct outcomes, and wording one describes
    every rule it names; the results of one spec share its rule objects, so they key by identity.
    At most `keep` outcomes are remembered, which bounds the memory of a long-lived worker.
    """

    def __init__(self, keep: int = 10_000):
        self._known: dict[tuple, dict] = {}
        self._keep = keep

    def __call__(self, result: engine.ScoreResult) -> dict:
        key = (
            result.total,
            result.fit,
            result.engagement,
            result.decay_points,
            result.negative_points,
            result.qualifies,
            tuple((id(line.rule), line.points) for line in result.lines),
            tuple(map(id, result.gates_unmet)),
            tuple(map(id, result.negatives_hit)),
            id(result.channel.rule),
            result.channel.accepted,
        )
        explanation = self._known.get(key)
        if explanation is None:
            if len(self._known) >= self._keep:
                self._known.clear()
            explanation = self._known[key] = explanation_of(result)
        return explanation


def published_explainer() -> Explainer:
    """The Explainer of the compiled published spec in the active language."""
    language = translation.get_language()
    known = _explainers.get(language)
    if known is None:
        known = _explainers[language] = Explainer()
    return known


def rescore_leads(
    lead_ids: Iterable[int], *, now: datetime | None = None, allow_moves: bool = True
) -> RescoreSummary:
    """Score these leads under the published agreement and move the newly qualifying to MQL.

    Queries: the published version, the profiles, the values property conditions meet (when
    the agreement has any), the engagement aggregates, the update of the scores that changed,
    then one batch move of the leads that qualify before MQL. With
    `allow_moves=False` (decay) only the scores change.
    """
    now = now or timezone.now()
    spec = current_agreement_spec()
    ids = list(lead_ids)
    summary = RescoreSummary(version=spec.version if spec else None)
    if spec is None or not ids:
        return summary
    # When a recycled lead last moved tells whether it engaged since (see may_move_to_mql).
    columns = [*profile_values([spec]), "stage_changed_at"]
    id_at, stage_at, changed_at = map(columns.index, ("id", "stage", "stage_changed_at"))
    to_lead_facts = lead_facts_reader(columns)
    profiles = list(Lead.objects.filter(pk__in=in_values(ids)).order_by().values_list(*columns))
    engagement = engagement_by_lead(activities_of(ids), [spec], now)
    explain = published_explainer()
    scores, qualifying = [], []
    for row in profiles:
        lead_id = row[id_at]
        facts = engagement.get(lead_id, (NO_ENGAGEMENT,))[0]
        result = engine.score(to_lead_facts(row), facts, spec, now)
        explanation = explain(result)
        scores.append(
            (
                lead_id,
                result.total,
                result.fit,
                result.engagement,
                explanation,
                facts.last_engaged_at,
            )
        )
        if result.qualifies and may_move_to_mql(row[stage_at], row[changed_at], facts):
            qualifying.append((lead_id, row[stage_at], explanation))
    summary.scored = len(scores)
    write_scores(scores, version=spec.version, scored_at=now)
    if allow_moves and qualifying:
        summary.moved_to_mql, stale = move_to_mql(qualifying, version=spec.version)
        summary.stale_skipped = len(stale)
    return summary


def may_move_to_mql(stage: str, stage_changed_at: datetime, facts: engine.EngagementFacts) -> bool:
    """Before MQL, or recycled with engagement since sales returned it: a returned lead comes
    back to the queue on new interest, not on the points it was handed back with."""
    if stage == Stage.RECYCLED:
        engaged = facts.last_engaged_at
        return engaged is not None and engaged > stage_changed_at
    return stage in QUALIFIABLE_STAGES


def write_scores(scores: list[tuple], *, version: int, scored_at: datetime) -> None:
    """Save the scores of many leads under `version`, skipping the leads whose stored score is
    already this one (so `scored_at` is when the stored score last changed, and an unchanged
    lead costs no row version).

    Each row is (lead id, total, fit, engagement, explanation, last engaged at). Leads sharing an
    explanation (the same dict, see Explainer) send it once: explanations are most of the bytes.
    """
    write = _write_postgresql if connection.vendor == "postgresql" else _write_sqlite
    with connection.cursor() as cursor:
        for start in range(0, len(scores), WRITE_BATCH):
            batch = scores[start : start + WRITE_BATCH]
            explanations, position, picks = [], {}, []
            for row in batch:
                at = position.get(id(row[4]))
                if at is None:
                    at = position[id(row[4])] = len(explanations)
                    explanations.append(row[4])
                picks.append(at)
            write(cursor, batch, picks, explanations, version=version, scored_at=scored_at)


WRITE_BATCH = 5000


def _write_postgresql(cursor, batch, picks, explanations, *, version, scored_at) -> None:
    """One UPDATE ... FROM unnest() per batch, each column sent as one comma-separated text:
    psycopg quotes a Python list element by element (a list of 2,000 datetimes takes longer to
    send than its rows take to score), and a JSON document per row costs the server a parse."""
    ids, totals, fits, engagements, _explained, engaged = zip(*batch, strict=True)
    cursor.execute(
        _UPDATE_SCORES_POSTGRESQL.format(table=connection.ops.quote_name(Lead._meta.db_table)),
        {
            "ids": _joined(ids),
            "totals": _joined(totals),
            "fits": _joined(fits),
            "engagements": _joined(engagements),
            "picks": _joined(picks),
            "engaged": ",".join("" if at is None else at.isoformat() for at in engaged),
            "explanations": json.dumps(explanations),
            "version": version,
            "scored_at": scored_at,
        },
    )


def _joined(numbers) -> str:
    return ",".join(map(str, numbers))


# The explanation comes from the shared list by position (an empty last engagement is NULL);
# rows whose score, version, explanation and last engagement are all unchanged are left alone.
_UPDATE_SCORES_POSTGRESQL = """
UPDATE {table} SET score = v.total, fit_score = v.fit, engagement_score = v.engagement,
    score_agreement_version = %(version)s, score_explanation = shared.list -> v.pick,
    scored_at = %(scored_at)s, last_engaged_at = v.engaged
FROM unnest(
        string_to_array(%(ids)s, ',')::bigint[],
        string_to_array(%(totals)s, ',')::integer[],
        string_to_array(%(fits)s, ',')::integer[],
        string_to_array(%(engagements)s, ',')::integer[],
        string_to_array(%(picks)s, ',')::integer[],
        string_to_array(%(engaged)s, ',', '')::timestamptz[]
    ) AS v(id, total, fit, engagement, pick, engaged),
    (SELECT %(explanations)s::jsonb AS list) AS shared
WHERE {table}.id = v.id
    AND (score, fit_score, engagement_score, score_agreement_version, score_explanation,
        last_engaged_at)
    IS DISTINCT FROM (v.total, v.fit, v.engagement, %(version)s, shared.list -> v.pick, v.engaged)
"""


def _write_sqlite(cursor, batch, picks, explanations, *, version, scored_at) -> None:
    # Datetimes as the ORM stores them (naive UTC text), so unchanged ones compare equal.
    stored = connection.ops.adapt_datetimefield_value
    texts = [json.dumps(explanation) for explanation in explanations]
    cursor.executemany(
        _UPDATE_SCORES_SQLITE.format(table=connection.ops.quote_name(Lead._meta.db_table)),
        [
            {
                "id": lead_id,
                "total": total,
                "fit": fit,
                "engagement": engagement,
                "version": version,
                "explanation": texts[at],
                "scored_at": stored(scored_at),
                "engaged": stored(last_engaged_at),
            }
            for (lead_id, total, fit, engagement, _, last_engaged_at), at in zip(
                batch, picks, strict=True
            )
        ],
    )


# JSON is stored as text; json() writes both sides alike.
_UPDATE_SCORES_SQLITE = """
UPDATE {table} SET score = %(total)s, fit_score = %(fit)s, engagement_score = %(engagement)s,
    score_agreement_version = %(version)s, score_explanation = json(%(explanation)s),
    scored_at = %(scored_at)s, last_engaged_at = %(engaged)s
WHERE id = %(id)s
    AND (score, fit_score, engagement_score, score_agreement_version, json(score_explanation),
        last_engaged_at)
    IS NOT (%(total)s, %(fit)s, %(engagement)s, %(version)s, json(%(explanation)s), %(engaged)s)
"""


def move_to_mql(qualifying: list[tuple], *, version: int) -> tuple[list[int], list[int]]:
    """The one place scoring makes leads MQLs: the moves, their handoffs and the `lead.mql`
    events in one transaction, each written set-based for the whole batch.

    `qualifying` holds (lead id, stage seen, explanation). A lead that moved since it was read
    (someone else got there first) is skipped, not an error: the next rescore sees its new stage.
    Returns the moved lead ids and the skipped ones.
    """
    explanations = {lead_id: explanation for lead_id, _stage, explanation in qualifying}
    moves = [
        PlannedMove(
            lead_id=lead_id,
            expected_from=stage_seen,
            reason=_("Meets the MQL agreement v%(version)s with a score of %(score)s.")
            % {"version": version, "score": explanation["total"]},
            context={"agreement_version": version, "explanation": explanation},
        )
        for lead_id, stage_seen, explanation in qualifying
    ]
    with transaction.atomic():
        moved, stale = move_stages(moves, Stage.MQL)
        open_handoffs(leads=moved, agreement_version=version, explanations=explanations)
        emit_many(
            Event.LEAD_MQL,
            [
                (
                    lead.pk,
                    {"agreement_version": version, "score": explanations[lead.pk]["total"]},
                )
                for lead in moved
            ],
        )
    if stale:
        logger.info("Leads %s moved while being scored; MQL moves skipped.", stale)
    return [lead.pk for lead in moved], stale
