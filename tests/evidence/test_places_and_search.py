"""Locators resolved against stored documents, and searching their text: the read side
that the evidence check and the document pane use."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evidence.documents import ARABIC_PAGES, ENGLISH_PAGES, make_pdf, make_xlsx
from verifier.core.evidence.extraction import Limits
from verifier.core.evidence.locators import CellRef
from verifier.core.evidence.places import resolve
from verifier.core.evidence.search import DocumentText, load_text, search
from verifier.core.evidence.store import store_document
from verifier.core.workspace import Workspace


def _text(workspace: Workspace, path: Path) -> DocumentText:
    with workspace.session() as session:
        sha256 = store_document(session, path, "layla", Limits(isolated=False)).sha256
    with workspace.reading() as session:
        return load_text(session, sha256)


@pytest.fixture
def arabic(workspace: Workspace, tmp_path: Path) -> DocumentText:
    return _text(workspace, make_pdf(tmp_path / "ar.pdf", ARABIC_PAGES))


@pytest.fixture
def english(workspace: Workspace, tmp_path: Path) -> DocumentText:
    return _text(workspace, make_pdf(tmp_path / "en.pdf", ENGLISH_PAGES, align="L"))


@pytest.fixture
def workbook(workspace: Workspace, tmp_path: Path) -> DocumentText:
    return _text(workspace, make_xlsx(tmp_path / "book.xlsx"))


def test_searching_an_arabic_pdf_finds_logical_text_and_any_digits(arabic: DocumentText) -> None:
    hits = arabic.search("88.2%")
    assert [(h.page, h.found) for h in hits] == [(2, "٨٨٫٢ ٪")]
    assert "نسبة التغطية ٨٨٫٢ ٪ في جدة" in hits[0].context()
    assert [h.page for h in arabic.search("الرياض")] == [2, 2]
    assert arabic.search("الرياض", pages=[3]) == []
    assert [h.page for h in arabic.search("fixed broadband")] == [3]
    assert arabic.search("   ") == []


def test_search_through_the_session_and_the_cache(
    workspace: Workspace, arabic: DocumentText
) -> None:
    with workspace.reading() as session:
        assert load_text(session, arabic.sha256) is arabic  # read once
        assert [h.page for h in search(session, arabic.sha256, "Mbps 25")] == []
        assert [h.page for h in search(session, arabic.sha256, "25 Mbps")] == [2]


@pytest.mark.parametrize(
    ("locator", "pages", "note"),
    [
        ("ص ٢", (2,), ""),
        ("p. 2", (2,), ""),
        ("pp. 2-3", (2, 3), ""),
        ("جدول ٣-٢", (2,), ""),
        ("ص. ٢، جدول ٣-٢، السطر ٢", (2,), ""),
        ("ص. ٣، جدول ٣-٢", (3,), "table 3-2 is on page 2"),
        ("p. 40", (), "page 40 is beyond the document's 3 pages"),
        ("Table 9.9", (), "table 9.9 was not found"),
        ("Broadband!D10", (), "a sheet or cell locator, but the document has pages"),
        ("in the annex", (), "the locator 'in the annex' was not understood"),
        ("", (), "no locator"),
        ("p. 2, near the bottom", (2,), "'near the bottom' not understood"),
        ("https://example.org/r.pdf", (), "the locator is a URL without a place in it"),
        ("https://example.org/r.pdf#page=3", (3,), ""),
    ],
)
def test_locators_resolved_in_a_pdf(
    arabic: DocumentText, locator: str, pages: tuple[int, ...], note: str
) -> None:
    place = resolve(locator, arabic)
    assert (place.pages, place.note) == (pages, note)
    assert place.whole_document == (pages == ())


def test_an_unparseable_locator_says_the_whole_document_is_searched(arabic: DocumentText) -> None:
    place = resolve("see the annex", arabic)
    assert place.describe() == "the whole document (the locator 'see the annex' was not understood)"
    assert resolve("ص ٢", arabic).describe() == "page 2"


def test_english_table_locators(english: DocumentText) -> None:
    place = resolve("Table 3.1, row 21", english)
    assert (place.pages, place.row) == ((2,), 21)


@pytest.mark.parametrize(
    ("locator", "pages", "cell", "note"),
    [
        ("Sheet 'Broadband'!D10", (2,), CellRef(4, 10), ""),
        ("broadband!$D$10", (2,), CellRef(4, 10), ""),
        ("Sheet Broadband, cell C10", (2,), CellRef(3, 10), ""),
        ("Fixed!D10", (), None, "no sheet 'Fixed' (sheets: 'Notes', 'Broadband')"),
        ("p. 2", (2,), None, ""),
        ("D10", (1,), CellRef(4, 10), ""),
    ],
)
def test_locators_resolved_in_a_workbook(
    workbook: DocumentText, locator: str, pages: tuple[int, ...], cell: CellRef | None, note: str
) -> None:
    place = resolve(locator, workbook)
    assert (place.pages, place.cell, place.note) == (pages, cell, note)


def test_a_csv_sheet_answers_to_any_sheet_name(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "speeds.csv"
    path.write_text("city,speed\nRiyadh,25.4\n", encoding="utf-8")
    text = _text(workspace, path)
    place = resolve("Broadband!B2", text)
    assert (place.pages, place.cell, place.row) == ((1,), CellRef(2, 2), 2)
    assert resolve("row 2", text).pages == (1,)


def test_html_sections_by_fragment_and_name(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "stats.html"
    path.write_text(
        "<h1>Report</h1><p>intro</p><h2 id='bb'>Broadband</h2><table id='t31'><caption>"
        "Table 3.1</caption><tr><td>Riyadh</td><td>25.4</td></tr></table>"
        "<h2>Mobile</h2><p>Jeddah 22.1</p>",
        encoding="utf-8",
    )
    text = _text(workspace, path)
    assert resolve("https://example.org/stats.html#t31", text).pages == (2,)
    assert resolve("#bb", text).pages == (2,)
    assert resolve("section Mobile", text).pages == (3,)
    assert resolve("Table 3.1", text).pages == (2,)
    assert resolve("#missing", text).note == "no section 'missing'"
    assert resolve("#:~:text=Jeddah%2022.1", text).pages == (3,)


def test_questions_and_sections_of_a_questionnaire(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "questionnaire.md"
    path.write_text(
        "# استبيان المدن\n\n## السؤال ٤. نسبة الأسر\n| موروني | ٢٠٢٣ | ٧٠٫٤٪ |\n\n"
        "## السؤال ١٤. عدد العدادات\n| جيبوتي | ٢٠٢٣ | 12 |\n",
        encoding="utf-8",
    )
    text = _text(workspace, path)
    assert resolve("السؤال ٤، الصف ١", text).pages == (2,)  # not question 14
    assert resolve("Q14", text).pages == (3,)
    assert resolve("section السؤال ٤", text).pages == (2,)
    assert resolve("السؤال ٩", text).note == "question 9 was not found"


def test_a_table_label_is_not_the_start_of_a_longer_one(
    workspace: Workspace, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "t.pdf", [["Table 3.10: other"], ["Table 3.1: broadband"]], align="L")
    text = _text(workspace, pdf)
    assert resolve("Table 3.1", text).pages == (2,)
    assert resolve("tableau 3.10", text).pages == (1,)
