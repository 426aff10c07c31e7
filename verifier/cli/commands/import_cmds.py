"""``verifier import``, ``verifier batches`` and ``verifier rejects``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from verifier.cli.context import state
from verifier.cli.output import OutputFormat, time_cell
from verifier.cli.streaming import emit_stream
from verifier.core.wording import count, rate

PROGRESS_FROM_ROWS = 5_000
PROBLEMS_SHOWN = 25


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("batches")(batches)
    app.command("rejects")(rejects)


def import_command(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ..., help="CSV/TSV (UTF-8, UTF-16 or Windows-1256), XLSX or JSONL."
    ),
    file_format: str | None = typer.Option(
        None, "--format", help="csv, xlsx or jsonl (default: from the file extension)."
    ),
    encoding: str | None = typer.Option(
        None,
        "--encoding",
        help=(
            "Text encoding of the whole file (default: BOM, then UTF-8, then Windows-1256; "
            "a file mixing encodings is refused with its lines named)."
        ),
    ),
    mapping: list[str] = typer.Option(
        [], "--map", help="Use another header for a column, e.g. --map 'Ville=city'. Repeatable."
    ),
    match: bool = typer.Option(True, "--match/--no-match", help="Match city labels after import."),
    check: bool = typer.Option(
        True,
        "--check/--no-check",
        help="Run the evidence check on the imported items (see `verifier evidence check`).",
    ),
) -> None:
    """Import extracted items in one transaction: all valid rows, or nothing.

    Invalid rows are reported as file:row: reason and kept with the batch
    (see `verifier rejects`). Importing the same file again adds nothing. Afterwards the
    new items' quotes and values are checked against their source documents (the evidence
    check; --no-check skips it, `verifier evidence check` runs it later).

    \b
    Example: verifier import fixtures/las2024/items/01-statistics-yearbooks.csv
    """
    from verifier.core.importing import ImportOptions, import_file
    from verifier.core.importing.columns import parse_mapping
    from verifier.core.importing.limits import ImportLimits

    cli = state(ctx)
    limits = ImportLimits(
        max_bytes=cli.settings.import_max_bytes,
        max_field_chars=cli.settings.import_max_field_chars,
    )
    options = ImportOptions(
        user=cli.user,
        edition=cli.edition_code,
        format=file_format,
        encoding=encoding,
        column_map=parse_mapping(mapping),
        auto_match=match,
        limits=limits,
    )
    workspace = cli.workspace()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=cli.err,
        transient=True,
        disable=not cli.err.is_terminal,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if total < PROGRESS_FROM_ROWS:
                return
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done)

        report = import_file(workspace, file, options, on_progress)

    out, shown = cli.console, str(file)
    if report.already_imported_as is not None:
        cli.say(f"{shown}: already imported as batch {report.already_imported_as}; nothing added.")
        return
    for line in report.problem_lines()[:PROBLEMS_SHOWN]:
        # Each line quotes the file's cells: one line each, never a control sequence.
        cli.say(line, err=True)
    if len(report.problems) > PROBLEMS_SHOWN:
        more = len(report.problems) - PROBLEMS_SHOWN
        cli.err.print(
            f"... and {more} more: verifier rejects --batch {report.batch_id}", markup=False
        )
    parts = [
        f"batch {report.batch_id}: {count(report.accepted, 'item')} imported",
        f"{report.rejected} rejected",
        count(report.duplicates, "duplicate"),
    ]
    if report.missing_values:
        parts.append(f"{report.missing_values} with no value (kept as missing)")
    if report.blank_rows:
        parts.append(f"{count(report.blank_rows, 'blank row')} skipped")
    cli.say(f"{shown} ({report.file_format}, {report.encoding or 'binary'}): {', '.join(parts)}.")
    if report.matched:
        bands = ", ".join(f"{n} {band}" for band, n in sorted(report.matched.items()))
        out.print(f"city matching: {bands}.", markup=False)
    if report.ignored_columns:
        cli.say(f"ignored columns: {', '.join(report.ignored_columns)}")
    out.print(
        f"{count(report.rows_total, 'row')} in {report.seconds:.2f} s "
        f"({rate(report.rows_total, report.seconds, 'row')}).",
        markup=False,
    )
    if check and report.accepted and report.batch_id is not None:
        _evidence_check(ctx, report.batch_id)


def _evidence_check(ctx: typer.Context, batch_id: int) -> None:
    """The evidence check of a batch's items, after its import (``--no-check`` skips it)."""
    from sqlmodel import select

    from db.models import ImportBatch
    from verifier.core.evidence.results import Scope, run_check

    cli = state(ctx)
    workspace = cli.workspace()
    with workspace.reading() as session:
        edition_id = session.exec(
            select(ImportBatch.edition_id).where(ImportBatch.id == batch_id)
        ).one()
    run = run_check(workspace, Scope(edition_id, batch_id=batch_id), cli.user)
    cli.console.print(f"{run.summary()[:-1]} in {run.seconds:.2f} s.", markup=False)


