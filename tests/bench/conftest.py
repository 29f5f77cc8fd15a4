# The handoff tests' teams and reasons, for the measurements that run the queue.
from tests.handoff.conftest import pool_team, return_reasons, sdr2, team  # noqa: F401
