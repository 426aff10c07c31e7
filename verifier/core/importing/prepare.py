"""Everything an import does before it writes: read, parse, validate, match, and sort out
duplicates, with no write lock held. The result, a ``PreparedImport``, is what
``writer.py`` then stores in one short write transaction.

Nothing here writes to the workspace, so a colleague's decisions, and every reader, go on
while a large file is being prepared.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.bulk import BoundRows, bind_rows
from db.models import ImportBatch, Item, table_of
from verifier.core.importing.columns import resolve_columns
from verifier.core.importing.rawrows import RawTable, cell_text
from verifier.core.importing.readers import detect_format, read_bytes, read_table
from verifier.core.importing.reference import ReferenceIndex
from verifier.core.importing.rows import RowValidator
from verifier.core.importing.validation import validate_all
from verifier.core.people.roles import require_decider, reviewer_role
from verifier.core.workspace import Workspace, resolve_edition

if TYPE_CHECKING:
    from verifier.core.importing.batch import ImportOptions

Progress = Callable[[str, int, int], None]
# Item columns the same for every row of a batch, given when it is written (the batch id is
# known only then): its rows are converted for the database's driver ahead, without them.
BATCH_COLUMNS = ("edition_id", "batch_id", "status", "created_at", "version")
IN_LIMIT = 900  # SQLite's bound-parameter limit is 999 on old builds
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class PreparedImport:
    """A file read, validated and matched, ready to be written as one batch."""

    path: Path
    sha256: str
    edition_id: int
    table: RawTable
    column_map: dict[str, str]
    ignored_columns: tuple[str, ...]
    # Accepted rows (the ``item`` columns but those of the batch), in file order.
    items: list[dict[str, Any]] = field(default_factory=list)
    # Refused rows: row_number, kind ("invalid" or "duplicate"), reason, raw.
    refused: list[dict[str, Any]] = field(default_factory=list)
    # The newest batch of the edition when duplicates were looked for: the write checks
    # again only the items of batches that came after it.
    newest_batch: int = 0
    matched: bool = False
    already_imported_as: int | None = None
    # The raw cells of each accepted row, by row number, in case it turns out a duplicate.
    raw_rows: dict[int, dict[str, Any]] = field(default_factory=dict)
    # ``items`` converted for the driver, but for BATCH_COLUMNS (None: no items).
    bound: BoundRows | None = None

    def refuse(self, number: int, kind: str, reason: str, raw: dict[str, Any]) -> None:
        self.refused.append(
            {"row_number": number, "kind": kind, "reason": reason, "raw": _jsonable(raw)}
        )

    def drop_duplicates(self, existing: dict[str, tuple[int, int, int]]) -> None:
        """Refuse, as duplicates, the rows whose fact is already in the workspace."""
        if not existing:
            return
        kept: list[int] = []
        for index, values in enumerate(self.items):
            earlier = existing.get(values["fingerprint"])
            if earlier is None:
                kept.append(index)
                continue
            item_id, batch_id, row_number = earlier
            reason = f"already imported as item {item_id} (batch {batch_id}, row {row_number})"
            number = values["row_number"]
            self.refuse(number, "duplicate", reason, self.raw_rows[number])
        self.items = [self.items[index] for index in kept]
        if self.bound is not None:
            self.bound.keep(kept)


def prepare_import(
    workspace: Workspace, path: Path, options: ImportOptions, progress: Progress | None = None
) -> PreparedImport:
    data = read_bytes(path, options.limits)
    digest = hashlib.sha256(data).hexdigest()
    fmt = detect_format(path, options.format)
    table = read_table(path, data, fmt, options.encoding, options.limits)
    header_row = None if fmt == "jsonl" else 1
    columns = resolve_columns(path, table.header, options.column_map, header_row=header_row)
    with workspace.reading() as session:
        edition = resolve_edition(session, options.edition)
        assert edition.id is not None
        prepared = PreparedImport(
            path, digest, edition.id, table, columns.as_dict(), columns.ignored
        )
        prepared.already_imported_as = batch_with_digest(session, edition.id, digest)
        if prepared.already_imported_as is not None:
            return prepared
        if reviewer_role(session, options.user) is not None:
            # Refused now rather than after the work; a first reviewer (who becomes the
            # lead) is registered by the write.
            require_decider(session, options.user)
        reference = ReferenceIndex.load(session, edition.id)
        matcher = None
        if options.auto_match:
            from verifier.core.cities.automatic import ImportMatcher

            matcher = ImportMatcher(session, edition.id)
        prepared.newest_batch = newest_batch(session, edition.id)
    _validate(prepared, RowValidator(columns, reference, options.user), progress)
    with workspace.reading() as session:
        fingerprints = [values["fingerprint"] for values in prepared.items]
        prepared.drop_duplicates(existing_items(session, edition.id, fingerprints))
    if matcher is not None and prepared.items:
        matcher.annotate(prepared.items)
        prepared.matched = True
    if prepared.items:
        dialect = workspace.engine.dialect
        prepared.bound = bind_rows(dialect, table_of(Item), prepared.items, BATCH_COLUMNS)
    return prepared


def _validate(prepared: PreparedImport, validator: RowValidator, progress: Progress | None) -> None:
    """Validation (on both cores for large files); a fact repeated within the file is kept
    once, at its first row."""
    rows = prepared.table.rows
    total = len(rows)

    def report(done: int) -> None:
        if progress is not None:
            progress("validating", done, total)

    first_row: dict[str, int] = {}
    for row, values, reason in validate_all(rows, validator, report):
        if values is None:
            prepared.refuse(row.number, "invalid", reason, row.raw)
            continue
        first = first_row.setdefault(values["fingerprint"], values["row_number"])
        if first != values["row_number"]:
            reason = (
                f"duplicate of row {first} of this file (same source, locator, indicator and city)"
            )
            prepared.refuse(values["row_number"], "duplicate", reason, row.raw)
            continue
        prepared.raw_rows[values["row_number"]] = row.raw
        prepared.items.append(values)


def batch_with_digest(session: Session, edition_id: int, digest: str) -> int | None:
    query = select(ImportBatch.id).where(
        ImportBatch.edition_id == edition_id, ImportBatch.file_sha256 == digest
    )
    return session.exec(query).first()


def newest_batch(session: Session, edition_id: int) -> int:
    query = select(func.max(ImportBatch.id)).where(ImportBatch.edition_id == edition_id)
    return session.exec(query).one() or 0


def existing_items(
    session: Session, edition_id: int, fingerprints: list[str]
) -> dict[str, tuple[int, int, int]]:
    """(item id, batch id, row number) of the edition's items with these fingerprints."""
    found: dict[str, tuple[int, int, int]] = {}
    for start in range(0, len(fingerprints), IN_LIMIT):
        query = select(Item.fingerprint, Item.id, Item.batch_id, Item.row_number).where(
            Item.edition_id == edition_id,
            col(Item.fingerprint).in_(fingerprints[start : start + IN_LIMIT]),
        )
        _collect(found, session.exec(query))
    return found