STREAMED = 1_000  # rows fetched at a time by the listings
# A batch's row at a terminal 100 cells wide: with the hash, the user and the time whole,
# the file name keeps a readable width when the counts' headings are short and the time
# zone is named once, in the heading. CSV, JSON and pipes keep the full names and times.
TERMINAL_HEADINGS = {"at": "at (UTC)", "accepted": "acc.", "rejected": "rej.",
                     "duplicates": "dup."}  # fmt: skip


def batches(
    ctx: typer.Context,
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """List import batches: file, checksum, who, when, accepted/rejected/duplicate counts.

    \b
    Example: verifier batches --format csv
    """
    from sqlmodel import col, select

    from db.models import ImportBatch
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    columns = ["id", "file", "format", "encoding", "sha256", "by", "at", "accepted", "rejected",
               "duplicates"]  # fmt: skip
    at = time_cell(cli.console, fmt, zone="")  # at a terminal the zone is in the heading
    if fmt == OutputFormat.TABLE and cli.console.is_terminal:
        columns = [TERMINAL_HEADINGS.get(name, name) for name in columns]
    with cli.workspace().reading() as session:
        edition = resolve_edition(session, cli.edition_code)
        query = (
            select(ImportBatch)
            .where(ImportBatch.edition_id == edition.id)
            .order_by(col(ImportBatch.id))
            .execution_options(yield_per=STREAMED)
        )
        rows = (
            (b.id, b.file_name, b.file_format, b.encoding, b.file_sha256[:12], b.imported_by,
             at(b.imported_at), b.accepted_count, b.rejected_count,
             b.duplicate_count)
            for b in session.exec(query)
        )  # fmt: skip
        emit_stream(cli.console, fmt, "Import batches", columns, rows,
                    bidi=cli.bidi, keep=("sha256", TERMINAL_HEADINGS["at"]))  # fmt: skip


def rejects(
    ctx: typer.Context,
    batch: int | None = typer.Option(None, "--batch", help="Only this import batch."),
    duplicates: bool = typer.Option(False, "--duplicates", help="List duplicates instead."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
    full: bool = typer.Option(
        False, "--full", help="Show each row's raw content whole (it is cut at 300 characters)."
    ),
) -> None:
    """List the rows imports refused, with file, row number, reason and raw content.

    Raw content is stored whole; it is shown cut at 300 characters unless --full is given.

    \b
    Example: verifier rejects --batch 2 --format csv --full > rejected.csv
    """
    from sqlalchemy import select as sa_select
    from sqlmodel import col

    from db.models import ImportBatch, RejectedRow
    from verifier.core.edition_scope import Numbered, require_in_edition
    from verifier.core.importing.rejects import RAW_SHOWN_CHARS, raw_text
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    shown = None if full else RAW_SHOWN_CHARS
    with cli.workspace().reading() as session:
        require_in_edition(session, Numbered.BATCH, [batch], cli.edition_code)
        edition = resolve_edition(session, cli.edition_code)
        # Columns, not entities (the session would keep every row), read as written.
        query = (
            sa_select(col(ImportBatch.id), col(ImportBatch.file_name), col(RejectedRow.row_number),
                      col(RejectedRow.reason), col(RejectedRow.raw))
            .join(ImportBatch, col(ImportBatch.id) == col(RejectedRow.batch_id))
            .where(
                col(ImportBatch.edition_id) == edition.id,
                col(RejectedRow.kind) == ("duplicate" if duplicates else "invalid"),
            )
            .order_by(col(RejectedRow.batch_id), col(RejectedRow.row_number))
            .execution_options(yield_per=STREAMED)
        )  # fmt: skip
        if batch is not None:
            query = query.where(col(ImportBatch.id) == batch)
        rows = (
            (batch_id, name, row_number, reason, raw_text(raw, shown))
            for batch_id, name, row_number, reason, raw in session.execute(query)
        )
        title = "Duplicate rows" if duplicates else "Rejected rows"
        columns = ["batch", "file", "row", "reason", "raw"]
        # On a terminal a reason is read whole, and so is the raw content asked for whole.
        whole = ("reason", "raw") if full else ("reason",)
        emit_stream(cli.console, fmt, title, columns, rows, bidi=cli.bidi, whole=whole)
