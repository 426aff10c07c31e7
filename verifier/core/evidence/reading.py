"""Reading stored documents back: what a document is, its pages, a sheet's cells, its bytes.

Every function takes a session and a document's sha256 (``source.file_sha256``). A
stored document never changes, so what is read may be cached by sha256 (see
``search.load_text``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from db.models import Document, DocumentCell, DocumentChunk, DocumentPage, Source, table_of
from verifier.core.errors import NotFoundError
from verifier.core.evidence.locators import CellRef
from verifier.core.wording import count


@dataclass(frozen=True)
class PageInfo:
    number: int
    kind: str  # "page", "sheet", "section"
    name: str
    anchor: str
    has_text: bool
    chars: int
    rows: int
    columns: int


@dataclass(frozen=True)
class DocumentInfo:
    sha256: str
    size: int
    stored_size: int  # the bytes the workspace holds for it
    format: str
    media_type: str
    original_name: str
    text_state: str
    unit_count: int
    extractor: str
    stored_by: str
    stored_at: datetime
    pages: tuple[PageInfo, ...]

    @property
    def unit(self) -> str:
        """What the document is divided into: "page", "sheet" or "section"."""
        return self.pages[0].kind if self.pages else "page"

    @property
    def has_text(self) -> bool:
        return self.text_state == "text"


@dataclass(frozen=True)
class PageText:
    sha256: str
    number: int
    kind: str
    name: str
    anchor: str
    text: str
    has_text: bool
    count: int  # how many pages (sheets, sections) the document has

    @property
    def label(self) -> str:
        """``page 3 of 12``, ``sheet 'Broadband' (2 of 3)``, ``section 'Internet' (4 of 9)``."""
        if self.name:
            return f"{self.kind} '{self.name}' ({self.number} of {self.count})"
        return f"{self.kind} {self.number} of {self.count}"


@dataclass(frozen=True)
class SheetRegion:
    """A rectangle of a sheet: ``grid[r][c]`` is the cell at row ``top + r``, column
    ``left + c`` ("" when empty); ``focus`` is the cell asked about, if any."""

    sheet: int
    name: str
    top: int
    left: int
    grid: tuple[tuple[str, ...], ...]
    focus: CellRef | None
    rows: int  # the sheet's extent
    columns: int

    @property
    def bottom(self) -> int:
        return self.top + len(self.grid) - 1

    @property
    def right(self) -> int:
        return self.left + (len(self.grid[0]) if self.grid else 0) - 1

    def cell(self, row: int, column: int) -> str:
        if self.top <= row <= self.bottom and self.left <= column <= self.right:
            return self.grid[row - self.top][column - self.left]
        return ""


def document_info(session: Session, sha256: str) -> DocumentInfo | None:
    document = session.get(Document, sha256)
    if document is None:
        return None
    stored_size = session.exec(
        select(func.coalesce(func.sum(func.length(DocumentChunk.data)), 0)).where(
            DocumentChunk.sha256 == sha256
        )
    ).one()
    table = table_of(DocumentPage).c
    query = sa_select(
        table.number, table.kind, table.name, table.anchor, table.has_text,
        func.length(table.text), table.rows, table.columns,
    )  # fmt: skip
    query = query.where(col(DocumentPage.sha256) == sha256)
    pages = session.execute(query.order_by(col(DocumentPage.number))).all()
    return DocumentInfo(
        sha256=document.sha256,
        size=document.size,
        stored_size=int(stored_size),
        format=document.format,
        media_type=document.media_type,
        original_name=document.original_name,
        text_state=document.text_state,
        unit_count=document.unit_count,
        extractor=document.extractor,
        stored_by=document.stored_by,
        stored_at=document.stored_at,
        pages=tuple(PageInfo(*row) for row in pages),
    )


def source_document(session: Session, key: str) -> tuple[Source, DocumentInfo | None]:
    """A source and its stored document (None when it has none)."""
    source = session.exec(select(Source).where(Source.key == key)).first()
    if source is None:
        known = ", ".join(session.exec(select(Source.key).order_by(col(Source.key))).all())
        raise NotFoundError(f"no source '{key}' (sources: {known or 'none'})")
    if not source.file_sha256:
        return source, None
    return source, document_info(session, source.file_sha256)


def _page(session: Session, sha256: str, number: int) -> DocumentPage | None:
    return session.get(DocumentPage, (sha256, number))


def page_text(session: Session, sha256: str, number: int) -> PageText:
    """One page (sheet, section); NotFoundError names the document's range when outside."""
    document = session.get(Document, sha256)
    if document is None:
        raise NotFoundError(f"no stored document {sha256[:12]}")
    page = _page(session, sha256, number)
    if page is None:
        raise NotFoundError(
            f"the document has {count(document.unit_count, 'page')}; there is no page {number}"
        )
    return _page_text(page, document.unit_count)


