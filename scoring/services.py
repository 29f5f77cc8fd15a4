"""Scoring leads under the published agreement, and the MQL move that follows.

`rescore_leads` is what ingestion, the publish run and the daily decay call: set-based, a fixed
number of queries whatever the batch size, plus one batch of MQL moves for the newly qualifying.
"""

import dataclasses
import json
import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.sql import in_values
from handoff.services.handoffs import open_handoffs
from leads.lifecycle import PlannedMove, move_stages
from leads.models import Lead, Stage
from scoring import engine
from scoring.convert import spec_from_rows
from scoring.facts import NO_ENGAGEMENT, activities_of, engagement_by_lead, profile_values
from scoring.facts import lead_facts as to_lead_facts
from scoring.models import Agreement, AgreementStatus
from webhooks.models import Event
from webhooks.services import emit_many

logger = logging.getLogger(__name__)

# Scoring moves a lead to MQL only from these stages; a lead past MQL is never moved back.
QUALIFIABLE_STAGES = frozenset({Stage.SUBSCRIBER, Stage.LEAD, Stage.RECYCLED})

SCORE_FIELDS = [
    "score",
    "fit_score",
    "engagement_score",
    "score_agreement_version",
    "score_explanation",
    "scored_at",
    "last_engaged_at",
]

# Published versions never change, so a compiled spec is kept per process for as long as it
# is the published one; the key includes published_at because test databases reuse ids.
_compiled: dict[tuple, engine.AgreementSpec] = {}


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
        spec = _compiled[published] = spec_from_rows(Agreement.objects.get(pk=published[0]))
    return spec


@dataclasses.dataclass
class RescoreSummary:
    version: int | None = None
    scored: int = 0
    moved_to_mql: list[int] = dataclasses.field(default_factory=list)
    stale_skipped: int = 0


def explanation_of(result: engine.ScoreResult) -> dict:
    """What Lead.score_explanation and an MQL StageChange keep: the engine's as_dict() (rule ids
    and the words of the moment; pages re-word rules from the agreement in the reader's language).
    """
    return result.as_dict()


class Explainer:
    """`explanation_of` for many results of one agreement, worded once per distinct outcome.

    A batch of thousands of leads has a few hundred distinct outcomes, and wording one describes
    every rule it names; the results of one spec share its rule objects, so they key by identity.
    """

    def __init__(self):
        self._known: dict[tuple, dict] = {}

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
            explanation = self._known[key] = explanation_of(result)
        return explanation


def rescore_leads(
    lead_ids: Iterable[int], *, now: datetime | None = None, allow_moves: bool = True
) -> RescoreSummary:
    """Score these leads under the published agreement and move the newly qualifying to MQL.

    Queries: the published version, the profiles, the engagement aggregates, the update of the
    scores that changed, then one batch move of the leads that qualify before MQL. With
    `allow_moves=False` (decay) only the scores change.
    """
    now = now or timezone.now()
    spec = current_agreement_spec()
    ids = list(lead_ids)
    summary = RescoreSummary(version=spec.version if spec else None)
    if spec is None or not ids:
        return summary
    profiles = list(
        Lead.objects.filter(pk__in=in_values(ids)).order_by().values(*profile_values([spec]))
    )
    engagement = engagement_by_lead(activities_of(ids), [spec], now)
    explain = Explainer()
    updates, qualifying = [], []
    for row in profiles:
        facts = engagement.get(row["id"], (NO_ENGAGEMENT,))[0]
        result = engine.score(to_lead_facts(row), facts, spec, now)
        explanation = explain(result)
        updates.append(
            (
                row["id"],
                result.total,
                result.fit,
                result.engagement,
                spec.version,
                explanation,
                now,
                facts.last_engaged_at,
            )
        )
        if result.qualifies and may_move_to_mql(row, facts):
            qualifying.append((row["id"], row["stage"], explanation))
        summary.scored += 1
    write_scores(updates)
    if allow_moves and qualifying:
        summary.moved_to_mql, stale = move_to_mql(qualifying, version=spec.version)
        summary.stale_skipped = len(stale)
    return summary


