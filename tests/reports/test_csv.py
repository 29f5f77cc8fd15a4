import csv
import io
from decimal import Decimal

from reports.csv import csv_response, neutralize


def read_export(response):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_it_neutralizes_every_formula_trigger():
    for cell in ["=SUM(A1:A2)", "+1+1", "-2+3", "@cmd", "\tx", "\rx"]:
        assert neutralize(cell) == "'" + cell


def test_it_leaves_plain_text_and_numbers_alone():
    assert neutralize("Webinar") == "Webinar"
    assert neutralize("a=b") == "a=b"
    assert neutralize(-3) == "-3"
    assert neutralize(Decimal("-1.50")) == "-1.50"
    assert neutralize(None) == ""


def test_the_export_neutralizes_formula_cells_in_header_and_rows():
    response = csv_response("report.csv", ["channel", "=cmd"], [['=HYPERLINK("x")', 4]])

    assert read_export(response) == [["channel", "'=cmd"], ['\'=HYPERLINK("x")', "4"]]


def test_the_export_keeps_multilingual_text_with_a_byte_order_mark():
    names = ["ลีดจากเว็บ", "网络研讨会", "Вебинар", "ندوة عبر الإنترنت", "Webinar"]
    response = csv_response("report.csv", ["name"], ([name] for name in names))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert read_export(response) == [["name"], *([name] for name in names)]


def test_the_export_is_a_download_with_the_given_filename():
    response = csv_response("funnel-2026-11.csv", ["a"], [])

    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="funnel-2026-11.csv"'


def test_rows_are_read_lazily():
    consumed = []

    def rows():
        for number in range(3):
            consumed.append(number)
            yield [number]

    response = csv_response("report.csv", ["n"], rows())
    assert consumed == []
    assert read_export(response) == [["n"], ["0"], ["1"], ["2"]]
