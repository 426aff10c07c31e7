"""``verifier backup DEST``: a consistent copy of a SQLite workspace, even while in use."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.cli.output import OutputFileError, check_output_file, install_output_file
from verifier.core.safe_output import terminal_line
from verifier.core.wording import count


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)


def backup(
    ctx: typer.Context,
    destination: Path = typer.Argument(..., metavar="DEST", help="The backup file to create."),
    force: bool = typer.Option(
        False, "--force", help="Replace DEST if it exists (a link is replaced, never followed)."
    ),
) -> None:
    """Copy the workspace to DEST through SQLite's online backup API: one consistent
    snapshot that includes what is still in the write-ahead log, taken while others go on
    reading and writing. The copy is checked (PRAGMA integrity_check) and is a single file
    that opens as a workspace (--db DEST). On PostgreSQL it says how to use pg_dump.

    \b
    Example: verifier --db las.db backup backups/las-2024-06-01.db
    """
    from verifier.core.backup.sqlite_copy import backup_sqlite, sqlite_file

    cli = state(ctx)
    source = sqlite_file(cli.settings.db)
    check_output_file(destination, force=force)
    if destination.exists() and destination.samefile(source):
        raise OutputFileError(
            f"{terminal_line(str(destination))} is the workspace itself; choose another file"
        )
    descriptor, name = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    os.close(descriptor)
    temporary = Path(name)
    try:
        result = backup_sqlite(source, temporary)
        install_output_file(temporary, destination, force=force)
    finally:
        temporary.unlink(missing_ok=True)
    size = result.size_bytes / 1_000_000
    cli.console.print(
        Text(
            f"Backed up {terminal_line(str(source))} to {terminal_line(str(destination))} "
            f"({size:.1f} MB, {count(result.pages, 'page')}); the copy passed the integrity check."
        )
    )
