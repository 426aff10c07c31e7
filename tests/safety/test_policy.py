"""The output-safety policy itself, function by function."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.safety.hostile import BIDI, C1, CSI, MARKUP, OSC, hostile
from verifier.core.safe_output import (
    csv_cell,
    html_bidi,
    html_text,
    json_text,
    markdown_text,
    terminal_line,
    terminal_text,
    write_csv_rows,
)


def test_the_terminal_gets_no_control_sequence_and_lines_stay_lines() -> None:
    text = f"a {OSC}{CSI}{C1} {BIDI}\tb\nc\r"
    assert terminal_text(text) == "a ]0;x[2J2J evil\tb\nc"
    assert terminal_line(text) == "a ]0;x[2J2J evil b c"
    assert terminal_text(MARKUP) == MARKUP  # markup is the console's business: shown as text


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'=1"),  # the CR goes, and what is left starts a formula: guarded
        ("plain", "plain"),
        ("الرياض", "الرياض"),
        (f"{CSI}=1", "[2J=1"),
    ],
)
def test_a_csv_cell_is_never_a_formula(cell: str, written: str) -> None:
    assert csv_cell(cell) == written


def test_numbers_stay_numbers_in_csv() -> None:
    out = io.StringIO()
    write_csv_rows(out, ["=a", "b"], [[-1.5, 3], [None, "-2"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'=a", "b"],
        ["-1.5", "3"],
        ["", "'-2"],
    ]


def test_json_escapes_what_acts_on_a_terminal_and_loses_nothing() -> None:
    value = {"name": hostile("name"), "ar": "الرياض"}
    text = json_text(value)
    assert "الرياض" in text  # Arabic stays readable
    assert not any(ch in text for ch in "\x1b\x07\x9b\u202e\u2066\r")
    assert json.loads(text) == value


def test_markdown_and_html_are_inert() -> None:
    md = markdown_text(hostile("x"))
    assert "<img" not in md.replace("\\<img", "") and "\\[@click" in md
    assert "\x1b" not in md and "\n" not in md
    html = html_text(hostile("x"))
    assert "<img" not in html and "&lt;script&gt;" in html and "\x1b" not in html
    assert html_bidi("الرياض <>", "ar") == '<span dir="rtl" lang="ar">الرياض &lt;&gt;</span>'
    assert html_bidi("Riyadh الرياض") == '<span dir="auto">Riyadh الرياض</span>'
