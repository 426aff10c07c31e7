"""Read the LAS 2024 fixture documents back the way a reader of each format would.

PDF pages come out of pdfplumber as lines in visual order; Arabic lines are put back in
logical order with the bidi algorithm (which undoes its own reordering for these lines), and
presentation forms are folded to letters (NFKC). The result is the page as a person reads it,
so a snippet copied from the page can be looked up in it.
"""

from __future__ import annotations

import html.parser
import re
import unicodedata
from pathlib import Path

import openpyxl
import pdfplumber
from bidi import get_display

ARABIC = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
HARAKAT = re.compile(r"[\u064b-\u0652\u0670]")
# A glyph the text layer gives no character for (a mark variant HarfBuzz chose).
UNMAPPED = re.compile(r"\(cid:\d+\)")
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalised(text: str) -> str:
    """Compare text as a reader does: folded forms, no harakat, single spaces."""
    text = HARAKAT.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.split())


def comparable(text: str) -> str:
    """A key for containment tests that survives what PDF text extraction does to Arabic.

    A lam-alef ligature comes out in the wrong order once the line is reversed (``األسر``
    for ``الأسر``), a mark can leave a space inside a word, and brackets and percent signs
    can land on the other side of a number; so lam, the alefs, brackets, percent signs and
    spaces are left out on both sides.
    """
    return re.sub(r"[\s()%٪لاأإآ]", "", normalised(text))


def logical_line(line: str) -> str:
    line = UNMAPPED.sub("", line)
    if not ARABIC.search(line):
        return line
    return get_display(unicodedata.normalize("NFKC", line), base_dir="R")


def pdf_pages(path: Path) -> list[str]:
    """Each page's text in reading order, normalised."""
    with pdfplumber.open(path) as pdf:
        return [
            normalised(
                " ".join(logical_line(line) for line in (page.extract_text() or "").split("\n"))
            )
            for page in pdf.pages
        ]


def page_of(locator: str) -> int:
    """The page a yearbook or report locator names (``p. 12, ...`` or ``ص ١٢، ...``)."""
    match = re.match(r"(?:p\.|ص)\s*([0-9٠-٩]+)", locator)
    assert match, locator
    return int(match.group(1).translate(DIGITS))


def sheet_cell(locator: str) -> tuple[str, int]:
    match = re.fullmatch(r"(?:Sheet|Feuille) '(.+)'!D(\d+)", locator)
    assert match, locator
    return match.group(1), int(match.group(2))


def displayed(cell: openpyxl.cell.cell.Cell) -> str:
    """A cell as the spreadsheet shows it (the fixture uses only these number formats)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    decimals = cell.number_format.partition(".")[2].count("0")
    grouping = "," if cell.number_format.startswith("#,##0") else ""
    return f"{value:{grouping}.{decimals}f}"


def workbook_rows(path: Path) -> dict[str, list[list[str]]]:
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: [[displayed(cell) for cell in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


class _Sections(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[str]] = {}
        self.current = ""
        self.open: str | None = None
        self.text = ""
        self.in_section = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.in_section = True
        if tag in ("h2", "p") and self.in_section:
            self.open, self.text = tag, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.in_section = False
        if tag == self.open == "h2":
            self.current = self.text
            self.sections[self.current] = []
        elif tag == self.open == "p":
            self.sections[self.current].append(self.text)
        if tag == self.open:
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open:
            self.text += data


def html_sections(path: Path) -> dict[str, list[str]]:
    """Each section's heading and its paragraphs, in order."""
    parser = _Sections()
    parser.feed(path.read_text("utf-8"))
    return parser.sections
