"""The leads' funnel passes (FunnelPass), derived from the stage history in set-based SQL.

A pass runs from a move into MQL to the lead's next one. Its row holds what the funnel report
needs of it: when it began and under which agreement version, what the lead reached and how often
it was returned from then on, and how long each stage of the pass lasted (until the lead's next
move). One statement derives the rows of any set of leads from their StageChange rows, so the
rows written after each move and those of a full rebuild are the same by construction.

A pass holds each stage once, as leads.lifecycle.ALLOWED_MOVES has it: SAL, SQL and opportunity
are reached only from the stage before them, and only a move into MQL starts a new pass.
"""

import json
from collections.abc import Iterable

from django.db import connection, transaction

from leads.models import FunnelPass, Lead, Stage, StageChange

# Per database: the text of a JSON key, the microseconds between two timestamps, the filter on
# a list of lead ids (one parameter), and the agreement version recorded in a move's context
# (a whole number, as a JSON number or digits; anything else is no version).
DIALECTS = {
    "postgresql": {
        "text": "{column} ->> '{key}'",
        "microseconds": "(EXTRACT(EPOCH FROM {later} - {earlier}) * 1000000)::bigint",
        "lead_in": "lead_id = ANY(%s)",
        "version": (
            "CASE WHEN jsonb_typeof(context -> 'agreement_version') IN ('number', 'string') "
            "AND context ->> 'agreement_version' ~ '^[0-9]{1,9}$' "
            "THEN (context ->> 'agreement_version')::integer END"
        ),
    },
    "sqlite": {
        "text": "json_extract({column}, '$.{key}')",
        # Django registers this function on every SQLite connection.
        "microseconds": "django_timestamp_diff({later}, {earlier})",
        "lead_in": "lead_id IN (SELECT value FROM json_each(%s))",
        "version": (
            "CASE WHEN json_type(context, '$.agreement_version') IN ('integer', 'text') "
            "AND CAST(json_extract(context, '$.agreement_version') AS TEXT) GLOB '[0-9]*' "
            "AND CAST(json_extract(context, '$.agreement_version') AS TEXT) "
            "NOT GLOB '*[^0-9]*' "
            "AND length(json_extract(context, '$.agreement_version')) <= 9 "
            "THEN CAST(json_extract(context, '$.agreement_version') AS INTEGER) END"
        ),
    },
}
REACHED = {
    "reached_sal": Stage.SAL,
    "reached_sql": Stage.SQL,
    "reached_opportunity": Stage.OPPORTUNITY,
    "reached_customer": Stage.CUSTOMER,
}
STAYS = {
    "mql_stay": Stage.MQL,
    "sal_stay": Stage.SAL,
    "sql_stay": Stage.SQL,
    "opportunity_stay": Stage.OPPORTUNITY,
}
# What a later move can change in a pass that exists.
UPDATED = [
    "previous_entered_at",
    "agreement_version",
    "channel_id",
    "campaign",
    *REACHED,
    "returns",
    *STAYS,
]


def _passes_sql(lead_filter: str) -> str:
    """INSERT … SELECT of the passes of the leads whose stage changes match `lead_filter`."""
    dialect = DIALECTS[connection.vendor]
    text, table = dialect["text"], FunnelPass._meta.db_table
    in_stage = "CASE WHEN to_stage = '{stage}' THEN {value} END".format
    flag = "MAX(CASE WHEN to_stage = '{stage}' THEN 1 ELSE 0 END)".format
    is_return = text.format(column="context", key="return_reason")
    pass_columns = [
        f"MAX({in_stage(stage=Stage.MQL, value='id')}) AS change_id",
        f"MAX({in_stage(stage=Stage.MQL, value='created_at')}) AS entered_at",
        f"MAX({in_stage(stage=Stage.MQL, value=dialect['version'])}) AS agreement_version",
        *(f"{flag(stage=stage)} AS {column}" for column, stage in REACHED.items()),
        # handoff.services records why sales returned a lead; a lost opportunity has no reason.
        f"SUM(CASE WHEN to_stage = '{Stage.RECYCLED}' AND COALESCE({is_return}, '') <> '' "
        "THEN 1 ELSE 0 END) AS returns",
        *(
            f"MAX({in_stage(stage=stage, value='stay')}) AS {column}"
            for column, stage in STAYS.items()
        ),
    ]
    stay = dialect["microseconds"].format(later="left_at", earlier="created_at")
    campaign = text.format(column="leads.attributes", key="campaign")
    return f"""
        INSERT INTO {table} (
            change_id, lead_id, entered_at, previous_entered_at, agreement_version, channel_id,
            campaign, {", ".join(REACHED)}, returns, {", ".join(STAYS)}
        )
        WITH moves AS (
            SELECT id, lead_id, to_stage, created_at, context,
                SUM(CASE WHEN to_stage = '{Stage.MQL}' THEN 1 ELSE 0 END) OVER lead_moves AS pass,
                LEAD(created_at) OVER lead_moves AS left_at
            FROM {StageChange._meta.db_table}
            WHERE {lead_filter}
            WINDOW lead_moves AS (PARTITION BY lead_id ORDER BY created_at, id)
        ), passes AS (
            SELECT lead_id, pass, {", ".join(pass_columns)}
            FROM (SELECT moves.*, {stay} AS stay FROM moves) AS timed
            WHERE pass > 0
            GROUP BY lead_id, pass
        )
        SELECT change_id, lead_id, entered_at, LAG(entered_at) OVER lead_passes,
            agreement_version, leads.channel_id, COALESCE({campaign}, ''),
            {", ".join(f"MAX({column}) OVER from_here = 1" for column in REACHED)},
            SUM(returns) OVER from_here, {", ".join(STAYS)}
        FROM passes JOIN {Lead._meta.db_table} AS leads ON leads.id = passes.lead_id
        WHERE TRUE
        WINDOW lead_passes AS (PARTITION BY lead_id ORDER BY pass),
            from_here AS (PARTITION BY lead_id ORDER BY pass DESC)
        ON CONFLICT (change_id) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in UPDATED)}
    """  # nosec B608


def refresh_passes(lead_ids: Iterable[int]) -> None:
    """Rewrite the passes of these leads from their stage history in one statement: run it in the
    transaction of their moves, with the leads locked. Moves are only ever added, so a lead's
    passes are only ever added or changed."""
    lead_ids = list(lead_ids)
    if not lead_ids:
        return
    ids = lead_ids if connection.vendor == "postgresql" else json.dumps(lead_ids)
    with connection.cursor() as cursor:
        cursor.execute(_passes_sql(DIALECTS[connection.vendor]["lead_in"]), [ids])


def rebuild_passes() -> int:
    """Rewrite every lead's passes from the stage history, e.g. after loading StageChange rows in
    bulk; returns how many there are."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FunnelPass._meta.db_table}")  # nosec B608
        cursor.execute(_passes_sql("TRUE"))
        return cursor.rowcount
