"""The publication CSV export: one row per published value, every text cell through the
formula guard (a leading =, +, -, @, tab, CR or LF is quoted with an apostrophe, after
controls are removed), numbers left as numbers, and whether the document matched its hash
on every row. The expected file is written out by hand."""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.scoring.conftest import build_doc
from verifier.core.publishing.export import CSV_COLUMNS, to_csv


def _document() -> dict[str, Any]:
    doc = build_doc(
        [("=1+1", "@dom", "higher"), ("PLAIN", "@dom", "lower")],
        {"c1": {"=1+1": -3.5, "PLAIN": 12}, "c2": {"PLAIN": 0.1}},
        {"E": ({"@dom": 1}, {"=1+1": 1, "PLAIN": 1})},
        cities=[
            ("c1", '=HYPERLINK("http://evil.example","click")', "+مدينة"),
            ("c2", "-2+3", "\u202e@SUM(A1:A9)"),  # a bidi override before the @ is removed first
        ],
    )
    doc["cities"][0]["country"] = "\tXX"
    doc["cities"][1]["country"] = "\x1b[31mYY"  # an escape sequence, not a formula
    for value in doc["values"]:
        value["unit"] = "\n%" if value["indicator"] == "PLAIN" else None
    doc["values"][0]["evidence"] = [4, 11]
    return doc


EXPECTED = [
    list(CSV_COLUMNS),
    ["c1", "'=HYPERLINK(\"http://evil.example\",\"click\")", "'+مدينة", "'\tXX", "'=1+1",
     "'@dom", "-3.5", "", "2023", "4|11", "yes"],
    ["c1", "'=HYPERLINK(\"http://evil.example\",\"click\")", "'+مدينة", "'\tXX", "PLAIN",
     "'@dom", "12", "'\n%", "2023", "1", "yes"],
    ["c2", "'-2+3", "'@SUM(A1:A9)", "[31mYY", "PLAIN", "'@dom", "0.1", "'\n%", "2023", "1",
     "yes"],
]  # fmt: skip


def test_every_text_cell_is_guarded_and_numbers_stay_numbers() -> None:
    text = to_csv(_document())
    assert list(csv.reader(io.StringIO(text))) == EXPECTED
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    # Numbers are written as numbers: a negative value is not mistaken for a formula.
    assert ",-3.5," in text


def test_an_unverified_document_says_so_on_every_row() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_document(), verified=False))))
    assert [row[-1] for row in rows] == ["hash_verified", "no", "no", "no"]
    assert [row[:-1] for row in rows[1:]] == [row[:-1] for row in EXPECTED[1:]]
