"""`make bench`: Accord's performance figures at a million leads, measured the same way every time.

Builds the synthetic data set of bench/dataset.py at `--leads N` in a scratch copy of
the configured database (PostgreSQL for real figures), runs every measurement listed in
bench/measurements/ (`MEASUREMENTS`), and prints one table: the median or 95th percentile of several
runs, the target, the baseline measured in the same run and the ratio to it. `--json FILE`
writes the same with a description of the machine; `--compare FILE` prints each figure next to
an earlier `--json` file's and flags those more than 20% worse (bench/compare.py).
docs/performance.md has the figures; bench/results/ keeps the latest million-lead run.
"""

import json
import os
import platform
import time
import traceback
from contextlib import nullcontext

import django
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from bench import dataset
from bench.base import Bench, Result, figure
from bench.compare import compare, comparison_table, read_previous
from bench.measurements import MEASUREMENTS
from bench.scratch import scratch_database


class Command(BaseCommand):
    help = "Build a synthetic data set and measure Accord on it (see docs/performance.md)."

    def add_arguments(self, parser):
        parser.add_argument("--leads", type=int, default=1_000_000, help="Data set size.")
        parser.add_argument("--runs", type=int, default=5, help="Repetitions per measurement.")
        parser.add_argument("--only", nargs="*", default=[], help="Measurement names.")
        parser.add_argument("--json", dest="json_path", help="Also write the results here.")
        parser.add_argument(
            "--compare",
            dest="compare_path",
            help="An earlier --json file: print each figure next to it and flag regressions "
            "over 20%%.",
        )
        parser.add_argument(
            "--no-scratch",
            action="store_true",
            help="Fill (or reuse the data set already in) the configured database instead of a "
            "scratch copy; it must be a disposable database.",
        )

    def handle(self, *args, leads, runs, only, json_path, compare_path, no_scratch, **options):
        if leads < 1000:
            raise CommandError("--leads must be at least 1000.")
        # Read before the run, so a missing or unreadable file fails in a second, not an hour.
        previous = self.previous(compare_path) if compare_path else None
        measurements = [m for m in self.measurements() if not only or m.__name__ in only]
        unknown = set(only) - {m.__name__ for m in self.measurements()}
        if unknown:
            raise CommandError(f"Unknown measurement(s): {', '.join(sorted(unknown))}")
        if connection.vendor != "postgresql":
            self.stderr.write("Figures are meant for PostgreSQL; set DATABASE_URL=postgres://…")
        started = time.perf_counter()
        results = []
        with (
            nullcontext() if no_scratch else scratch_database(),
            override_settings(DEBUG=False),
        ):
            data = dataset.load()
            if data is None:
                self.stdout.write(self.style.MIGRATE_HEADING(f"Building {leads:,} leads"))
                built = time.perf_counter()
                data = dataset.build(leads, write=self.stdout.write)
                self.stdout.write(f"  built in {time.perf_counter() - built:,.0f} s")
            else:
                self.stdout.write(f"Reusing the data set in the database ({data.leads:,} leads)")
            bench = Bench(
                leads=data.leads,
                runs=runs,
                data=data,
                database_url=database_url(),
                write=self.stdout.write,
            )
            for measurement in measurements:
                self.stdout.write(self.style.MIGRATE_HEADING(f"== {measurement.__name__}"))
                results.extend(self.run(measurement, bench))
            described = machine()
        self.stdout.write(table(results))
        if previous is not None:
            self.stdout.write(comparison_table(compare(results, previous), against=compare_path))
        self.stdout.write(f"Total: {time.perf_counter() - started:,.0f} s")
        if json_path:
            report = {
                "machine": described,
                "leads": data.leads,
                "runs": runs,
                "seconds": round(time.perf_counter() - started, 1),
                "results": [result.as_json() for result in results],
            }
            with open(json_path, "w") as output:
                json.dump(report, output, indent=2, default=str)

    @staticmethod
    def previous(path: str) -> dict:
        try:
            return read_previous(path)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"--compare {path}: not a bench --json file ({error})") from error

    def run(self, measurement, bench) -> list[Result]:
        """The measurement's results; a failure is reported in the table, not fatal to the run."""
        try:
            outcome = measurement(bench)
        except Exception:
            self.stderr.write(traceback.format_exc())
            return [Result(measurement.__name__, None, "", notes="failed: see the log above")]
        return outcome if isinstance(outcome, list) else [outcome]

    @staticmethod
    def measurements():
        """Every measurement: those that only read first, those that add data last."""
        return sorted(MEASUREMENTS, key=lambda m: getattr(m, "changes_data", 0))


def database_url() -> str:
    """The DATABASE_URL of the database being measured, for a server started in a subprocess."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{os.path.abspath(settings['NAME'])}"
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"


def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        server = cursor.fetchone()[0]
    memory = (
        os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") if hasattr(os, "sysconf") else 0
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{connection.vendor} {server}",
    }


def table(results: list[Result]) -> str:
    header = ("measurement", "value", "unit", "target", "baseline", "ratio", "met")
    rows = [header]
    for r in results:
        target = (
            "" if r.target is None else ("≥ " if r.better == "higher" else "≤ ") + figure(r.target)
        )
        baseline = "" if r.baseline is None else f"{figure(r.baseline)} ({r.baseline_label})"
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}"
        met = {True: "yes", False: "NO", None: ""}[r.met]
        rows.append((r.name, figure(r.value), r.unit, target, baseline, ratio, met))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"  {r.name}: {r.notes}" for r in results if r.notes]
    return "\n".join(["", *lines, *(["", "Notes:", *notes] if notes else [])])
