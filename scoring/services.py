"""Scoring leads under the published agreement, and the MQL move that follows.

`rescore_leads` is what ingestion, the publish run and the daily decay call: set-based, a fixed
number of queries whatever the batch size, plus one lifecycle move per lead that newly qualifies.
"""

import dataclasses
import json
import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from handoff.services.handoffs import open_handoff
from leads.lifecycle import StaleMove, move_stage
from leads.models import Lead, Stage
from scoring import engine
from scoring.convert import spec_from_rows
from scoring.facts import NO_ENGAGEMENT, activities_of, engagement_by_lead, profile_values
from scoring.facts import lead_facts as to_lead_facts
from scoring.models import Agreement, AgreementStatus
from webhooks.models import Event
from webhooks.services import emit

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


def rescore_leads(
    lead_ids: Iterable[int], *, now: datetime | None = None, allow_moves: bool = True
) -> RescoreSummary:
    """Score these leads under the published agreement and move the newly qualifying to MQL.

    Queries: the published version, the profiles, the engagement aggregates, the score update
    (in batches of 2,000), then one lifecycle move per lead that qualifies before MQL. With
    `allow_moves=False` (decay) only the scores change.
    """
    now = now or timezone.now()
    spec = current_agreement_spec()
    ids = list(lead_ids)
    summary = RescoreSummary(version=spec.version if spec else None)
    if spec is None or not ids:
        return summary
    profiles = list(Lead.objects.filter(pk__in=ids).order_by().values(*profile_values([spec])))
    engagement = engagement_by_lead(activities_of(ids), [spec], now)
    updates, qualifying = [], []
    for row in profiles:
        facts = engagement.get(row["id"], (NO_ENGAGEMENT,))[0]
        result = engine.score(to_lead_facts(row), facts, spec, now)
        explanation = explanation_of(result)
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
        if result.qualifies and row["stage"] in QUALIFIABLE_STAGES:
            qualifying.append((row["id"], row["stage"], explanation))
    write_scores(updates)
    summary.scored = len(updates)
    if allow_moves:
        for lead_id, stage_seen, explanation in qualifying:
            if move_to_mql(
                lead_id=lead_id,
                stage_seen=stage_seen,
                version=spec.version,
                explanation=explanation,
            ):
                summary.moved_to_mql.append(lead_id)
            else:
                summary.stale_skipped += 1
    return summary


def write_scores(rows: list[tuple], *, batch_size: int = 5000) -> None:
    """Save the score fields of many leads in one UPDATE per batch.

    Each row is (lead id, *values of SCORE_FIELDS). The rows travel as one JSON parameter that
    the database unpacks (jsonb_to_recordset on PostgreSQL, json_each on SQLite 3.33+):
    QuerySet.bulk_update compiles a CASE WHEN per field and row, which takes time growing with
    the square of the batch, and a VALUES list of 80,000 parameters costs seconds in the driver.
    Datetimes are written in the database's own format, as the ORM writes them.
    """
    fields = [Lead._meta.get_field(name) for name in SCORE_FIELDS]
    ops, quote = connection.ops, connection.ops.quote_name
    table, pk = quote(Lead._meta.db_table), Lead._meta.pk.column

    def stored(field, value):
        if value is None or not isinstance(field, models.DateTimeField):
            return value
        value = ops.adapt_datetimefield_value(value)
        return value if isinstance(value, str) else value.isoformat()

    if connection.vendor == "postgresql":
        columns = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
        sql = (
            f"UPDATE {table} SET "
            + ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
            + f" FROM jsonb_to_recordset(%s::jsonb) AS v({quote(pk)} bigint, {columns})"
            f" WHERE {table}.{quote(pk)} = v.{quote(pk)}"
        )
    else:
        sql = (
            f"UPDATE {table} SET "
            + ", ".join(
                f"{quote(f.column)} = json_extract(v.value, '$.{f.column}')" for f in fields
            )
            + f" FROM json_each(%s) AS v"
            f" WHERE {table}.{quote(pk)} = json_extract(v.value, '$.{pk}')"
        )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            payload = [
                {
                    pk: lead_id,
                    **{f.column: stored(f, v) for f, v in zip(fields, values, strict=True)},
                }
                for lead_id, *values in rows[start : start + batch_size]
            ]
            cursor.execute(sql, [json.dumps(payload)])


def move_to_mql(*, lead_id: int, stage_seen: str, version: int, explanation: dict) -> bool:
    """The one place scoring makes a lead an MQL: the move and its handoff in one transaction.

    Returns False when the lead moved since it was read (someone else got there first): that is
    not an error, the next rescore sees the new stage.
    """
    try:
        with transaction.atomic():
            lead, _change = move_stage(
                lead_id,
                Stage.MQL,
                expected_from=stage_seen,
                reason=_("Meets the MQL agreement v%(version)s with a score of %(score)s.")
                % {"version": version, "score": explanation["total"]},
                context={"agreement_version": version, "explanation": explanation},
            )
            open_handoff(
                lead=lead,
                agreement_version=version,
                score=explanation["total"],
                explanation=explanation,
            )
            emit(
                Event.LEAD_MQL,
                lead=lead,
                data={"agreement_version": version, "score": explanation["total"]},
            )
    except StaleMove:
        logger.info("Lead %s moved while being scored; MQL move skipped.", lead_id)
        return False
    return True
