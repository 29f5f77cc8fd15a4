"""What a value means to scoring, in one place: when it is absent, which number it is, how it
reads as text, and which patterns exist.

Web forms, CSV files and many webinar tools send numbers as text, so "45" and 45 must score the
same; a rule must hold or not whoever evaluates it. Every operator of the engine reads values
through these functions, and so does every database path (facts.py lets the engine decide each
distinct property value), so there is one meaning per operator.
"""

import functools
import re
from decimal import Decimal

import re2

from core.text import fold

# Plain decimal text: optional sign, digits, optional decimal part. Not "1e3", "nan", "0x1f",
# "1_000" or digits of other scripts, which Python's float() would read.
_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?", re.ASCII)

# A marketer's pattern is a few words; a longer one is a mistake or an attack on the engine.
MAX_PATTERN_LENGTH = 300


class PatternError(ValueError):
    """A pattern RE2 refuses; `reason` is RE2's own words, in English."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def is_present(value: object) -> bool:
    """None, whitespace-only text and empty objects or lists are absent; 0 and False are not."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict | list | tuple):
        return bool(value)
    return True


def number(value: object) -> Decimal | None:
    """The number a value stands for, exactly, or None.

    JSON numbers count (a float as its shortest spelling, the one JSON stores, so 0.1 is 0.1),
    and so does text that is a plain decimal number once surrounding whitespace is ignored.
    True and False are not numbers.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    if isinstance(value, str):
        text = value.strip()
        return Decimal(text) if _DECIMAL.fullmatch(text) else None
    return None


def size_bounds(size: int | None, size_max: int | None) -> tuple[int | None, int | None]:
    """A lead's company size as the two ends a rule is tested on.

    An exact size is both ends. A range ("51-200", as CRMs and trade-fair lists give it; stored as
    company_size and company_size_max) holds a rule only when both of its ends hold it: "at least
    50" holds for 51-200 (its lower end is at least 50) but not for 11-50, "at most 200" holds for
    51-200 but never for an open range (10,000+, whose upper end is the largest size), and
    "equals 100" holds for no range. For at least / at most this is exactly "every size the range
    allows holds the rule", so a gate never lets a lead through on a size it may not have and a
    negative fires only on a size the lead surely has. An unknown size has no ends.
    """
    if size is None:
        return None, None
    return size, size if size_max is None else size_max


def scalar_text(value: object) -> str | None:
    """A text or number as text (45.0 reads "45", true reads "true"); None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    return None


def folded(value: object) -> str | None:
    """One spelling per value, as search spells it too (core.text.fold: case, width, Arabic
    letter forms and diacritics, Traditional Chinese do not count); None when the value is
    absent or not a scalar."""
    text = scalar_text(value)
    if text is None:
        return None
    return _folded_text(text)


@functools.lru_cache(maxsize=4096)
def _folded_text(text: str) -> str | None:
    # A batch's leads share titles, companies and countries, and each rule folds them again:
    # folding (NFKC, OpenCC) was a third of the engine's time in an import batch.
    return fold(text) or None


@functools.lru_cache(maxsize=512)
def pattern(source: str, *, ignore_case: bool = True) -> re2._Regexp:
    """A pattern in RE2's dialect wherever it runs (no look-arounds or back-references, linear
    time on any text); `matches` ignores case. Raises PatternError."""
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.log_errors = False
    try:
        return re2.compile(source, options)
    except re2.error as error:
        reason = error.args[0] if error.args else ""
        raise PatternError(reason.decode() if isinstance(reason, bytes) else str(reason)) from None


def sqlite_regexp(source: str | None, value: object) -> bool | None:
    """SQLite's REGEXP (`value REGEXP source`, what `__regex` lookups run) in the same dialect."""
    if source is None or value is None:
        return None
    return pattern(source, ignore_case=False).search(str(value)) is not None


def searches(compiled: re2._Regexp, value: object) -> bool:
    """Whether a present text or number contains a match of the compiled pattern."""
    text = scalar_text(value) if is_present(value) else None
    return text is not None and compiled.search(text) is not None