def _page_text(page: DocumentPage, count: int) -> PageText:
    return PageText(
        page.sha256, page.number, page.kind, page.name, page.anchor, page.text, page.has_text,
        count,
    )  # fmt: skip


def pages_around(
    session: Session, sha256: str, number: int, before: int = 1, after: int = 1
) -> list[PageText]:
    """The page and its neighbours that exist, in order (for "previous" and "next")."""
    document = session.get(Document, sha256)
    if document is None:
        raise NotFoundError(f"no stored document {sha256[:12]}")
    rows = session.exec(
        select(DocumentPage)
        .where(
            DocumentPage.sha256 == sha256,
            col(DocumentPage.number) >= number - before,
            col(DocumentPage.number) <= number + after,
        )
        .order_by(col(DocumentPage.number))
    ).all()
    return [_page_text(row, document.unit_count) for row in rows]


def sheet_number(session: Session, sha256: str, name: str) -> int | None:
    """The sheet called ``name`` (case and surrounding spaces do not matter)."""
    wanted = name.strip().casefold()
    for number, sheet in session.exec(
        select(DocumentPage.number, DocumentPage.name).where(DocumentPage.sha256 == sha256)
    ):
        if sheet.strip().casefold() == wanted:
            return int(number)
    return None


def sheet_region(
    session: Session,
    sha256: str,
    sheet: int,
    around: CellRef | None = None,
    rows: int = 7,
    columns: int = 4,
) -> SheetRegion:
    """The cells of ``sheet`` around ``around``: ``rows`` rows above and below, ``columns``
    columns either side (clipped at the sheet's edge). Without a cell: the top-left."""
    page = _page(session, sha256, sheet)
    if page is None or page.kind != "sheet":
        raise NotFoundError(f"the document has no sheet {sheet}")
    if around is None:
        top, left, bottom, right = 1, 1, 2 * rows + 1, 2 * columns + 1
    else:
        top, left = max(1, around.row - rows), max(1, around.column - columns)
        bottom, right = around.row + rows, around.column + columns
    bottom = max(top, min(bottom, max(page.rows, around.row if around else 1)))
    right = max(left, min(right, max(page.columns, around.column if around else 1)))
    grid = [["" for _ in range(left, right + 1)] for _ in range(top, bottom + 1)]
    cells = session.exec(
        select(DocumentCell.row, DocumentCell.column, DocumentCell.text).where(
            DocumentCell.sha256 == sha256,
            DocumentCell.sheet == sheet,
            col(DocumentCell.row).between(top, bottom),
            col(DocumentCell.column).between(left, right),
        )
    )
    for row, column, text in cells:
        grid[row - top][column - left] = text
    return SheetRegion(
        sheet, page.name, top, left, tuple(tuple(r) for r in grid), around, page.rows,
        page.columns,
    )  # fmt: skip


def document_bytes(session: Session, sha256: str) -> Iterator[bytes]:
    """The stored bytes, chunk by chunk (never the whole document in memory)."""
    position = 0
    while True:
        chunk = session.get(DocumentChunk, (sha256, position))
        if chunk is None:
            return
        yield bytes(chunk.data)
        session.expunge(chunk)
        position += 1


def save_copy(session: Session, sha256: str, target: Path) -> Path:
    """Write the stored document to ``target`` (a file, or a folder to put it in under its
    original name); the path written."""
    document = session.get(Document, sha256)
    if document is None:
        raise NotFoundError(f"no stored document {sha256[:12]}")
    if target.is_dir():
        target = target / (Path(document.original_name).name or f"{sha256[:12]}")
    with target.open("wb") as handle:
        for chunk in document_bytes(session, sha256):
            handle.write(chunk)
    return target
