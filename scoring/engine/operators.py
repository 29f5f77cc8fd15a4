"""The operators of rules and property conditions, each compiled once into a test of one value.

Values are read through scoring/normal.py, the one meaning of absent, number and text that the
database path shares (facts.py lets these tests decide every distinct property value).
"""

from collections.abc import Callable

from scoring import normal
from scoring.engine.errors import RuleError

type Test = Callable[[object], bool]

OPERATORS = (
    "present",
    "equals",
    "one_of",
    "not_one_of",
    "contains",
    "matches",
    "at_least",
    "at_most",
)


def _scalar(operator: str, value: object) -> str | int | float:
    is_scalar = isinstance(value, str | int | float) and not isinstance(value, bool)
    if not is_scalar or normal.folded(value) is None:
        raise RuleError("value_not_scalar", operator=operator, value=value)
    return value


def _scalars(operator: str, value: object) -> tuple[str | int | float, ...]:
    if not isinstance(value, list | tuple) or not value:
        raise RuleError("value_not_list", operator=operator, value=value)
    return tuple(_scalar(operator, item) for item in value)


def compile_test(operator: str, value: object) -> Test:
    """Turn an operator and its value into a test of one field value, done once per agreement.

    Every operator but `present` needs a value: an absent field satisfies nothing, so a gate on it
    fails and a negative on it does not fire. `contains` takes one text or a list (any of them).
    """
    folded = normal.folded
    match operator:
        case "present":
            if value is not None:
                raise RuleError("value_not_allowed", operator=operator, value=value)
            return normal.is_present
        case "equals":
            target = folded(_scalar(operator, value))
            return lambda v: folded(v) == target
        case "one_of":
            targets = frozenset(folded(item) for item in _scalars(operator, value))
            return lambda v: folded(v) in targets
        case "not_one_of":
            targets = frozenset(folded(item) for item in _scalars(operator, value))
            return lambda v: (text := folded(v)) is not None and text not in targets
        case "contains":
            items = _scalars(operator, value) if isinstance(value, list | tuple) else (value,)
            needles = tuple(folded(_scalar(operator, item)) for item in items)

            def contains_any(v: object) -> bool:
                text = folded(v)
                return text is not None and any(needle in text for needle in needles)

            return contains_any
        case "matches":
            if not isinstance(value, str):
                raise RuleError("pattern_not_text", value=value)
            if len(value) > normal.MAX_PATTERN_LENGTH:
                raise RuleError("pattern_too_long", max_length=normal.MAX_PATTERN_LENGTH)
            try:
                compiled = normal.pattern(value)
            except normal.PatternError as error:
                raise RuleError("pattern_invalid", value=value, reason=error.reason) from None
            return lambda v: normal.searches(compiled, v)
        case "at_least" | "at_most":
            bound = None if isinstance(value, str) else normal.number(value)
            if bound is None:
                raise RuleError("value_not_number", operator=operator, value=value)
            if operator == "at_least":
                return lambda v: (n := normal.number(v)) is not None and n >= bound
            return lambda v: (n := normal.number(v)) is not None and n <= bound
    raise RuleError("operator_unknown", operator=operator)
