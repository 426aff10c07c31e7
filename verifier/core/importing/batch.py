"""One import = one transaction: the batch, its accepted items and its refused rows are
written together, or nothing at all."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from db.models import ImportBatch
from db.types import utcnow
from verifier.core.eventlog.append import record_event
from verifier.core.importing.columns import ColumnMap, resolve_columns
from verifier.core.importing.limits import ImportLimits
from verifier.core.importing.rawrows import RawTable
from verifier.core.importing.readers import detect_format, read_bytes, read_table
from verifier.core.importing.reference import ReferenceIndex
from verifier.core.importing.rows import RowValidator
from verifier.core.importing.validation import validate_all
from verifier.core.importing.writer import BatchWriter
from verifier.core.people.roles import require_decider
from verifier.core.workspace import Workspace, resolve_edition

Progress = Callable[[str, int, int], None]


@dataclass
class ImportOptions:
    user: str
    edition: str | None = None
    format: str | None = None
    encoding: str | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    auto_match: bool = True
    limits: ImportLimits = field(default_factory=ImportLimits)


@dataclass(frozen=True)
class RowProblem:
    row_number: int
    kind: str  # "invalid" or "duplicate"
    reason: str


@dataclass
class ImportReport:
    path: Path
    file_format: str = ""
    encoding: str = ""
    batch_id: int | None = None
    already_imported_as: int | None = None
    rows_total: int = 0
    accepted: int = 0
    missing_values: int = 0
    blank_rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    matched: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return sum(1 for p in self.problems if p.kind == "invalid")

    @property
    def duplicates(self) -> int:
        return sum(1 for p in self.problems if p.kind == "duplicate")

    def problem_lines(self) -> list[str]:
        """``file:row: reason`` for every refused row, as compilers report errors."""
        return [f"{self.path}:{p.row_number}: {p.reason}" for p in self.problems]


def import_file(
    workspace: Workspace, path: Path, options: ImportOptions, progress: Progress | None = None
) -> ImportReport:
    started = time.perf_counter()
    report = ImportReport(path=path)
    data = read_bytes(path, options.limits)
    digest = hashlib.sha256(data).hexdigest()
    fmt = detect_format(path, options.format)
    table = read_table(path, data, fmt, options.encoding, options.limits)
    header_row = None if fmt == "jsonl" else 1
    columns = resolve_columns(path, table.header, options.column_map, header_row=header_row)
    report.file_format, report.encoding = table.format, table.encoding
    report.rows_total, report.blank_rows = len(table.rows), table.blank_rows
    report.ignored_columns = columns.ignored

    with workspace.reading() as session:
        edition = resolve_edition(session, options.edition)
        assert edition.id is not None
        reference = ReferenceIndex.load(session, edition.id)
    validator = RowValidator(columns, reference, options.user)

    with workspace.session() as session:
        earlier = _batch_with_digest(session, edition.id, digest)
        if earlier is not None:
            report.already_imported_as = earlier
            report.seconds = time.perf_counter() - started
            return report
        require_decider(session, options.user)
        batch = _new_batch(session, edition.id, path, digest, table, columns, options.user)
        assert batch.id is not None
        writer = BatchWriter(session, edition.id, batch.id)
        if options.auto_match:
            from verifier.core.cities.automatic import ImportMatcher

            writer.matcher = ImportMatcher(session, edition.id)
        _write_rows(table, validator, writer, progress)
        batch.rows_total = len(table.rows)
        batch.accepted_count = writer.accepted
        batch.rejected_count = sum(1 for r in writer.refused if r["kind"] == "invalid")
        batch.duplicate_count = sum(1 for r in writer.refused if r["kind"] == "duplicate")
        session.add(batch)
        record_event(
            session,
            edition_id=edition.id,
            actor=options.user,
            action="import",
            payload={
                "batch_id": batch.id,
                "file": path.name,
                "sha256": digest,
                "accepted": batch.accepted_count,
                "rejected": batch.rejected_count,
                "duplicates": batch.duplicate_count,
            },
        )
        if writer.matcher is not None and writer.accepted:
            report.matched = dict(writer.matcher.bands)
            record_event(
                session,
                edition_id=edition.id,
                actor=options.user,
                action="auto_match",
                payload={"batch_id": batch.id, "bands": report.matched},
            )
        report.batch_id = batch.id

    report.accepted, report.missing_values = writer.accepted, writer.missing_values
    report.problems = [RowProblem(r["row_number"], r["kind"], r["reason"]) for r in writer.refused]
    report.seconds = time.perf_counter() - started
    return report


def _batch_with_digest(session: Session, edition_id: int, digest: str) -> int | None:
    query = select(ImportBatch.id).where(
        ImportBatch.edition_id == edition_id, ImportBatch.file_sha256 == digest
    )
    return session.exec(query).first()


def _new_batch(
    session: Session,
    edition_id: int,
    path: Path,
    digest: str,
    table: RawTable,
    columns: ColumnMap,
    user: str,
) -> ImportBatch:
    batch = ImportBatch(
        edition_id=edition_id,
        file_name=path.name,
        file_path=str(path.resolve()),
        file_sha256=digest,
        file_format=table.format,
        encoding=table.encoding,
        column_map=columns.as_dict(),
        imported_by=user,
        imported_at=utcnow(),
    )
    session.add(batch)
    session.flush()
    return batch


def _write_rows(
    table: RawTable, validator: RowValidator, writer: BatchWriter, progress: Progress | None
) -> None:
    """Validation (on both cores for large files) feeds the writer as rows come in."""
    total = len(table.rows)

    def report(done: int) -> None:
        if progress is not None:
            progress("importing", done, total)

    for row, values, reason in validate_all(table.rows, validator, report):
        if values is None:
            writer.refuse(row.number, "invalid", reason, row.raw)
        else:
            writer.accept(values, row.raw)
    writer.finish()
