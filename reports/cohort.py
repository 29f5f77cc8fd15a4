"""The funnel on PostgreSQL: the cohort's passes (leads.FunnelPass) aggregated in SQL.

The figures of reports.funnel, which walks the stage history in Python (the definition, and what
SQLite runs): a lead's entry is its first pass that began in the range, what the lead reached and
how often it was returned since are columns of that pass, how often it was disqualified since is
counted in the stage history, and its stays are those of the entry pass and of the lead's later
passes. Two queries over about one row per cohort lead, whatever the
range: the counts, and the medians (percentile_cont), each for the total and every breakdown.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from core.databases import report_connection
from handoff.models import Handoff
from leads.models import FunnelPass, Stage, StageChange
from reports.filters import ReportFilters

PASSES = FunnelPass._meta.db_table
MOVES = StageChange._meta.db_table
# The column that says whether a pass's lead reached each step after the entry.
REACHED = {
    Stage.SAL: "reached_sal",
    Stage.SQL: "reached_sql",
    Stage.OPPORTUNITY: "reached_opportunity",
    Stage.CUSTOMER: "reached_customer",
}
STAYS = {
    Stage.MQL: "mql_stay",
    Stage.SAL: "sal_stay",
    Stage.SQL: "sql_stay",
    Stage.OPPORTUNITY: "opportunity_stay",
}
KEYS = ("channel_id", "campaign", "agreement_version")
# GROUPING(channel_id, campaign, agreement_version) sets a bit for each column a row is not
# grouped by: all three for the total. -> (breakdown, the column of its key).
BREAKDOWNS = {
    0b111: ("total", None),
    0b011: ("channel", "channel_id"),
    0b101: ("campaign", "campaign"),
    0b110: ("agreement_version", "agreement_version"),
}
GROUP_BY = "GROUPING SETS ((), (channel_id), (campaign), (agreement_version))"


@dataclass(frozen=True)
class Figures:
    """The funnel figures of the total (key None) or of one group of a breakdown."""

    breakdown: str
    key: Any
    counts: dict[str, int]
    returned: int
    disqualified: int
    median_stays: dict[str, timedelta | None]


def _entries(filters: ReportFilters) -> tuple[str, dict]:
    """Conditions on `entry` for the passes that enter the cohort, and their parameters."""
    conditions = [
        "entry.entered_at >= %(start)s",
        "entry.entered_at < %(end)s",
        # The lead's first pass in the range: any pass before it began before the range.
        "(entry.previous_entered_at IS NULL OR entry.previous_entered_at < %(start)s)",
    ]
    params = {"start": filters.start, "end": filters.end}
    if filters.channel_id is not None:
        conditions.append("entry.channel_id = %(channel)s")
        params["channel"] = filters.channel_id
    if filters.campaign:
        conditions.append("entry.campaign = %(campaign)s")
        params["campaign"] = filters.campaign
    if filters.agreement_version is not None:
        conditions.append("entry.agreement_version = %(version)s")
        params["version"] = filters.agreement_version
    if filters.team_id is not None:
        # A lead belongs to the team that worked it in the queue.
        conditions.append(
            f"EXISTS (SELECT 1 FROM {Handoff._meta.db_table} AS worked "
            "WHERE worked.lead_id = entry.lead_id AND worked.team_id = %(team)s)"  # nosec B608
        )
        params["team"] = filters.team_id
    return " AND ".join(conditions), params


def _grouped(sql: str, params: dict) -> dict[tuple, tuple]:
    """(breakdown, key) -> the figures after the grouping columns, for each row of `sql`."""
    with report_connection().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    figures = {}
    for grouping, *rest in rows:
        keys, values = rest[: len(KEYS)], rest[len(KEYS) :]
        breakdown, column = BREAKDOWNS[grouping]
        key = None if column is None else keys[KEYS.index(column)]
        figures[breakdown, key] = values
    return figures


def funnel_figures(filters: ReportFilters) -> list[Figures]:
    """The total and each group of each breakdown, in no particular order."""
    entries, params = _entries(filters)
    counts = _grouped(
        f"""
        SELECT GROUPING({", ".join(KEYS)}), {", ".join(KEYS)}, count(*),
            {", ".join(f"count(*) FILTER (WHERE {column})" for column in REACHED.values())},
            coalesce(sum(returns), 0), coalesce(sum(disqualified.moves), 0)
        FROM {PASSES} AS entry
        -- The lead's disqualifications after its entry, looked up per cohort lead in the
        -- stage history (off stagechange_lead_idx); the passes do not keep them.
        CROSS JOIN LATERAL (
            SELECT count(*) AS moves FROM {MOVES} AS move
            WHERE move.lead_id = entry.lead_id AND move.to_stage = '{Stage.DISQUALIFIED}'
                AND (move.created_at, move.id) > (entry.entered_at, entry.change_id)
        ) AS disqualified
        WHERE {entries}
        GROUP BY {GROUP_BY}
        """,  # nosec B608
        params,
    )
    stays = ", ".join(STAYS.values())
    # Passes without an ended stay (the lead is still in MQL) would only lengthen the sorts.
    any_stay = "({})".format(
        " OR ".join(f"{{table}}.{column} IS NOT NULL" for column in STAYS.values())
    )
    medians = _grouped(
        f"""
        SELECT GROUPING({", ".join(KEYS)}), {", ".join(KEYS)},
            {", ".join(f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {c})" for c in STAYS.values())}
        FROM (
            SELECT {", ".join(KEYS)}, {stays} FROM {PASSES} AS entry
            WHERE {entries} AND {any_stay.format(table="entry")}
            UNION ALL
            -- Passes after one that began in the range, with their lead's entry (if it began
            -- before the end). A lead has one entry at most; LIMIT keeps this a lookup by
            -- lead for the few leads that pass again, rather than a second scan of the cohort.
            SELECT {", ".join(f"lead_entry.{key}" for key in KEYS)},
                {", ".join(f"later.{column}" for column in STAYS.values())}
            FROM {PASSES} AS later CROSS JOIN LATERAL (
                SELECT {", ".join(KEYS)} FROM {PASSES} AS entry
                WHERE entry.lead_id = later.lead_id AND {entries}
                LIMIT 1
            ) AS lead_entry
            WHERE later.previous_entered_at >= %(start)s AND {any_stay.format(table="later")}
        ) AS cohort_stays
        GROUP BY {GROUP_BY}
        """,  # nosec B608
        params,
    )
    figures = []
    for (breakdown, key), (mqls, *reached, returned, disqualified) in counts.items():
        figures.append(
            Figures(
                breakdown=breakdown,
                key=key,
                counts={Stage.MQL: mqls, **dict(zip(REACHED, reached, strict=True))},
                returned=returned,
                disqualified=disqualified,
                median_stays={
                    stage: None if median is None else timedelta(microseconds=median)
                    for stage, median in zip(
                        STAYS, medians.get((breakdown, key), [None] * len(STAYS)), strict=True
                    )
                },
            )
        )
    return figures
