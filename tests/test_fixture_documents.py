"""The LAS 2024 fixture documents are real documents: every snippet is where its locator says.

Yearbooks and reports are PDFs with a text layer (Arabic ones too), datasets are workbooks,
saved web pages are HTML and the questionnaires are text files. Each item's snippet is read
back from the page, sheet row, section paragraph or questionnaire its locator names.
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from collections import Counter
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
from tests.test_fixture_generator import FIXTURE, ITEM_COLUMNS, _csv, _item_tables

WEB_LOCATOR = re.compile(
    r"section '(.+)', para (\d+)|rubrique « (.+) », paragraphe (\d+)|قسم «(.+)»، الفقرة ([0-9٠-٩]+)"
)
QUESTION = re.compile(r"(?:Q|السؤال )([0-9٠-٩]+)، ?(?:row|الصف) ([0-9٠-٩]+)|Q(\d+), row (\d+)")


ITEM_FILES = {
    "01": "01-statistics-yearbooks.csv",
    "02": "02-ministry-reports.csv",
    "03": "03-international-datasets.xlsx",
    "04": "04-web-extracts.jsonl",
    "05": "05-excel-unicode-text.txt",
}
# Planted errors whose quote is deliberately not at the place the locator names.
MISPLACED = ("wrong_page", "paraphrased_quote", "quote_not_in_document")


@functools.cache
def _pages(path: Path) -> list[str]:
    return pdf_pages(path)


@functools.cache
def _placed_items() -> dict[tuple[str, int], dict[str, str]]:
    """Every item keyed by (items file, row as an editor shows it; JSONL: line)."""
    placed = {}
    for key, table in _item_tables(FIXTURE).items():
        name = ITEM_FILES[key]
        first = 1 if name.endswith(".jsonl") else 2
        for number, row in enumerate(table[1:], start=first):
            placed[name, number] = dict(zip(ITEM_COLUMNS, [*row, ""][:13], strict=True))
    return placed


@functools.cache
def _truth() -> dict[tuple[str, int], dict[str, str]]:
    return {(row["file"], int(row["row"])): row for row in _csv("evidence-truth.csv")}


def _items() -> list[dict[str, str]]:
    return list(_placed_items().values())


def _correct_items() -> list[dict[str, str]]:
    """Items whose quote is where the locator says (all but the misplaced planted ones)."""
    truth = _truth()
    return [
        item
        for key, item in _placed_items().items()
        if key not in truth or truth[key]["error"] not in MISPLACED
    ]


def _documents() -> dict[str, Path]:
    return {row["key"]: FIXTURE / row["file"] for row in _csv("sources.csv") if row["file"]}


def _items_of(suffix: str) -> list[tuple[dict[str, str], Path]]:
    documents = _documents()
    return [
        (item, documents[item["source"]])
        for item in _correct_items()
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


def _document_text(path: Path) -> str:
    """The whole document as one comparable string."""
    if path.suffix == ".pdf":
        return comparable(" ".join(_pages(path)))
    if path.suffix == ".xlsx":
        rows = workbook_rows(path).values()
        return comparable(" ".join(" ".join(row) for sheet in rows for row in sheet))
    if path.suffix == ".html":
        return comparable(" ".join(" ".join(p) for p in html_sections(path).values()))
    return comparable(path.read_text("utf-8"))


def test_planted_errors_are_a_few_percent_spread_over_sources_and_scripts() -> None:
    truth = _truth()
    documented = [item for item in _items() if item["source"] in _documents()]
    assert 0.02 <= len(truth) / len(documented) <= 0.05
    kinds = Counter(row["error"] for row in truth.values())
    assert set(kinds) == {
        "transposed_digits", "neighbour_row_value", "neighbour_year_value", "wrong_page",
        "paraphrased_quote", "quote_not_in_document",
    }  # fmt: skip
    assert min(kinds.values()) >= 10
    assert len({row["source"] for row in truth.values()}) >= 20
    languages = Counter(_placed_items()[key]["language"] for key in truth)
    assert languages["ar"] >= 30 and languages["en"] >= 15 and languages["fr"] >= 10


def test_truth_names_each_planted_item_exactly() -> None:
    placed = _placed_items()
    for key, row in _truth().items():
        item = placed[key]
        assert [item[c] for c in ("source", "locator", "indicator", "city", "year", "value")] == [
            row["source"], row["locator"], row["indicator"], row["city"], row["year"],
            row["value"],
        ], key  # fmt: skip
        assert row["expected_status"] != "match"


def test_planted_value_errors_quote_the_true_value_at_the_true_place() -> None:
    documents = _documents()
    for key, row in _truth().items():
        item, path = _placed_items()[key], documents[row["source"]]
        if row["error"] in ("transposed_digits", "neighbour_row_value", "neighbour_year_value"):
            assert row["true_value"] in item["snippet"] and row["value"] not in item["snippet"]
            assert row["locator"] == row["true_locator"]
        if row["error"] in ("wrong_page", "paraphrased_quote"):
            assert row["value"] == row["true_value"]
        if row["error"] == "wrong_page" and path.suffix == ".pdf":
            pages = _pages(path)
            assert comparable(item["snippet"]) in comparable(pages[int(row["true_page"]) - 1])
            assert comparable(item["snippet"]) not in comparable(pages[page_of(row["locator"]) - 1])
        if row["error"] == "wrong_page" and path.suffix == ".xlsx":
            sheet, number = sheet_cell(row["true_locator"])
            assert sheet == row["true_place"] != sheet_cell(row["locator"])[0]
            cells = workbook_rows(path)[sheet][number - 1]
            assert " ".join(cell for cell in cells if cell) == item["snippet"]


def test_planted_quotes_are_nowhere_in_their_document() -> None:
    documents = _documents()
    for key, row in _truth().items():
        if row["error"] in ("paraphrased_quote", "quote_not_in_document"):
            snippet = _placed_items()[key]["snippet"]
            assert comparable(snippet) not in _document_text(documents[row["source"]]), key


def test_long_yearbook_for_benchmarks(tmp_path: Path) -> None:
    """``generate.py --long-pdf`` writes an N-page Arabic yearbook, the same bytes each time."""
    script = FIXTURE / "generate.py"
    paths = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    for path in paths:
        done = subprocess.run(
            [sys.executable, str(script), "--long-pdf", str(path), "--pages", "12"],
            check=True, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert f"{path}: 12 pages, sha256 " in done.stdout
    assert paths[0].read_bytes() == paths[1].read_bytes()
    pages = pdf_pages(paths[0])
    assert len(pages) == 12
    for number, text in enumerate(pages[1:], start=2):
        assert text.split()[-1].translate(DIGITS) == str(number)
    assert "جدول" in pages[2] and "قراءة في النتائج" in pages[4]
    refused = subprocess.run(
        [sys.executable, str(script), "--long-pdf", str(tmp_path / "c.pdf"), "--pages", "2"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert refused.returncode == 2 and "--pages must be at least 3" in refused.stderr
    assert not (tmp_path / "c.pdf").exists()


@pytest.mark.slow
def test_every_planted_error_is_an_imported_item(tmp_path: Path) -> None:
    """A planted error the import refuses (a transposed figure outside the indicator's
    valid range, say) measures nothing: each truth row must be an item of the workspace."""
    import csv
    import shutil

    from sqlmodel import col, select

    from db.engine import create_workspace_engine
    from db.models import ImportBatch, Item
    from verifier.core.editions import load_edition
    from verifier.core.importing import ImportOptions, import_file
    from verifier.core.workspace import Workspace

    edition = tmp_path / "las2024"
    edition.mkdir()
    for path in FIXTURE.iterdir():
        if path.is_file() and path.suffix in (".csv", ".toml"):
            shutil.copy(path, edition / path.name)
    # The documents play no part in the import: leave them out (storing them is slow).
    with (FIXTURE / "sources.csv").open(encoding="utf-8", newline="") as handle:
        sources = list(csv.DictReader(handle))
    with (edition / "sources.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(sources[0]))
        writer.writeheader()
        writer.writerows({**row, "file": "", "sha256": ""} for row in sources)
    url = f"sqlite:///{tmp_path / 'w.db'}"
    workspace = Workspace(url, create_workspace_engine(url))
    try:
        workspace.initialise()
        load_edition(workspace, edition, "rania.haddad")
        for name in ITEM_FILES.values():
            options = ImportOptions("nour.aziz", auto_match=False)
            import_file(workspace, FIXTURE / "items" / name, options)
        with workspace.reading() as session:
            imported = {
                (Path(name).name, row)
                for name, row in session.exec(
                    select(ImportBatch.file_name, Item.row_number).join(
                        ImportBatch, col(ImportBatch.id) == col(Item.batch_id)
                    )
                )
            }
    finally:
        workspace.close()
    truth = _truth()
    assert len(truth) == 90
    assert sorted(set(truth) - imported) == []