def may_move_to_mql(row: dict, facts: engine.EngagementFacts) -> bool:
    """Before MQL, or recycled with engagement since sales returned it: a returned lead comes
    back to the queue on new interest, not on the points it was handed back with."""
    if row["stage"] == Stage.RECYCLED:
        engaged = facts.last_engaged_at
        return engaged is not None and engaged > row["stage_changed_at"]
    return row["stage"] in QUALIFIABLE_STAGES


def write_scores(rows: list[tuple], *, batch_size: int = 5000) -> None:
    """Save the score fields of many leads in one UPDATE per batch, skipping the leads whose
    stored score is already this one (so `scored_at` is when the stored score last changed, and
    an unchanged lead costs no row version).

    Each row is (lead id, *values of SCORE_FIELDS). The rows travel as one JSON parameter that
    the database unpacks (jsonb_to_recordset on PostgreSQL, json_each on SQLite 3.33+):
    QuerySet.bulk_update compiles a CASE WHEN per field and row, which takes time growing with
    the square of the batch, and a VALUES list of 80,000 parameters costs seconds in the driver.
    Leads sharing an explanation (the same dict, see Explainer) share one copy in a second
    parameter: explanations are most of the bytes. Datetimes are written in the database's own
    format, as the ORM writes them.
    """
    fields = [Lead._meta.get_field(name) for name in SCORE_FIELDS]
    ops, quote = connection.ops, connection.ops.quote_name
    table, pk = quote(Lead._meta.db_table), Lead._meta.pk.column

    def stored(field, value):
        if value is None or not isinstance(field, models.DateTimeField):
            return value
        value = ops.adapt_datetimefield_value(value)
        return value if isinstance(value, str) else value.isoformat()

    def is_json(field) -> bool:
        return isinstance(field, models.JSONField)

    if connection.vendor == "postgresql":
        columns = ", ".join(
            f"{quote(f.column)} {'int' if is_json(f) else f.db_type(connection)}" for f in fields
        )
        source = (
            f"jsonb_to_recordset(%s::jsonb) AS v({quote(pk)} bigint, {columns}),"
            " (SELECT %s::jsonb AS list) AS shared"
        )
        row_id = f"v.{quote(pk)}"

        def new(field) -> str:
            value = f"v.{quote(field.column)}"
            return f"(shared.list -> {value})" if is_json(field) else value

        def old(field) -> str:
            return f"{table}.{quote(field.column)}"

        distinct = "IS DISTINCT FROM"
    else:
        source = "json_each(%s) AS v, (SELECT %s AS list) AS shared"
        row_id = f"json_extract(v.value, '$.{pk}')"

        def new(field) -> str:
            value = f"json_extract(v.value, '$.{field.column}')"
            return f"json_extract(shared.list, '$[' || {value} || ']')" if is_json(field) else value

        def old(field) -> str:
            # JSON is stored as text; json() writes it as json_extract returns it.
            value = f"{table}.{quote(field.column)}"
            return f"json({value})" if is_json(field) else value

        distinct = "IS NOT"
    compared = [field for field in fields if field.name != "scored_at"]
    sql = (
        f"UPDATE {table} SET "
        + ", ".join(f"{quote(f.column)} = {new(f)}" for f in fields)
        + f" FROM {source} WHERE {table}.{quote(pk)} = {row_id}"
        f" AND ({', '.join(map(old, compared))}) {distinct} ({', '.join(map(new, compared))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            payload, explanations = [], []
            shared: dict[int, int] = {}  # id of an explanation -> its index in `explanations`
            for lead_id, *values in rows[start : start + batch_size]:
                row = {pk: lead_id}
                for field, value in zip(fields, values, strict=True):
                    if is_json(field):
                        row[field.column] = shared.setdefault(id(value), len(explanations))
                        if row[field.column] == len(explanations):
                            explanations.append(value)
                    else:
                        row[field.column] = stored(field, value)
                payload.append(row)
            cursor.execute(sql, [json.dumps(payload), json.dumps(explanations)])


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
