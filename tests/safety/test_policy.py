"""The output-safety policy itself, function by function."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.safety.hostile import BIDI, C1, CSI, IMG, MARKUP, OSC, hostile
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


# Blanks a spreadsheet may trim and characters it may skip or not show: bidi marks, zero
# widths, the BOM, a soft hyphen, spaces of every width, blank fillers, combining marks.
HIDDEN = [
    "\u200e", "\u200f", "\u061c", "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad",
    " ", "  ", "\u00a0", "\u2007", "\u3000", "\u115f", "\u2800", "\u034f", "\ufe0f",
    "\u200e \u00a0", " \u200f\t",
]  # fmt: skip


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x","y")', "+1", "-1", "@x"])
def test_blanks_and_invisible_characters_hide_no_formula(hidden: str, formula: str) -> None:
    # A spreadsheet trims the blanks or skips the invisible characters and runs the rest.
    assert csv_cell(hidden + formula) == "'" + hidden + formula


@pytest.mark.parametrize("cell", ["\uff1d1+1", "\ufe62x", "\uff0d1", "\uff20x", "\u200e\uff1d1"])
def test_fullwidth_and_small_signs_are_signs(cell: str) -> None:
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell",
    ["", " ", "\u200e", " plain", "\u200eالرياض", "\u00a0Riyadh", "a=b", "1-2", "\u200e12.5",
     "\u2212 3"],
)  # fmt: skip
def test_text_whose_first_visible_character_is_no_sign_is_left_alone(cell: str) -> None:
    assert csv_cell(cell) == cell


def test_pasted_listings_guard_hidden_formulas_too() -> None:
    from verifier.cli.output import write_plain

    out = io.StringIO()
    write_plain(["\u200e=h"], [["\u00a0=HYPERLINK(1)", -3.5, "\u200e-3.5", 7]], out)
    # Cells are laid out for display first (blanks and marks around them go), then guarded.
    assert out.getvalue() == "'\u200e=h\n'=HYPERLINK(1)\t-3.5\t'-3.5\t7\n"


def test_leading_invisible_characters_hide_no_markup() -> None:
    # Markdown and HTML are escaped character by character: what comes first changes nothing.
    for lead in ("\u200e", "\u00a0", "\ufeff", " ", "\u200b\u200f"):
        md = markdown_text(f"{lead}# {IMG} {MARKUP}")
        assert md.endswith("\\# \\<img src=x onerror=alert(1)\\> \\[@click=app\\.quit\\]x\\[/\\]")
        assert html_text(f"{lead}{IMG}") == f"{lead}&lt;img src=x onerror=alert(1)&gt;"
        assert terminal_line(f"{lead}{OSC}x") == f"{lead}]0;xx".strip()


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
