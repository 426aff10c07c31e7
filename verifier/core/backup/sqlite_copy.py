"""Copy a SQLite workspace with SQLite's online backup API.

Copying the file (``cp``) while the workspace is open in WAL mode misses what is still in
the ``-wal`` file, and may catch a page half-written. The backup API reads one consistent
snapshot through SQLite itself (it sees the WAL), while readers and writers go on.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from db.engine import normalize_url
from verifier.core.errors import WorkspaceError
from verifier.core.safe_output import terminal_line


@dataclass(frozen=True)
class BackupResult:
    source: Path
    size_bytes: int
    pages: int


def sqlite_file(url: str) -> Path:
    """The workspace file named by a SQLite URL or a plain path (as ``--db las.db`` gives
    it); an error for anything else."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise WorkspaceError(postgres_advice(url))
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        raise WorkspaceError("this workspace is not a file on disk; there is nothing to back up")
    path = Path(database)
    if not path.is_file():
        raise WorkspaceError(f"no workspace at {terminal_line(str(path))}: nothing to back up")
    return path


def postgres_advice(url: str) -> str:
    """How to back up a PostgreSQL workspace: the server's own tool does it consistently."""
    parsed = make_url(url)
    target = parsed.set(drivername="postgresql", password=None)
    shown = terminal_line(target.render_as_string(hide_password=True))
    return (
        "verifier backup copies SQLite workspaces; a PostgreSQL workspace is backed up with "
        f"the server's own tool, in one consistent snapshot: pg_dump --format=custom "
        f"--file=verifier.dump '{shown}' (restore into an empty database with: pg_restore "
        "--no-owner --dbname=URL verifier.dump; in team mode run both as the administrator)"
    )


def backup_sqlite(source: Path, temporary: Path) -> BackupResult:
    """Copy ``source`` into the new file ``temporary`` through the backup API, in one step
    (one consistent snapshot), check the copy's integrity, and make it a single
    self-contained file (rollback journal, no ``-wal`` beside it)."""
    # Not read-only: a read-only connection cannot open a WAL file whose -shm is missing.
    # The backup only reads; in WAL mode it neither waits for nor blocks a writer.
    try:
        reader = sqlite3.connect(source, timeout=30)
    except sqlite3.Error as error:
        raise WorkspaceError(f"cannot open {terminal_line(str(source))}: {error}") from error
    try:
        copy = sqlite3.connect(temporary)
        try:
            reader.backup(copy)
            pages = copy.execute("pragma page_count").fetchone()[0]
            problems = [row[0] for row in copy.execute("pragma integrity_check")]
            if problems != ["ok"]:
                raise WorkspaceError(
                    "the copy does not pass SQLite's integrity check (the workspace itself "
                    f"may be damaged): {terminal_line('; '.join(problems[:5]))}"
                )
            copy.execute("pragma journal_mode=delete")
        finally:
            copy.close()
    except sqlite3.Error as error:
        raise WorkspaceError(f"the backup failed: {terminal_line(str(error))}") from error
    finally:
        reader.close()
    return BackupResult(source=source, size_bytes=temporary.stat().st_size, pages=pages)
