from leads.imports.bench import import_csv
from leads.ingest_bench import ingest_activities

BENCHMARKS = [import_csv, ingest_activities]
