"""What the document pane shows for an item: the page its quote is on, where the quote and
the value are on that page, or, in a workbook, the cells around the one the locator names.

The pane only draws this. The quote is looked for word for word (after folding, see
``folding.py``), first where the locator points, then anywhere; a page can also be asked
for by number, to page through the document.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import Document, Item, Source
from verifier.core.errors import NotFoundError
from verifier.core.evidence.folding import fold_query
from verifier.core.evidence.locators import CellRef
from verifier.core.evidence.places import Place, resolve
from verifier.core.evidence.reading import PageText, SheetRegion, sheet_region
from verifier.core.evidence.search import DocumentText, load_text

Span = tuple[int, int]

_PASSAGES_KEPT = 256
_passages: OrderedDict[tuple[object, ...], Passage] = OrderedDict()
_passages_lock = Lock()

# A number as written: digits of any script, with the separators between them.
_NUMBER = re.compile(r"\d(?:[\d.,٫٬]*\d)?")
_SEPARATORS = ".,٫٬"


@dataclass(frozen=True)
class Passage:
    """One page (sheet, section) of an item's document, with what to highlight on it."""

    item_id: int
    source_key: str
    sha256: str
    original_name: str
    text_state: str
    count: int  # pages (sheets, sections) in the document
    page: PageText | None  # None: the document has no pages at all
    quote: Span | None  # the quote's span in ``page.text``, when it is on this page
    numbers: tuple[Span, ...]  # where the item's value is written on this page
    region: SheetRegion | None  # a sheet: the cells around the located one
    value_cells: tuple[tuple[int, int], ...]  # (row, column) of cells holding the value
    quote_page: int | None  # where the quote was found (None: nowhere)
    place: Place | None
    note: str  # one sentence: where the quote is, relative to this page and the locator

    @property
    def number(self) -> int:
        return self.page.number if self.page else 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return 0 < self.number < self.count


def item_passage(session: Session, item_id: int, page: int | None = None) -> Passage:
    """The passage of item ``item_id``'s stored document: ``page`` if given, else the page
    the quote is on, else the first the locator points at. NotFoundError when the item's
    source has no stored document.

    The item, its source and the document's name are read in one query; the passage is
    kept (the last few hundred asked for), keyed by everything it is computed from: a
    stored document never changes under its sha256, so paging back, or opening the pane
    again on an item, costs that one query."""
    row = session.execute(
        sa_select(
            col(Item.locator), col(Item.snippet), col(Item.value_text), col(Item.value_number),
            col(Source.key), col(Source.file_sha256), col(Document.original_name),
        )
        .join(Source, col(Source.id) == col(Item.source_id))
        .outerjoin(Document, col(Document.sha256) == col(Source.file_sha256))
        .where(col(Item.id) == item_id)
    ).first()  # fmt: skip
    if row is None:
        raise NotFoundError(f"no item #{item_id}")
    locator, quote, value_text, value_number, source_key, sha256, name = row
    if not sha256:
        raise NotFoundError(f"source '{source_key}' has no document stored in the workspace")
    key = (str(session.get_bind().engine.url), item_id, page, *row)
    with _passages_lock:
        cached = _passages.get(key)
        if cached is not None:
            _passages.move_to_end(key)
            return cached
    text = load_text(session, sha256)
    found = passage(
        session,
        text,
        item_id=item_id,
        source_key=source_key,
        original_name=name or "",
        locator=locator,
        quote=quote,
        value_text=value_text,
        value_number=value_number,
        page=page,
    )
    with _passages_lock:
        _passages[key] = found
        while len(_passages) > _PASSAGES_KEPT:
            _passages.popitem(last=False)
    return found


