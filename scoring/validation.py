"""Checks the engine cannot make rule by rule: gates that no lead could ever meet.

The engine already refuses what is malformed (unknown field, bad pattern, empty list); these
checks catch rules that are well-formed but make the agreement impossible to satisfy, which
would silently stop every lead from becoming an MQL.
"""

import re
from re import _constants as sre_constants
from re import _parser as sre_parser

from django.utils.translation import gettext as _

from scoring import engine
from scoring.describe import describe

_ANCHORS_AT_START = {sre_constants.AT_BEGINNING, sre_constants.AT_BEGINNING_STRING}
_ANCHORS_AT_END = {sre_constants.AT_END, sre_constants.AT_END_STRING}


def pattern_can_match(pattern: str) -> bool:
    """False for patterns that cannot match any text, such as `a^b` or `$x`.

    Looks at the top-level sequence only: a start anchor after something that consumes text, or
    something that consumes text after an end anchor. Alternatives and groups are given the
    benefit of the doubt.
    """
    try:
        parsed = sre_parser.parse(pattern, re.IGNORECASE)
    except re.error:
        return True  # a bad pattern is reported as bad, not as impossible
    if parsed.state.flags & re.MULTILINE:
        return True
    consumed = ended = False
    for op, av in parsed.data:
        if op == sre_constants.AT:
            if av in _ANCHORS_AT_START and consumed:
                return False
            if av in _ANCHORS_AT_END:
                ended = True
            continue
        low, _high = sre_parser.SubPattern(parsed.state, [(op, av)]).getwidth()
        if low > 0:
            if ended:
                return False
            consumed = True
    return True


def impossible_gates(spec: engine.AgreementSpec) -> list[str]:
    """One message per gate, or pair of gates, that no lead could meet."""
    problems = []
    bounds: dict[str, dict[str, list]] = {}
    for rule in spec.profile_rules:
        if rule.mode != engine.GATE:
            continue
        if rule.operator == "matches" and not pattern_can_match(rule.value):
            problems.append(
                _("No lead could meet “%(rule)s”: the pattern cannot match any text.")
                % {"rule": describe(rule)}
            )
        if rule.operator in ("at_least", "at_most"):
            bounds.setdefault(rule.field, {}).setdefault(rule.operator, []).append(rule)
    for pair in bounds.values():
        for low in pair.get("at_least", ()):
            for high in pair.get("at_most", ()):
                if float(low.value) > float(high.value):
                    problems.append(
                        _("No lead could meet both “%(low)s” and “%(high)s”.")
                        % {"low": describe(low), "high": describe(high)}
                    )
    return problems
