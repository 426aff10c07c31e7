"""A stored document's whole text in memory, folded once, for searching it many times.

The evidence check looks for thousands of quotes in a few dozen documents, so a document's
pages are read and folded once (:func:`load_text`, cached by sha256: a stored document
never changes) and every search is a scan of folded text. A hit gives the page and the
span in the page's text as stored, for showing and highlighting it.

    text = load_text(session, source.file_sha256)
    for hit in text.search("٨٨٫٢", pages=[2, 3]):
        hit.page, text.page(hit.page).text[hit.start:hit.end], hit.context()
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from threading import Lock

from sqlmodel import Session, col, select

from db.models import Document, DocumentPage
from verifier.core.errors import NotFoundError
from verifier.core.evidence.folding import Folded, fold, fold_query
from verifier.core.evidence.reading import PageText
from verifier.core.wording import count

_CACHE_SIZE = 32


@dataclass(frozen=True)
class Hit:
    """Where a phrase was found: the page and the span [start, end) of its stored text."""

    page: int
    start: int
    end: int
    text: str = field(repr=False)  # the page's text

    @property
    def found(self) -> str:
        return self.text[self.start : self.end]

    def context(self, width: int = 60) -> str:
        """The hit with up to ``width`` characters either side, on one line."""
        before = self.text[max(0, self.start - width) : self.start]
        after = self.text[self.end : self.end + width]
        return " ".join(f"{before}{self.found}{after}".split())


class DocumentText:
    """Every page (sheet, section) of one document, folded for search on first use."""

    def __init__(self, sha256: str, text_state: str, pages: list[PageText]) -> None:
        self.sha256 = sha256
        self.text_state = text_state
        self.pages = pages
        self._by_number = {page.number: page for page in pages}
        self._folded: dict[int, Folded] = {}

    @property
    def has_text(self) -> bool:
        return self.text_state == "text"

    @property
    def numbers(self) -> list[int]:
        return [page.number for page in self.pages]

    def page(self, number: int) -> PageText:
        try:
            return self._by_number[number]
        except KeyError:
            raise NotFoundError(
                f"the document has {count(len(self.pages), 'page')}; there is no page {number}"
            ) from None

    def folded(self, number: int) -> Folded:
        """The page's text folded for search (see folding.py), computed once."""
        folded = self._folded.get(number)
        if folded is None:
            folded = self._folded[number] = fold(self.page(number).text)
        return folded

    def search(self, phrase: str, pages: Iterable[int] | None = None, limit: int = 50) -> list[Hit]:
        """Where ``phrase`` occurs, folded the same way: on ``pages`` (in the order given)
        or everywhere, at most ``limit`` hits."""
        wanted = fold_query(phrase)
        if not wanted:
            return []
        numbers = [n for n in pages if n in self._by_number] if pages is not None else self.numbers
        hits: list[Hit] = []
        for number in numbers:
            folded = self.folded(number)
            start = folded.text.find(wanted)
            while start != -1:
                begin, end = folded.span(start, start + len(wanted))
                hits.append(Hit(number, begin, end, self._by_number[number].text))
                if len(hits) >= limit:
                    return hits
                start = folded.text.find(wanted, start + 1)
        return hits

    def pages_mentioning(self, phrases: Iterable[str]) -> list[int]:
        """Pages on which any of ``phrases`` occurs, in document order."""
        folded = [fold_query(p) for p in phrases]
        return [n for n in self.numbers if any(f and f in self.folded(n).text for f in folded)]


_cache: OrderedDict[str, DocumentText] = OrderedDict()
_cache_lock = Lock()


def load_text(session: Session, sha256: str) -> DocumentText:
    """A document's text, read once and kept (the last 32 documents used)."""
    # Keyed by workspace too: a document is only found where it is stored.
    key = f"{session.get_bind().engine.url}|{sha256}"
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    document = session.get(Document, sha256)
    if document is None:
        raise NotFoundError(f"no stored document {sha256[:12]}")
    rows = session.exec(
        select(DocumentPage).where(DocumentPage.sha256 == sha256).order_by(col(DocumentPage.number))
    ).all()
    pages = [
        PageText(r.sha256, r.number, r.kind, r.name, r.anchor, r.text, r.has_text, len(rows))
        for r in rows
    ]
    text = DocumentText(sha256, document.text_state, pages)
    with _cache_lock:
        _cache[key] = text
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return text


def search(
    session: Session, sha256: str, phrase: str, pages: Iterable[int] | None = None
) -> list[Hit]:
    """Search one stored document (see :meth:`DocumentText.search`)."""
    return load_text(session, sha256).search(phrase, pages)