def passage(
    session: Session,
    text: DocumentText,
    *,
    item_id: int,
    source_key: str,
    original_name: str,
    locator: str,
    quote: str,
    value_text: str,
    value_number: float | None,
    page: int | None = None,
) -> Passage:
    """See :func:`item_passage`; ``text`` is the document's text (``search.load_text``)."""
    place = resolve(locator, text)
    quote_page = _quote_page(text, quote, place)
    count = len(text.pages)
    if count == 0:
        return Passage(item_id, source_key, text.sha256, original_name, text.text_state, 0,
                       None, None, (), None, (), quote_page, place,
                       "The document has no pages.")  # fmt: skip
    number = page or quote_page or (place.pages[0] if place.pages else 1)
    number = min(max(number, 1), count)
    shown = text.page(number)
    quote_span = _span_on(text, quote, number)
    candidates = value_candidates(value_text, value_number)
    numbers = _number_spans(text, candidates, number, quote_span)
    region: SheetRegion | None = None
    cells: tuple[tuple[int, int], ...] = ()
    if shown.kind == "sheet":
        cell = place.cell if place.pages and place.pages[0] == number else None
        region = sheet_region(session, text.sha256, number, cell)
        cells = _value_cells(region, candidates)
    note = _note(text, place, quote, quote_page, number)
    return Passage(item_id, source_key, text.sha256, original_name, text.text_state, count,
                   shown, quote_span, numbers, region, cells, quote_page, place,
                   note)  # fmt: skip


def _quote_page(text: DocumentText, quote: str, place: Place) -> int | None:
    if not quote.strip() or not text.has_text:
        return None
    hits = text.search(quote, place.pages, limit=1) if place.pages else []
    hits = hits or text.search(quote, limit=1)
    return hits[0].page if hits else None


def _span_on(text: DocumentText, quote: str, number: int) -> Span | None:
    if not quote.strip():
        return None
    hits = text.search(quote, [number], limit=1)
    return (hits[0].start, hits[0].end) if hits else None


def value_candidates(value_text: str, value_number: float | None) -> tuple[str, ...]:
    """The ways the item's value may be written in the document, most literal first:
    ``1,234 Mbps`` gives ``1,234`` and ``1234``; ``٩٩٫١٪`` gives ``٩٩٫١``."""
    found: list[str] = []
    match = _NUMBER.search(value_text)
    if match:
        written = match.group()
        found += [written, written.replace(",", "").replace("٬", "")]
    if value_number is not None:
        found += [f"{value_number:g}", f"{value_number:,g}"]
    folded: list[str] = []
    for candidate in found:
        key = fold_query(candidate)
        if key and key not in folded:
            folded.append(key)
    return tuple(folded)


def _whole_number(page_text: str, start: int, end: int) -> bool:
    """Whether [start, end) is a whole number, not part of a longer one (``8`` in ``88``)."""
    before = page_text[start - 1] if start > 0 else " "
    after = page_text[end] if end < len(page_text) else " "
    after_next = page_text[end + 1] if end + 1 < len(page_text) else " "
    if before.isdigit() or after.isdigit():
        return False
    if before in _SEPARATORS and start > 1 and page_text[start - 2].isdigit():
        return False
    return not (after in _SEPARATORS and after_next.isdigit())


def _number_spans(
    text: DocumentText, candidates: tuple[str, ...], number: int, quote: Span | None
) -> tuple[Span, ...]:
    page_text = text.page(number).text
    spans: set[Span] = set()
    for candidate in candidates:
        for hit in text.search(candidate, [number], limit=200):
            if _whole_number(page_text, hit.start, hit.end):
                spans.add((hit.start, hit.end))
    if quote is not None:  # the value inside the quote is the one that counts
        inside = {s for s in spans if quote[0] <= s[0] and s[1] <= quote[1]}
        spans = inside or spans
    return tuple(sorted(spans))


def _value_cells(region: SheetRegion, candidates: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    wanted = {c.replace(",", "") for c in candidates}
    cells: list[tuple[int, int]] = []
    for r, row in enumerate(region.grid):
        for c, value in enumerate(row):
            key = fold_query(value).replace(",", "").rstrip("%").strip()
            if key and key in wanted:
                cells.append((region.top + r, region.left + c))
    return tuple(cells)


def _note(text: DocumentText, place: Place, quote: str, quote_page: int | None, number: int) -> str:
    unit = text.pages[0].kind if text.pages else "page"
    if not text.has_text:
        return "The document has no text layer (a scan?): the quote cannot be looked for."
    if not quote.strip():
        return "The item has no quote to look for."
    if quote_page is None:
        return "The quote was not found word for word anywhere in the document."
    located = place.whole_document or quote_page in place.pages
    where = f"{unit} {quote_page}"
    if quote_page == number:
        said = "" if located else f" (the locator says {place.describe()})"
        return f"The quote is on this {unit}{said}."
    return f"The quote is on {where}, not on this {unit}."


def focus_cell(passage: Passage) -> CellRef | None:
    """The cell the locator names, when the shown sheet holds it."""
    return passage.region.focus if passage.region else None
