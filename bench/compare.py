"""`manage.py bench --compare FILE`: this run's figures next to an earlier run's JSON.

A figure regresses when it is more than a fifth worse than before, in its own direction: a rate
(events/s) that fell below 80% of the earlier one, a duration (ms, s) that grew past 120% of it.
The machine is often shared, so a flag says where to look again, not that the code got slower.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bench.base import Result, figure

# How much worse than before a figure may be before it is flagged.
TOLERANCE = 0.20


@dataclass(frozen=True)
class Comparison:
    name: str
    unit: str
    value: float | None
    previous: float | None
    better: str

    @property
    def change(self) -> float | None:
        """The relative change from the earlier figure (+0.25: a quarter more)."""
        if self.value is None or not self.previous:
            return None
        return self.value / self.previous - 1

    @property
    def regressed(self) -> bool:
        if self.change is None:
            return False
        worse = -self.change if self.better == "higher" else self.change
        return worse > TOLERANCE


def read_previous(path: str | Path) -> dict:
    """The results of an earlier `--json` file, by name."""
    report = json.loads(Path(path).read_text())
    return {result["name"]: result for result in report["results"]}


def compare(results: list[Result], previous: dict) -> list[Comparison]:
    """Each of this run's figures with the earlier run's of the same name (None if it had none)."""
    return [
        Comparison(
            name=result.name,
            unit=result.unit,
            value=result.value,
            previous=previous.get(result.name, {}).get("value"),
            better=result.better,
        )
        for result in results
    ]


def comparison_table(comparisons: list[Comparison], *, against: str) -> str:
    header = ("measurement", "now", "before", "unit", "change", "")
    rows = [header]
    for c in comparisons:
        change = "" if c.change is None else f"{c.change:+.0%}"
        flag = f"REGRESSION (over {TOLERANCE:.0%} worse)" if c.regressed else ""
        rows.append((c.name, figure(c.value), figure(c.previous), c.unit, change, flag))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    regressions = sum(c.regressed for c in comparisons)
    summary = f"{regressions} regression(s) against {against}" if regressions else "no regression"
    return "\n".join(["", f"Compared with {against}:", *lines, "", summary])
