"""Everything an import does before it writes: read, parse, validate, match, and sort out
duplicates, with no write lock held. The result, a ``PreparedImport`` whose rows wait in a
temporary stage (``stage.py``), is what ``writer.py`` then copies in one short write
transaction.

The file is read, validated, de-duplicated and matched chunk by chunk: at no time are more
than a few chunks of rows in memory, whatever the file's size. Duplicates within the file
are found through the stage's index, duplicates of the workspace's items through its own
unique index (edition, fingerprint), a chunk at a time.

Nothing here writes to the workspace, so a colleague's decisions, and every reader, go on
while a large file is being prepared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.models import ImportBatch, Item
from verifier.core.eventlog.import_digest import (
    DIGEST_COLUMNS,
    engine_verdict_text,
    import_digest,
    match_digest_after,
)
from verifier.core.importing.columns import resolve_columns
from verifier.core.importing.rawrows import RawRow, cell_text
from verifier.core.importing.readers import detect_format
from verifier.core.importing.reference import ReferenceIndex
from verifier.core.importing.rows import FIELDS, RowValidator
from verifier.core.importing.source import FileSource, inspect_file
from verifier.core.importing.stage import MATCH_COLUMNS, RAW_SEPARATOR, Stage
from verifier.core.importing.stream import RowStream, open_rows
from verifier.core.importing.validation import in_fields_order, validate_chunks
from verifier.core.people.roles import require_decider, reviewer_role
from verifier.core.workspace import Workspace, resolve_edition

if TYPE_CHECKING:
    from verifier.core.cities.automatic import ImportMatcher
    from verifier.core.importing.batch import ImportOptions

Progress = Callable[[str, int, int], None]
_SURROGATE = re.compile("[\ud800-\udfff]")
FINGERPRINT = FIELDS.index("fingerprint")
VALUE_NUMBER = FIELDS.index("value_number")
EXTRACTED_AT = FIELDS.index("extracted_at")
LABEL_KEY, COUNTRY, RAW_LABEL = (FIELDS.index(n) for n in ("label_key", "country", "raw_label"))
STAGED = (*FIELDS, *MATCH_COLUMNS, *DIGEST_COLUMNS)
NO_MATCH = (None,) * len(MATCH_COLUMNS)
# An accepted row's outcome (``_WorkerPart``): FIELDS, then its import digest and raw cells.
IMPORT_DIGEST, COMPACT = len(FIELDS), len(FIELDS) + 1
IN_FILE = "duplicate of row {} of this file (same source, locator, indicator and city)"


@dataclass
class PreparedImport:
    """A file read, validated and matched into a stage, ready to be written as one batch."""

    path: Path
    sha256: str
    edition_id: int
    format: str
    encoding: str
    header: list[str]
    column_map: dict[str, str]
    ignored_columns: tuple[str, ...]
    rows_total: int = 0
    blank_rows: int = 0
    # The newest batch of the edition when duplicates were looked for: the write checks
    # again only the items of batches that came after it.
    newest_batch: int = 0
    matched: bool = False
    already_imported_as: int | None = None
    stage: Stage | None = None

    def close(self) -> None:
        if self.stage is not None:
            self.stage.close()
            self.stage = None

    def raw_of(self, compact: str) -> dict[str, Any]:
        """A staged item's raw cells, as they were read."""
        if self.format == "jsonl":
            return dict(json.loads(compact))
        return dict(zip(self.header, compact.split(RAW_SEPARATOR), strict=False))


