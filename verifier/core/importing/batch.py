"""One import = one transaction: the batch, its accepted items and its refused rows are
written together, or nothing at all.

The file is read, validated and matched first, chunk by chunk into a temporary stage, with
no write lock held (``prepare.py``); then the batch is copied from the stage in one short
transaction (``writer.py``). On SQLite the write
lock is therefore held for the insert only, and a second import, a decision or a report
waits for seconds at most, never for the whole of a large import.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from db.statistics import analyse_after_write
from verifier.core.importing.limits import ImportLimits
from verifier.core.importing.prepare import PreparedImport, Progress, prepare_import
from verifier.core.importing.writer import write_prepared
from verifier.core.workspace import Workspace


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
    write_seconds: float = 0.0  # of which the write transaction (the lock, on SQLite)
    analysed: bool = False  # PostgreSQL's statistics of the items gathered afterwards

    @property
    def rejected(self) -> int:
        return sum(1 for p in self.problems if p.kind == "invalid")

    @property
    def duplicates(self) -> int:
        return sum(1 for p in self.problems if p.kind == "duplicate")

    def problem_lines(self) -> list[str]:
        """``file:row: reason`` for every refused row, as compilers report errors."""
        return [f"{self.path}:{p.row_number}: {p.reason}" for p in self.problems]


def _write(
    workspace: Workspace,
    prepared: PreparedImport,
    options: ImportOptions,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    def writing(done: int, total: int) -> None:
        if progress is not None:
            progress("writing", done, total)

    writing_from = time.perf_counter()
    with workspace.session() as session:
        written = write_prepared(session, prepared, options.user, writing)
    report.write_seconds = time.perf_counter() - writing_from
    report.already_imported_as = written.already_imported_as
    report.batch_id = written.batch_id
    report.accepted, report.missing_values = written.accepted, written.missing_values
    report.matched = written.bands
    # After the commit, outside the import's transaction: the planner's statistics for the
    # items just added (PostgreSQL, when this login owns the table; db.statistics).
    report.analysed = analyse_after_write(workspace.engine, "item", written.accepted)
    if written.batch_id is not None and prepared.stage is not None:
        report.problems = [
            RowProblem(number, kind, reason)
            for chunk in prepared.stage.refused_chunks(5_000)
            for number, kind, reason, _ in chunk
        ]


def import_file(
    workspace: Workspace, path: Path, options: ImportOptions, progress: Progress | None = None
) -> ImportReport:
    started = time.perf_counter()
    report = ImportReport(path=path)
    prepared = prepare_import(workspace, path, options, progress)
    try:
        report.file_format, report.encoding = prepared.format, prepared.encoding
        report.rows_total, report.blank_rows = prepared.rows_total, prepared.blank_rows
        report.ignored_columns = prepared.ignored_columns
        if prepared.already_imported_as is not None:
            report.already_imported_as = prepared.already_imported_as
        else:
            _write(workspace, prepared, options, report, progress)
    finally:
        prepared.close()
    report.seconds = time.perf_counter() - started
    return report
