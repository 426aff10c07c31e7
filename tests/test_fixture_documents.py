"""The LAS 2024 fixture documents are real documents: every snippet is where its locator says.

Yearbooks and reports are PDFs with a text layer (Arabic ones too), datasets are workbooks,
saved web pages are HTML and the questionnaires are text files. Each item's snippet is read
back from the page, sheet row, section paragraph or questionnaire its locator names.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

import pdfplumber
import pytest

from tests.fixture_documents import (
    DIGITS,
    comparable,
    html_sections,
    page_of,
    pdf_pages,
    sheet_cell,
    workbook_rows,
)
from tests.test_fixture_generator import FIXTURE, _csv, _items

WEB_LOCATOR = re.compile(
    r"section '(.+)', para (\d+)|rubrique « (.+) », paragraphe (\d+)|قسم «(.+)»، الفقرة ([0-9٠-٩]+)"
)
QUESTION = re.compile(r"(?:Q|السؤال )([0-9٠-٩]+)، ?(?:row|الصف) ([0-9٠-٩]+)|Q(\d+), row (\d+)")


@functools.cache
def _pages(path: Path) -> list[str]:
    return pdf_pages(path)


def _documents() -> dict[str, Path]:
    return {row["key"]: FIXTURE / row["file"] for row in _csv("sources.csv") if row["file"]}


def _items_of(suffix: str) -> list[tuple[dict[str, str], Path]]:
    documents = _documents()
    return [
        (item, documents[item["source"]])
        for item in _items()
        if item["source"] in documents and documents[item["source"]].suffix == suffix
    ]


def test_every_source_document_is_in_a_real_format() -> None:
    suffixes = {path.suffix for path in _documents().values()}
    assert suffixes == {".pdf", ".xlsx", ".html", ".md", ".txt"}
    for path in _documents().values():
        data = path.read_bytes()
        if path.suffix == ".pdf":
            assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), path.name
        if path.suffix == ".xlsx":
            assert data.startswith(b"PK"), path.name


def test_pdf_snippets_are_on_the_page_the_locator_names() -> None:
    checked = 0
    for item, path in _items_of(".pdf"):
        pages = _pages(path)
        page = page_of(item["locator"])
        assert comparable(item["snippet"]) in comparable(pages[page - 1]), (path.name, item)
        checked += 1
    assert checked > 1500


def test_arabic_pdfs_have_a_text_layer_in_visual_order() -> None:
    """Real producers write Arabic lines in visual order: letters come out reversed."""
    shaped = FIXTURE / "documents" / "sa-stats-yearbook-2023.pdf"
    legacy = FIXTURE / "documents" / "jo-municipal-report-2023.pdf"
    with pdfplumber.open(shaped) as pdf:
        text = pdf.pages[0].extract_text()
        assert "ةيبرعلا ةكلمملل" in text  # "للمملكة العربية", reversed
    with pdfplumber.open(legacy) as pdf:
        text = pdf.pages[0].extract_text()
        # Presentation forms (U+FB50-U+FEFF), as older producers wrote them.
        assert sum("\ufe70" <= ch <= "\ufeff" for ch in text) > 10
    for path in _documents().values():
        if path.suffix == ".pdf":
            assert all(page.strip() for page in _pages(path)), path.name


def test_pdf_pages_are_numbered_as_printed() -> None:
    """Printed page n is page n of the file: its folio is the last line of the page."""
    for path in _documents().values():
        if path.suffix == ".pdf":
            for number, text in enumerate(_pages(path)[1:], start=2):
                assert text.split()[-1].translate(DIGITS) == str(number), (path.name, number)


def test_workbook_snippets_are_the_row_the_locator_names() -> None:
    books: dict[Path, dict[str, list[list[str]]]] = {}
    for item, path in _items_of(".xlsx"):
        sheets = books.setdefault(path, workbook_rows(path))
        sheet, row = sheet_cell(item["locator"])
        cells = sheets[sheet][row - 1]
        assert " ".join(cell for cell in cells if cell) == item["snippet"], item
        assert item["value"] in cells[3], item


def test_web_page_snippets_are_the_paragraph_the_locator_names() -> None:
    for item, path in _items_of(".html"):
        match = WEB_LOCATOR.fullmatch(item["locator"])
        assert match, item["locator"]
        section, number = [group for group in match.groups() if group]
        paragraphs = html_sections(path)[section]
        assert paragraphs[int(number.translate(DIGITS)) - 1] == item["snippet"], item


def test_questionnaire_snippets_are_lines_of_their_question() -> None:
    items = _items_of(".md") + _items_of(".txt")
    assert items
    for item, path in items:
        text = path.read_text("utf-8")
        assert f" | {item['snippet']}\n" in text, item


def test_rendering_is_byte_identical() -> None:
    """The same content gives the same PDF and workbook bytes, run after run."""
    sys.path.insert(0, str(FIXTURE))
    try:
        from generator.document import Book, Heading, Page, Paragraph, Sheet, Table
        from generator.formats import render_workbook
        from generator.pdf import render_pdf
    finally:
        sys.path.remove(str(FIXTURE))
    book = Book("كتاب", "ناشر", "ar", "ar", "موضوع")
    table = Table(("م", "المدينة", "القيمة"), [("١", "الرياض", "٩٥٫٣٪")], (1, 3, 2))
    book.pages = [Page(1, [Heading("عنوان", 1)], cover=True),
                  Page(2, [Paragraph("نص الفقرة 2022."), table])]  # fmt: skip
    assert render_pdf(book) == render_pdf(book)
    sheets = [
        Sheet("Data", [("City", "Country", "Year", "Value"), ("Riyadh", "SA", "2022", "1,234.5")])
    ]
    assert render_workbook("t", sheets, numeric=True) == render_workbook("t", sheets, numeric=True)


@pytest.mark.parametrize("name", ["arab-urban-yearbook-2024.pdf", "ae-stats-yearbook-2023.pdf"])
def test_yearbook_tables_sit_under_their_caption(name: str) -> None:
    """pdfplumber finds the ruled table rows on a table page, in the printed order."""
    with pdfplumber.open(FIXTURE / "documents" / name) as pdf:
        words = pdf.pages[-1].extract_words()
    assert len(words) > 20