def prepare_import(
    workspace: Workspace, path: Path, options: ImportOptions, progress: Progress | None = None
) -> PreparedImport:
    source = FileSource.of(path, options.limits)
    fmt = detect_format(path, options.format)
    facts = inspect_file(path, source, fmt, options.encoding)
    with open_rows(source, fmt, facts) as stream:
        header_row = None if fmt == "jsonl" else 1
        columns = resolve_columns(path, stream.header, options.column_map, header_row=header_row)
        with workspace.reading() as session:
            edition = resolve_edition(session, options.edition)
            assert edition.id is not None
            prepared = PreparedImport(
                path, facts.sha256, edition.id, stream.format, stream.encoding,
                stream.header, columns.as_dict(), columns.ignored,
            )  # fmt: skip
            prepared.already_imported_as = batch_with_digest(session, edition.id, facts.sha256)
            if prepared.already_imported_as is not None:
                return prepared
            if reviewer_role(session, options.user) is not None:
                # Refused now rather than after the work; a first reviewer (who becomes the
                # lead) is registered by the write.
                require_decider(session, options.user, "importing items")
            reference = ReferenceIndex.load(session, edition.id)
            matcher = None
            if options.auto_match:
                from verifier.core.cities.automatic import ImportMatcher

                matcher = ImportMatcher(session, edition.id)
            prepared.newest_batch = newest_batch(session, edition.id)
        prepared.stage = Stage(STAGED, workspace.engine.dialect, counted=True)
        try:
            validator = RowValidator(columns, reference, options.user)
            _stage_rows(workspace, prepared, stream, validator, matcher, facts.size, progress)
        except BaseException:
            prepared.close()
            raise
        prepared.matched = matcher is not None
        prepared.rows_total, prepared.blank_rows = stream.rows_read, stream.blank_rows
    return prepared


def _stage_rows(
    workspace: Workspace,
    prepared: PreparedImport,
    stream: RowStream,
    validator: RowValidator,
    matcher: ImportMatcher | None,
    size: int,
    progress: Progress | None,
) -> None:
    """Validate, de-duplicate and match the rows chunk by chunk, into the stage."""
    stage = prepared.stage
    assert stage is not None
    done = 0
    dump = stage.document
    worker_part = _WorkerPart(prepared.format, stage.timestamp)
    match_cache: dict[tuple[str, str], tuple[tuple[Any, ...], str]] = {}
    for chunk, outcomes in validate_chunks(stream.rows, validator, worker_part):
        refused: list[tuple[int, str, str, str]] = []
        accepted: list[tuple[tuple[Any, ...], RawRow]] = []
        for row, result in zip(chunk, outcomes, strict=True):
            if isinstance(result, str):
                refused.append((row.number, "invalid", result, dump(jsonable(row.raw))))
            else:
                accepted.append((result, row))
        fingerprints = [values[FINGERPRINT] for values, _ in accepted]
        first = stage.first_rows(fingerprints)
        seen: dict[str, int] = {}
        kept = []
        for values, row in accepted:
            fingerprint = values[FINGERPRINT]
            earlier = first.get(fingerprint) or seen.get(fingerprint)
            if earlier is not None:
                refused.append(
                    (row.number, "duplicate", IN_FILE.format(earlier), dump(jsonable(row.raw)))
                )
                continue
            seen[fingerprint] = row.number
            kept.append((values, row))
        with workspace.reading() as session:
            existing = existing_items(session, prepared.edition_id, list(seen))
        items = []
        matches = None if matcher is None else _matches(matcher, kept, dump, match_cache)
        for index, (values, row) in enumerate(kept):
            known = existing.get(values[FINGERPRINT])
            if known is not None:
                item_id, batch_id, row_number = known
                reason = f"already imported as item {item_id} (batch {batch_id}, row {row_number})"
                refused.append((row.number, "duplicate", reason, dump(jsonable(row.raw))))
                continue
            match, verdict = _UNMATCHED if matches is None else matches[index]
            imported = values[IMPORT_DIGEST]
            digests = (imported, match_digest_after(imported, verdict))
            items.append((*values[:IMPORT_DIGEST], *match, *digests, values[COMPACT]))
        stage.add(items, refused, list(seen.items()))
        done += len(chunk)
        if progress is not None:
            estimate = round(done * size / stream.bytes_read) if stream.bytes_read else done
            progress("validating", done, max(done, estimate))
    stage.finish()
    if progress is not None:
        progress("validating", done, done)


class _WorkerPart:
    """The per-row work done where the row is validated (a forked worker, for large files):
    the item's import digest (``core.eventlog.import_digest``, over the values as validated,
    the extraction time still a datetime), the extraction time as staged, and the raw cells
    kept compactly. What is left to the main process per row is joining these to the
    label's match."""

    def __init__(self, fmt: str, timestamp: Callable[[Any], Any]) -> None:
        self.compact = _compact_jsonl if fmt == "jsonl" else _compact_tabular
        self.stamp = _memoised(timestamp)

    def __call__(self, values: dict[str, Any], row: RawRow) -> tuple[Any, ...]:
        imported = import_digest(values)
        staged = in_fields_order(values, row)
        if staged[EXTRACTED_AT] is not None:
            cells = list(staged)
            cells[EXTRACTED_AT] = self.stamp(cells[EXTRACTED_AT])
            staged = tuple(cells)
        return (*staged, imported, self.compact(row))


