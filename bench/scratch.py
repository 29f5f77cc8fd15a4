"""What the apps' `bench` modules share."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def scratch_database():
    """A fresh, migrated copy of the configured database (named test_<name>), dropped after:
    benchmarks fill it freely without touching real data."""
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
