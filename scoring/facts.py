"""What the engine needs to know about many leads, read from the database in bulk.

Profiles come from one query over leads; engagement from one grouped query over activities with
a conditional Count per action rule (inside its window, with its property conditions), a Count
per activity negative and per activity kind a channel asks for, and the last engagement. The
engine's `aggregate` does the same in Python for one lead's activities.

Property conditions are decided by the engine, not by SQL: the databases read text, numbers and
patterns differently from each other and from Python (a jsonb "45" is never greater than 30,
SQLite folds ASCII case only, PostgreSQL's regex dialect is not RE2). So one query first reads
the distinct values the conditions' properties take, the engine's compiled tests pick those
that hold, and the grouped query counts the activities whose value is one of them.
"""

import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from operator import itemgetter

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    TextField,
    Value,
)

from core.sql import in_values
from leads.models import Activity
from scoring import engine

# Lead columns (as values() names) -> LeadFacts fields.
FACT_COLUMNS = {
    "email": "email",
    "first_name": "first_name",
    "last_name": "last_name",
    "title": "title",
    "organization": "organization",
    "phone": "phone",
    "company_size": "company_size",
    "company_size_max": "company_size_max",
    "industry": "industry",
    "country": "country",
    "city": "city",
    "social_handles": "social_handles",
    "attributes": "attributes",
    "channel__slug": "channel_slug",
    "channel__kind": "channel_kind",
}
JSON_COLUMNS = ("social_handles", "attributes")


def profile_values(specs: Sequence[engine.AgreementSpec]) -> list[str]:
    """The lead columns these agreements read, plus id, stage and the name shown in lists.

    Reading only those matters at 100,000 leads: each JSON column costs a decode per row.
    """
    columns = {"id", "stage", "email", "first_name", "middle_name", "last_name"}
    for spec in specs:
        for rule in (*spec.profile_rules, *spec.negative_rules):
            field = getattr(rule, "field", None)
            if field is None:
                continue
            if field.startswith(engine.ATTRIBUTE_PREFIX):
                columns.add("attributes")
            elif field == "company_size":
                columns.update(("company_size", "company_size_max"))
            elif field != "email_domain":
                columns.add(field)
        if spec.channel_rules:
            columns.update(("channel__slug", "channel__kind"))
    return sorted(columns)


def lead_facts(row: dict) -> engine.LeadFacts:
    """A row of `profile_values()` as the engine's LeadFacts; unread fields stay empty."""
    return _lead_facts(
        {name: row[column] for column, name in FACT_COLUMNS.items() if column in row}
    )


def lead_facts_reader(columns: Sequence[str]) -> Callable[[tuple], engine.LeadFacts]:
    """`lead_facts` for rows read with values_list(*columns), which cost less than dicts when
    a preview reads every lead. `columns` come from `profile_values()`, so there are several."""
    read = [(index, column) for index, column in enumerate(columns) if column in FACT_COLUMNS]
    names = [FACT_COLUMNS[column] for _, column in read]
    pick = itemgetter(*(index for index, _ in read))
    if any(column in JSON_COLUMNS for _, column in read):
        return lambda row: _lead_facts(dict(zip(names, pick(row), strict=True)))
    return lambda row: engine.LeadFacts(**dict(zip(names, pick(row), strict=True)))


def _lead_facts(facts: dict) -> engine.LeadFacts:
    for column in JSON_COLUMNS:
        if column in facts and facts[column] is None:
            facts[column] = {}
    return engine.LeadFacts(**facts)


class PropertyJson(Func):
    """An activity property as JSON text, so that "45" and 45 stay apart; NULL when missing.

    The same expression is read (condition_values) and compared (OneOfJson), so each database
    only has to spell a value the same way twice, never the way Python does.
    """

    output_field = TextField()

    def __init__(self, key: str):
        super().__init__(F("properties"))
        self.key = key

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"(({column} -> %s)::text)", (*params, self.key)
        return f"({column} -> %s)", (*params, "$." + json.dumps(self.key))


