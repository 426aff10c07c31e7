"""A locator resolved against a stored document: which pages, sheet or cell to look at first.

The evidence check looks there first, then everywhere; the document pane opens there. When
the locator cannot be used (not understood, a page beyond the document, a sheet it does
not have), the place is the whole document and ``note`` says why, in words for the
reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.core import wording
from verifier.core.evidence.folding import fold_query
from verifier.core.evidence.locators import CellRef, Locator, parse_locator
from verifier.core.evidence.search import DocumentText

# How tables and questions are named in documents, to find the page of "Table 3.1",
# "جدول ٣-٢" or "السؤال ٤".
_TABLE_WORDS = ("table", "tableau", "tab.", "tbl.", "جدول", "الجدول")
_QUESTION_WORDS = ("question", "q.", "q", "سؤال", "السؤال")


@dataclass(frozen=True)
class Place:
    locator: Locator
    pages: tuple[int, ...] = ()  # pages (sheets, sections) to look at first; () = everywhere
    cell: CellRef | None = None  # in the first of ``pages``, a sheet
    cell_end: CellRef | None = None
    row: int | None = None  # a sheet's row, or a table's row as the locator says
    line: int | None = None
    note: str = ""  # why the locator was not (fully) used; "" when it was

    @property
    def whole_document(self) -> bool:
        return not self.pages

    def describe(self) -> str:
        """``page 13`` / ``the whole document (the locator 'annex' was not understood)``."""
        where = "the whole document" if self.whole_document else self.locator.describe()
        return f"{where} ({self.note})" if self.note else where


def resolve(locator: Locator | str | None, text: DocumentText) -> Place:
    """Where ``locator`` points in the document whose text is ``text``."""
    if not isinstance(locator, Locator):
        locator = parse_locator(locator)
    ignored = _ignored_note(locator)
    if not locator.understood:
        if not locator.raw.strip():
            return Place(locator, note="no locator")
        if locator.url and not locator.ignored:
            return Place(locator, note="the locator is a URL without a place in it")
        return Place(locator, note=f"the locator '{locator.raw}' was not understood")
    kind = text.pages[0].kind if text.pages else "page"
    if kind == "sheet":
        place = _in_workbook(locator, text)
    elif kind == "section":
        place = _in_sections(locator, text)
    else:
        place = _in_pages(locator, text)
    if ignored:
        joined = "; ".join(part for part in (place.note, ignored) if part)
        place = Place(place.locator, place.pages, place.cell, place.cell_end, place.row,
                      place.line, joined)  # fmt: skip
    return place


def _ignored_note(locator: Locator) -> str:
    if not locator.ignored:
        return ""
    parts = ", ".join(f"'{part}'" for part in locator.ignored)
    return f"{parts} not understood"


def _page_range(locator: Locator, text: DocumentText) -> tuple[tuple[int, ...], str]:
    assert locator.pages is not None
    count = len(text.pages)
    pages = tuple(n for n in locator.pages if 1 <= n <= count)
    if pages:
        return pages, ""
    first = locator.first_page
    return (), f"page {first} is beyond the document's {wording.count(count, 'page')}"


def _labelled_pages(text: DocumentText, words: tuple[str, ...], label: str) -> list[int]:
    """Pages whose folded text names ``label`` after one of ``words`` ("table 3.1",
    "جدول ٣-١", "السؤال ٤"), the label's parts joined by ".", "-" or "/", and not followed
    by another digit (table 3.1 is not table 3.10)."""
    parts = [re.escape(part) for part in re.split(r"[.\-/]", fold_query(label)) if part]
    if not parts:
        return []
    word = "|".join(re.escape(fold_query(w)) for w in words)
    pattern = re.compile(
        rf"(?:{word})\s*(?:no\.?\s*|n°\s*|رقم\s*)?"
        + r"\s*[.\-/]\s*".join(parts)
        + r"(?![\d.]\d)(?!\d)"
    )
    return [n for n in text.numbers if pattern.search(text.folded(n).text)]


def _table_pages(locator: Locator, text: DocumentText, within: tuple[int, ...]) -> list[int]:
    assert locator.table is not None
    found = _labelled_pages(text, _TABLE_WORDS, locator.table)
    return [n for n in found if not within or n in within]


def _in_pages(locator: Locator, text: DocumentText) -> Place:
    if locator.sheet is not None or locator.cell is not None:
        return Place(locator, note="a sheet or cell locator, but the document has pages")
    pages: tuple[int, ...] = ()
    note = ""
    if locator.pages is not None:
        pages, note = _page_range(locator, text)
        if not pages:
            return Place(locator, note=note)
    if locator.table is not None:
        on = _table_pages(locator, text, ())
        if not pages:
            if not on:
                return Place(locator, note=f"table {locator.table} was not found")
            pages = tuple(on)
        elif on and not set(on) & set(pages):
            note = f"table {locator.table} is on page {', '.join(map(str, on))}"
    if not pages and locator.question is not None:
        return _question(locator, text)
    if not pages and locator.section is not None:
        return Place(locator, note=f"a section locator ('{locator.section}') in a paged document")
    if not pages and locator.quote is not None:
        pages = tuple(n for n in text.numbers if text.search(locator.quote, [n], limit=1))
    return Place(locator, pages, row=locator.row, line=locator.line, note=note)


def _in_workbook(locator: Locator, text: DocumentText) -> Place:
    sheets = text.pages
    chosen: int | None = None
    if locator.sheet is not None:
        wanted = locator.sheet.strip().casefold()
        chosen = next((s.number for s in sheets if s.name.strip().casefold() == wanted), None)
        if chosen is None:
            if len(sheets) == 1:  # a CSV file: its one sheet, whatever the locator calls it
                chosen = sheets[0].number
            else:
                names = ", ".join(f"'{s.name}'" for s in sheets)
                return Place(locator, note=f"no sheet '{locator.sheet}' (sheets: {names})")
    elif locator.first_page is not None:
        if locator.first_page > len(sheets):
            return Place(locator, note=f"sheet {locator.first_page} is beyond the workbook's "
                                       f"{wording.count(len(sheets), 'sheet')}")  # fmt: skip
        chosen = locator.first_page
    elif len(sheets) == 1 or locator.cell is not None or locator.row is not None:
        chosen = sheets[0].number
    if chosen is None:
        return Place(locator, note="the locator names no sheet")
    cell, row = locator.cell, locator.row
    return Place(
        locator, (chosen,), cell, locator.cell_end, row=row or (cell.row if cell else None)
    )


def _in_sections(locator: Locator, text: DocumentText) -> Place:
    sections = text.pages
    if locator.section is not None:
        wanted = locator.section.strip()
        by_anchor = [s.number for s in sections if wanted in s.anchor.split()]
        folded = fold_query(wanted)
        by_name = [s.number for s in sections if fold_query(s.name).startswith(folded)]
        found = by_anchor or by_name
        if not found:
            return Place(locator, note=f"no section '{wanted}'")
        return Place(locator, tuple(found), line=locator.line)
    if locator.first_page is not None:
        pages, note = _page_range(locator, text)
        return Place(locator, pages, line=locator.line, note=note)
    if locator.question is not None:
        return _question(locator, text)
    if locator.table is not None:
        on = _table_pages(locator, text, ())
        if on:
            return Place(locator, tuple(on), row=locator.row)
        return Place(locator, note=f"table {locator.table} was not found")
    if locator.quote is not None:
        pages = tuple(n for n in text.numbers if text.search(locator.quote, [n], limit=1))
        return Place(locator, pages)
    return Place(locator, note="the locator names no section")


def _question(locator: Locator, text: DocumentText) -> Place:
    """A questionnaire's question: the sections (pages) that name it."""
    assert locator.question is not None
    found = _labelled_pages(text, _QUESTION_WORDS, str(locator.question))
    if not found:
        return Place(locator, note=f"question {locator.question} was not found")
    return Place(locator, tuple(found), row=locator.row, line=locator.line)
