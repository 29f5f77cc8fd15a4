"""`make bench`: the project's performance figures, measured the same way every time.

Each app may have a `bench` module with a `BENCHMARKS` list of functions taking
(stdout, options); each prints its figures (a median of several runs, or a ratio to a baseline
measured in the same run).
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the performance benchmarks of every app (use --only NAME to pick some)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", default=[], help="Benchmark function names.")
        parser.add_argument("--scale", type=float, default=1.0, help="Shrink or grow data sizes.")

    def handle(self, *args, **options):
        for benchmark in self.benchmarks():
            if options["only"] and benchmark.__name__ not in options["only"]:
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"== {benchmark.__name__}"))
            benchmark(self.stdout, options)

    def benchmarks(self):
        for app_config in apps.get_app_configs():
            try:
                module = import_module(f"{app_config.name}.bench")
            except ModuleNotFoundError as missing:
                if missing.name != f"{app_config.name}.bench":
                    raise
                continue
            yield from module.BENCHMARKS