class OneOfJson(Func):
    """Whether an activity property, as JSON text, is one of `texts` (sent as one parameter)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, key: str, texts: frozenset[str]):
        super().__init__(PropertyJson(key))
        self.texts = sorted(texts)

    def as_sql(self, compiler, connection, **extra):
        value, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"{value} = ANY(%s::text[])", (*params, self.texts)
        return f"{value} IN (SELECT value FROM json_each(%s))", (*params, json.dumps(self.texts))  # nosec B608


# Per (activity kind, property key): the JSON texts of the values it takes.
type PropertyValues = dict[tuple[str, str], list[str]]


def condition_values(
    activities: QuerySet, specs: Sequence[engine.AgreementSpec], now: datetime
) -> PropertyValues:
    """The distinct values the agreements' property conditions meet, in one query (none when no
    rule has conditions)."""
    pairs = sorted(
        {
            (kind, condition.key)
            for spec in specs
            for kind, conditions in _conditioned(spec)
            for condition in conditions
        }
    )
    values: PropertyValues = {pair: [] for pair in pairs}
    if not pairs:
        return values
    queries = [
        activities.filter(kind=kind, occurred_at__lte=now)
        .order_by()
        .annotate(pair=Value(index, output_field=IntegerField()), json=PropertyJson(key))
        .filter(json__isnull=False)
        .values_list("pair", "json")
        for index, (kind, key) in enumerate(pairs)
    ]
    rows = queries[0].union(*queries[1:]) if len(queries) > 1 else queries[0].distinct()
    rows = rows.order_by()
    for index, text in rows:
        values[pairs[index]].append(text)
    return values


def _conditioned(spec: engine.AgreementSpec):
    for rule in spec.action_rules:
        yield rule.kind, rule.conditions
    for rule in spec.negative_rules:
        if rule.on_activity:
            yield rule.activity_kind, rule.conditions


def condition_q(
    kind: str, condition: engine.PropertyCondition, values: PropertyValues
) -> OneOfJson:
    """The activities of `kind` whose property meets the condition, as the engine decides it
    for each value it takes. A value stored after `condition_values` read them counts as not
    meeting it until the next rescoring, which storing it asks for."""
    holding = frozenset(
        text
        for text in values[kind, condition.key]
        if condition.holds({condition.key: json.loads(text)})
    )
    return OneOfJson(condition.key, holding)


def _activity_q(
    kind: str, conditions: Sequence[engine.PropertyCondition], values: PropertyValues
) -> Q:
    q = Q(kind=kind)
    for condition in conditions:
        q &= Q(condition_q(kind, condition, values))
    return q


@dataclasses.dataclass(frozen=True)
class _Plan:
    """The grouped query's aggregates for some agreements, shared where rules are the same."""

    aggregates: dict
    action_aliases: list[dict]  # per spec: rule id -> alias
    negative_aliases: list[dict]  # per spec: rule id -> alias
    kind_aliases: dict  # activity kind -> alias


def _plan(specs: Sequence[engine.AgreementSpec], now: datetime, values: PropertyValues) -> _Plan:
    aggregates: dict = {"last_engaged_at": Max("occurred_at", filter=~Q(kind=engine.UNSUBSCRIBE))}
    aliases_by_shape: dict = {}

    def alias_for(shape, q: Q) -> str:
        alias = aliases_by_shape.get(shape)
        if alias is None:
            alias = aliases_by_shape[shape] = f"n{len(aliases_by_shape)}"
            aggregates[alias] = Count("id", filter=q)
        return alias

    action_aliases, negative_aliases = [], []
    for spec in specs:
        actions = {}
        for rule in spec.action_rules:
            q = _activity_q(rule.kind, rule.conditions, values)
            if rule.window_days is not None:
                q &= Q(occurred_at__gte=now - timedelta(days=rule.window_days))
            actions[rule.id] = alias_for(
                ("action", rule.kind, rule.conditions, rule.window_days), q
            )
        action_aliases.append(actions)
        negatives = {}
        for rule in spec.negative_rules:
            if rule.on_activity:
                shape = ("negative", rule.activity_kind, rule.conditions)
                negatives[rule.id] = alias_for(
                    shape, _activity_q(rule.activity_kind, rule.conditions, values)
                )
        negative_aliases.append(negatives)
    kinds = {
        kind
        for spec in specs
        for rule in spec.channel_rules
        for kind in rule.required_activity_kinds
    }
    kind_aliases = {kind: alias_for(("kind", kind), Q(kind=kind)) for kind in sorted(kinds)}
    return _Plan(aggregates, action_aliases, negative_aliases, kind_aliases)


