"""Storing a document in the workspace: its bytes once per sha256, its text extracted once.

The same bytes stored again (by another source, another edition load, another reviewer)
are found by their sha256 and neither copied nor extracted again. Everything is written in
the caller's transaction: a document whose text cannot be read leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from db.bulk import bulk_insert
from db.models import (
    Document,
    DocumentCell,
    DocumentChunk,
    DocumentPage,
    TextState,
    table_of,
)
from db.types import utcnow
from verifier.core.evidence.extracted import Cell, Finished, Unit
from verifier.core.evidence.extraction import Limits, extract_to_file, read_extracted
from verifier.core.evidence.intake import BLOCK, MEDIA_TYPES, sha256_of, spooled
from verifier.core.text import clean_stored

_BATCH = 5000  # rows per insert: bounded memory for large workbooks


@dataclass(frozen=True)
class Stored:
    """The outcome of storing: the document's sha256 and whether it was new."""

    sha256: str
    created: bool
    size: int
    format: str
    text_state: str
    unit_count: int


def stored(document: Document, created: bool) -> Stored:
    return Stored(
        document.sha256, created, document.size, document.format, document.text_state,
        document.unit_count,
    )  # fmt: skip


def store_document(
    session: Session,
    path: Path,
    actor: str,
    limits: Limits | None = None,
    *,
    shown_as: str | None = None,
) -> Stored:
    """Store the document at ``path`` (or find it already stored). ``shown_as`` names the
    file in errors (default: the path). Raises DocumentError for a document that cannot be
    stored: not a regular file, over the size limit, empty, of an unsupported kind,
    encrypted, damaged, or not read within the limits."""
    limits = limits or Limits()
    label = shown_as or str(path)
    # Hash first, without copying: a document already stored costs one read.
    digest, _ = sha256_of(path, limits.max_bytes)
    known = session.get(Document, digest)
    if known is not None:
        return stored(known, False)
    with spooled(path, limits.max_bytes) as copy:
        known = session.get(Document, copy.sha256)  # the file changed since it was hashed
        if known is not None:
            return stored(known, False)
        extracted = extract_to_file(copy, limits, label)
        units, any_text, extractor = 0, False, ""
        for item in read_extracted(extracted):
            if isinstance(item, Unit):
                units += 1
                any_text = any_text or item.has_text
            elif isinstance(item, Finished):
                extractor = item.extractor
        document = Document(
            sha256=copy.sha256,
            size=copy.size,
            format=copy.format,
            media_type=MEDIA_TYPES[copy.format],
            original_name=clean_stored(copy.original_name)[:255],
            text_state=TextState.TEXT if any_text else TextState.NO_TEXT_LAYER,
            unit_count=units,
            extractor=extractor[:100],
            stored_by=actor,
            stored_at=utcnow(),
        )
        session.add(document)
        session.flush()
        _write_chunks(session, copy.path, copy.sha256)
        _write_text(session, extracted, copy.sha256)
    return stored(document, True)


def _write_chunks(session: Session, path: Path, sha256: str) -> None:
    connection = session.connection()
    table = table_of(DocumentChunk)
    with path.open("rb") as handle:
        position = 0
        while block := handle.read(BLOCK):
            connection.execute(table.insert().values(sha256=sha256, position=position, data=block))
            position += 1


def _write_text(session: Session, extracted: Path, sha256: str) -> None:
    connection = session.connection()
    pages, cells = table_of(DocumentPage), table_of(DocumentCell)
    page_rows: list[dict[str, object]] = []
    cell_rows: list[dict[str, object]] = []
    for item in read_extracted(extracted):
        if isinstance(item, Unit):
            page_rows.append(
                {
                    "sha256": sha256, "number": item.number, "kind": item.kind,
                    "name": item.name, "anchor": item.anchor, "text": item.text,
                    "has_text": item.has_text, "rows": item.rows, "columns": item.columns,
                }
            )  # fmt: skip
        elif isinstance(item, Cell):
            cell_rows.append(
                {"sha256": sha256, "sheet": item.sheet, "row": item.row,
                 "column": item.column, "text": item.text}
            )  # fmt: skip
        if len(page_rows) >= 200:
            bulk_insert(connection, pages, page_rows)
            page_rows = []
        if len(cell_rows) >= _BATCH:
            bulk_insert(connection, cells, cell_rows)
            cell_rows = []
    bulk_insert(connection, pages, page_rows)
    bulk_insert(connection, cells, cell_rows)
