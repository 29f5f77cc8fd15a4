"""Turning an uploaded file into rows of text, whatever its format, encoding and delimiter.

Rows are streamed (a 50 MB file is never decoded at once) and each comes with its problem, if any
(broken quoting, bytes that are not text in the file's encoding), so that one bad row is reported
and the others still import.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import charset_normalizer
from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import ApplicationError

MAX_FILE_SIZE = settings.MAX_UPLOAD_SIZE
# A spreadsheet is a zip: its parts may not unpack to more than this (a "zip bomb" of a few MB
# would otherwise expand to gigabytes while it is read).
MAX_XLSX_UNPACKED = 10 * MAX_FILE_SIZE
SAMPLE_SIZE = 64 * 1024
XLSX_MAGIC = b"PK\x03\x04"
DELIMITERS = ",;\t|"
# Bytes that did not decode survive as lone surrogates (errors="surrogateescape").
UNDECODED = re.compile("[\udc80-\udcff]")

csv.field_size_limit(1024 * 1024)


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    values: list[str]
    problem: str = ""


@dataclass
class Table:
    file_format: str
    encoding: str = ""
    delimiter: str = ""
    headers: list[str] = field(default_factory=list)


def describe(raw) -> Table:
    """Detect format, encoding, delimiter and headers from the start of a binary file."""
    raw.seek(0)
    sample = raw.read(SAMPLE_SIZE)
    raw.seek(0)
    if not sample.strip():
        raise ApplicationError(_("The file is empty."))
    if sample.startswith(XLSX_MAGIC):
        table = Table(file_format="xlsx")
    else:
        encoding = detect_encoding(sample)
        text = sample.decode(encoding, errors="surrogateescape")
        table = Table(file_format="csv", encoding=encoding, delimiter=detect_delimiter(text))
    header = next(iter_rows(raw, table), None)
    raw.seek(0)
    if header is None or not any(value.strip() for value in header.values):
        raise ApplicationError(_("The first row must name the columns."))
    if header.problem:
        raise ApplicationError(_("The header row cannot be read: %s") % header.problem)
    table.headers = [value.strip() for value in header.values]
    return table


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Mostly UTF-8 with a few foreign lines is still UTF-8: those lines are rejected one by one.
    lines = sample.splitlines()[:-1] or sample.splitlines()
    bad = sum(1 for line in lines if not _is_utf8(line))
    if bad * 2 <= len(lines):
        return "utf-8"
    best = charset_normalizer.from_bytes(sample).best()
    return best.encoding if best else "utf-8"


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect_delimiter(text: str) -> str:
    lines = text.splitlines()[:50]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {delimiter: lines[0].count(delimiter) for delimiter in DELIMITERS} if lines else {}
        best = max(counts, key=counts.get, default=",")
        return best if counts.get(best) else ","


def iter_rows(raw, table: Table) -> Iterator[Row]:
    """Every row of the file, the header first, each numbered as a spreadsheet would."""
    raw.seek(0)
    if table.file_format == "xlsx":
        yield from _xlsx_rows(raw)
    else:
        yield from _csv_rows(raw, table)


def _csv_rows(raw, table: Table) -> Iterator[Row]:
    text = io.TextIOWrapper(raw, encoding=table.encoding, errors="surrogateescape", newline="")
    reader = csv.reader(text, delimiter=table.delimiter, strict=True)
    number = 0
    try:
        while True:
            number += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield Row(number, [], _("Broken quoting: %s.") % error)
                continue
            if any(UNDECODED.search(value) for value in values):
                yield Row(
                    number,
                    [UNDECODED.sub("\ufffd", value) for value in values],
                    _("This row is not valid %(encoding)s text (mixed encodings).")
                    % {"encoding": table.encoding.upper()},
                )
                continue
            yield Row(number, values)
    finally:
        # The caller owns the binary file; do not let the wrapper close it.
        text.detach()


def _xlsx_rows(raw) -> Iterator[Row]:
    from openpyxl import load_workbook

    _check_unpacked_size(raw)
    try:
        workbook = load_workbook(raw, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ApplicationError(_("This spreadsheet cannot be opened: %s") % error) from error
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield Row(number, [_cell_text(cell) for cell in cells])
    finally:
        workbook.close()


def _check_unpacked_size(raw) -> None:
    """Refuse a spreadsheet whose parts declare more than MAX_XLSX_UNPACKED bytes; Python's
    zipfile never inflates a part past its declared size, so the declaration bounds the work."""
    raw.seek(0)
    try:
        with zipfile.ZipFile(raw) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ApplicationError(_("This spreadsheet cannot be opened: %s") % error) from error
    finally:
        raw.seek(0)
    if unpacked > MAX_XLSX_UNPACKED:
        raise ApplicationError(
            _("This spreadsheet unpacks to more than %(limit)d MB; split it into smaller files.")
            % {"limit": MAX_XLSX_UNPACKED // (1024 * 1024)}
        )


def _cell_text(cell) -> str:
    """Spreadsheet values as the text a person typed; a formula stays its text."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell)