# A row's match columns, and the engine's verdict as its match digest hashes it.
_UNMATCHED = (NO_MATCH, engine_verdict_text(dict(zip(MATCH_COLUMNS, NO_MATCH, strict=True))))


def _matches(
    matcher: ImportMatcher,
    kept: list[tuple[tuple[Any, ...], RawRow]],
    dump: Callable[[Any], str],
    cache: dict[tuple[str, str], tuple[tuple[Any, ...], str]],
) -> list[tuple[tuple[Any, ...], str]]:
    """The staged match columns of each row, and its verdict's text for the match digest:
    each distinct (label, country hint) is matched once per import, and both made once."""
    wanted: dict[tuple[str, str], str] = {}
    for values, _ in kept:
        key = (values[LABEL_KEY], values[COUNTRY])
        if key not in cache:
            wanted.setdefault(key, values[RAW_LABEL])
    if wanted:
        for key, found in matcher.values_for(wanted).items():
            detail = found["match_detail"]
            columns = [found[name] for name in MATCH_COLUMNS]
            columns[MATCH_COLUMNS.index("match_detail")] = None if detail is None else dump(detail)
            cache[key] = (tuple(columns), engine_verdict_text(found))
    return [cache[(values[LABEL_KEY], values[COUNTRY])] for values, _ in kept]


def _compact_tabular(row: RawRow) -> str:
    return RAW_SEPARATOR.join(row.raw.values())


def _compact_jsonl(row: RawRow) -> str:
    return json.dumps(row.raw, ensure_ascii=False)


def _memoised(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    known: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        converted = known.get(value)
        if converted is None:
            if len(known) > 10_000:
                known.clear()
            converted = known[value] = convert(value)
        return converted

    return cached


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
    """(item id, batch id, row number) of the edition's items with these fingerprints: one
    statement, through the unique index on (edition, fingerprint)."""
    found: dict[str, tuple[int, int, int]] = {}
    if not fingerprints:
        return found
    connection = session.connection()
    columns = "SELECT fingerprint, id, batch_id, row_number FROM item"
    if connection.dialect.name == "sqlite":
        where = "WHERE edition_id = ? AND fingerprint IN (SELECT value FROM json_each(?))"
        params: tuple[Any, ...] = (edition_id, json.dumps(fingerprints))
    else:
        where = "WHERE edition_id = %s AND fingerprint = ANY(%s)"
        params = (edition_id, fingerprints)
    _collect(found, connection.exec_driver_sql(f"{columns} {where}", params))
    return found


def items_since(
    session: Session, edition_id: int, after_batch: int
) -> dict[str, tuple[int, int, int]]:
    """(item id, batch id, row number) by fingerprint of the items of batches newer than
    ``after_batch``: what another import wrote while this one was being prepared (items
    come only from imports)."""
    # Through the index on batch_id: the batches are looked up first, so the planner is
    # not tempted by an index on edition_id, which would walk every item of the edition.
    newer = select(ImportBatch.id).where(
        ImportBatch.edition_id == edition_id, col(ImportBatch.id) > after_batch
    )
    query = select(Item.fingerprint, Item.id, Item.batch_id, Item.row_number).where(
        col(Item.batch_id).in_(newer)
    )
    found: dict[str, tuple[int, int, int]] = {}
    _collect(found, session.exec(query))
    return found


def _collect(
    found: dict[str, tuple[int, int, int]], rows: Iterable[tuple[str, int | None, int, int]]
) -> None:
    for fingerprint, item_id, batch_id, row_number in rows:
        assert item_id is not None
        found[fingerprint] = (item_id, batch_id, row_number)


def jsonable(raw: dict[str, Any]) -> dict[str, Any]:
    """The refused row as JSON the database can store, whatever the file held."""
    return {_storable_text(str(k)): _storable(v) for k, v in raw.items()}


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        return _storable_text(value)
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return jsonable(value)
    if isinstance(value, bool | int | float | type(None)):
        return value
    return cell_text(value)


def _storable_text(text: str) -> str:
    # A lone surrogate (from a JSON escape) cannot be encoded: keep it as its escape.
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