def engagement_by_lead(
    activities: QuerySet, specs: Sequence[engine.AgreementSpec], now: datetime
) -> dict[int, list[engine.EngagementFacts]]:
    """EngagementFacts per lead id, one per spec in `specs`, from one grouped query.

    `activities` narrows which leads are read (e.g. Activity.objects.filter(lead_id__in=ids));
    leads without activities are missing from the result (see NO_ENGAGEMENT).
    """
    rows, readers = engagement_rows(activities, specs, now)
    return {row[0]: [read(row) for read in readers] for row in plain_rows(rows)}


def engagement_rows(
    activities: QuerySet, specs: Sequence[engine.AgreementSpec], now: datetime
) -> tuple[QuerySet, list[Callable[[tuple], engine.EngagementFacts]]]:
    """The grouped query behind `engagement_by_lead` (one row per lead, its id first) and, per
    spec, how to read a row as EngagementFacts.

    Callers that need one spec's facts for only some leads (the preview) read just those.
    """
    plan = _plan(specs, now, condition_values(activities, specs, now))
    aliases = list(plan.aggregates)
    position = {alias: index for index, alias in enumerate(aliases, start=1)}
    rows = (
        activities.filter(occurred_at__lte=now)
        .order_by()
        .values("lead_id")
        .annotate(**plan.aggregates)
        .values_list("lead_id", *aliases)
    )
    kind_columns = tuple((kind, position[alias]) for kind, alias in plan.kind_aliases.items())
    last = position["last_engaged_at"]

    def reader(actions: dict, negatives: dict) -> Callable[[tuple], engine.EngagementFacts]:
        action_columns = tuple((rule_id, position[alias]) for rule_id, alias in actions.items())
        negative_columns = tuple((rule_id, position[alias]) for rule_id, alias in negatives.items())

        def read(row: tuple) -> engine.EngagementFacts:
            return engine.EngagementFacts(
                action_counts={rule_id: row[c] for rule_id, c in action_columns if row[c]},
                negatives_hit=frozenset(rule_id for rule_id, c in negative_columns if row[c])
                if negative_columns
                else _NONE,
                kinds_seen=frozenset(kind for kind, c in kind_columns if row[c])
                if kind_columns
                else _NONE,
                last_engaged_at=row[last],
            )

        return read

    readers = [
        reader(actions, negatives)
        for actions, negatives in zip(plan.action_aliases, plan.negative_aliases, strict=True)
    ]
    return rows, readers


NO_ENGAGEMENT = engine.EngagementFacts()
_NONE: frozenset = frozenset()


def plain_rows(query: QuerySet) -> Iterable[tuple]:
    """The rows of a values_list() query. On PostgreSQL they come as the driver reads them,
    already what the readers want (ints, aware datetimes): Django's converters would call int()
    on every count of every lead, a tenth of what a preview of 100,000 leads takes."""
    if connection.vendor != "postgresql":
        return query
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def activities_of(lead_ids: Iterable[int]) -> QuerySet:
    return Activity.objects.filter(lead_id__in=in_values(lead_ids))
