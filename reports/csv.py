"""CSV exports every report shares: streamed, Excel-friendly and safe to open in a spreadsheet.

Import it as `from reports.csv import csv_response`.
"""

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

# A spreadsheet evaluates a cell that starts with one of these as a formula (OWASP "CSV
# injection"); a leading apostrophe makes it plain text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Excel reads a CSV without a byte-order mark in the machine's legacy code page, which mangles
# Thai, Chinese, Russian and Arabic text.
UTF8_BOM = "\ufeff"


def neutralize(value) -> str:
    """The cell as text a spreadsheet will not run: formulas get a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    """csv.writer writes into a file; this 'file' hands each line back instead."""

    def write(self, value):
        return value


def csv_lines(header: Sequence, rows: Iterable[Sequence]) -> Iterable[str]:
    """The encoded lines of the export, the BOM first; rows are consumed lazily."""
    writer = csv.writer(_Echo())
    yield UTF8_BOM
    yield writer.writerow([neutralize(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralize(cell) for cell in row])


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]):
    """A streamed `text/csv` download of `header` then `rows` (any iterable, read lazily).

    Only text cells are neutralized: numbers such as -3 or a negative amount stay numbers.
    """
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(header, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
