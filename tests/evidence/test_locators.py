"""Each locator form sources use, parsed into a place; what is not understood says so."""

from __future__ import annotations

import pytest

from verifier.core.evidence.locators import CellRef, column_letters, column_number, parse_locator


@pytest.mark.parametrize(
    ("raw", "first", "last"),
    [
        ("p. 12", 12, 12),
        ("p.12", 12, 12),
        ("page 12", 12, 12),
        ("Page 12", 12, 12),
        ("pp. 12-13", 12, 13),
        ("pp. 12–13", 12, 13),
        ("pages 4 to 6", 4, 6),
        ("ص ١٣", 13, 13),
        ("ص. ١٣", 13, 13),
        ("صفحة ۱۳", 13, 13),  # Persian digits
        ("ص ١٢-١٣", 12, 13),
        ("\u200fص ١٣\u200f", 13, 13),  # direction marks pasted with the locator
        ("12", 12, 12),
    ],
)
def test_page_forms(raw: str, first: int, last: int) -> None:
    locator = parse_locator(raw)
    assert locator.understood
    assert (locator.first_page, locator.last_page or locator.first_page) == (first, last)
    assert locator.ignored == ()
    assert list(locator.pages or []) == list(range(first, last + 1))


def test_arabic_page_table_and_line() -> None:
    locator = parse_locator("ص. ١٣، جدول ٣-٢، السطر ٢١")
    assert (locator.first_page, locator.table, locator.line) == (13, "3-2", 21)
    assert locator.table_key == "3.2"
    assert locator.describe() == "page 13, table 3-2, line 21"


def test_table_and_row() -> None:
    locator = parse_locator("Table 3.1, row 21")
    assert (locator.first_page, locator.table, locator.row) == (None, "3.1", 21)
    assert locator.table_key == "3.1"
    assert locator.understood
    assert locator.describe() == "table 3.1, row 21"


@pytest.mark.parametrize(
    ("raw", "sheet", "cell"),
    [
        ("Sheet 'Broadband'!D10", "Broadband", "D10"),
        ("'Broadband'!D10", "Broadband", "D10"),
        ("Broadband!D10", "Broadband", "D10"),
        ("Broadband!$D$10", "Broadband", "D10"),
        ("'Fixed broadband 2023'!AB7", "Fixed broadband 2023", "AB7"),
        ("'It''s here'!A1", "It's here", "A1"),
        ("Sheet Broadband, cell D10", "Broadband", "D10"),
    ],
)
def test_sheet_and_cell(raw: str, sheet: str, cell: str) -> None:
    locator = parse_locator(raw)
    assert locator.sheet == sheet
    assert locator.cell is not None and locator.cell.label == cell
    assert locator.ignored == ()


def test_cell_range() -> None:
    locator = parse_locator("Data!B2:D4")
    assert (locator.sheet, locator.cell, locator.cell_end) == ("Data", CellRef(2, 2), CellRef(4, 4))
    assert locator.describe() == "sheet 'Data', cell B2:D4"


@pytest.mark.parametrize(
    ("raw", "page", "section", "url"),
    [
        ("https://example.org/report.pdf#page=4", 4, None, "https://example.org/report.pdf"),
        ("#page=7&zoom=100", 7, None, None),
        (
            "https://example.org/stats.html#broadband-2023",
            None,
            "broadband-2023",
            "https://example.org/stats.html",
        ),
        ("#%D8%A7%D9%84%D8%A7%D8%AA%D8%B5%D8%A7%D9%84%D8%A7%D8%AA", None, "الاتصالات", None),
    ],
)
def test_url_fragments(raw: str, page: int | None, section: str | None, url: str | None) -> None:
    locator = parse_locator(raw)
    assert (locator.first_page, locator.section, locator.url) == (page, section, url)
    assert locator.understood


def test_text_fragment_is_a_quote() -> None:
    locator = parse_locator("https://example.org/a.html#:~:text=fixed%20broadband")
    assert locator.quote == "fixed broadband"


def test_a_url_without_a_fragment_means_the_whole_document() -> None:
    locator = parse_locator("https://example.org/report.pdf")
    assert locator.url == "https://example.org/report.pdf"
    assert not locator.understood
    assert locator.describe() == "the whole document"


@pytest.mark.parametrize(
    "raw", ["", None, "somewhere in the annex", "see footnote", "p. 0", "pp. 13-12"]
)
def test_unparseable_locators_mean_the_whole_document(raw: str | None) -> None:
    locator = parse_locator(raw)
    assert not locator.understood
    assert locator.pages is None
    assert locator.describe() == "the whole document"
    if raw:
        assert locator.ignored == (raw,)


def test_partly_understood_locators_keep_what_was_not() -> None:
    locator = parse_locator("p. 12, near the bottom")
    assert locator.first_page == 12
    assert locator.ignored == ("near the bottom",)


def test_column_letters_round_trip() -> None:
    for number in (1, 26, 27, 52, 702, 703, 16384):
        assert column_number(column_letters(number)) == number
    assert column_letters(16384) == "XFD"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ص 31، الفقرة 2", {"first_page": 31, "paragraph": 2}),
        ("p. 17, paragraphe 3", {"first_page": 17, "paragraph": 3}),
        ("السؤال ٤، الصف ١", {"question": 4, "row": 1}),
        ("Q4, row 2", {"question": 4, "row": 2}),
        ("p. 12, tableau 3.3, ligne 1", {"first_page": 12, "table": "3.3", "line": 1}),
        (
            "rubrique « Eau et assainissement », paragraphe 1",
            {"section": "Eau et assainissement", "paragraph": 1},
        ),
        ("قسم «التنقل»، الفقرة ١", {"section": "التنقل", "paragraph": 1}),
        ("feuille 'Broadband', colonne D", {"sheet": "Broadband", "column": "D"}),
    ],
)
def test_paragraphs_questions_and_french_keywords(raw: str, expected: dict[str, object]) -> None:
    locator = parse_locator(raw)
    assert {name: getattr(locator, name) for name in expected} == expected
    assert locator.ignored == ()
