"""The rejected rows as a CSV a marketer can fix and upload again."""

import csv
from collections.abc import Iterator

from django.utils.translation import gettext as _

from intake.models import ImportJob

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: str) -> str:
    """Make a cell display as the text it is instead of running as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Line:
    def write(self, value):
        return value


def rejected_rows_csv(job: ImportJob) -> Iterator[str]:
    """Lines of CSV: the row number, the reason, then the row's own columns as uploaded."""
    writer = csv.writer(_Line())
    yield "\ufeff"  # so that Excel opens it as UTF-8 and Thai, Arabic… survive
    yield writer.writerow([_("row"), _("reason"), *map(neutralize, job.headers)])
    rejections = job.rejections.order_by("row_number").values_list("row_number", "reason", "values")
    for row_number, reason, values in rejections.iterator(chunk_size=2000):
        yield writer.writerow([row_number, neutralize(reason), *map(neutralize, values)])
