from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The million-lead benchmark (`manage.py bench`): measurement code, not domain code."""

    name = "bench"
    verbose_name = "Benchmark"
