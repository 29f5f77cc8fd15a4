"""Every measurement of `manage.py bench`, grouped by the part of Accord it measures."""

from bench.measurements import handoff, leads, reports, scoring, sla

MEASUREMENTS = [
    *leads.MEASUREMENTS,
    *handoff.MEASUREMENTS,
    *scoring.MEASUREMENTS,
    *sla.MEASUREMENTS,
    *reports.MEASUREMENTS,
]