def items_since(
    session: Session, edition_id: int, after_batch: int, fingerprints: set[str]
) -> dict[str, tuple[int, int, int]]:
    """The same, among the items of batches newer than ``after_batch`` only: what another
    import wrote while this one was being prepared (items come only from imports)."""
    query = select(Item.fingerprint, Item.id, Item.batch_id, Item.row_number).where(
        Item.edition_id == edition_id, col(Item.batch_id) > after_batch
    )
    found: dict[str, tuple[int, int, int]] = {}
    _collect(found, (row for row in session.exec(query) if row[0] in fingerprints))
    return found


def _collect(
    found: dict[str, tuple[int, int, int]], rows: Iterable[tuple[str, int | None, int, int]]
) -> None:
    for fingerprint, item_id, batch_id, row_number in rows:
        assert item_id is not None
        found[fingerprint] = (item_id, batch_id, row_number)


def _jsonable(raw: dict[str, Any]) -> dict[str, Any]:
    """The refused row as JSON the database can store, whatever the file held."""
    return {_storable_text(str(k)): _storable(v) for k, v in raw.items()}


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        return _storable_text(value)
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return _jsonable(value)
    if isinstance(value, bool | int | float | type(None)):
        return value
    return cell_text(value)


def _storable_text(text: str) -> str:
    # A lone surrogate (from a JSON escape) cannot be encoded: keep it as its escape.
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
