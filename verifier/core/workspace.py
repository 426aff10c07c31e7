"""A workspace is one database. This module opens it and checks its schema version."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, col, select

from db import migrate
from db.engine import (
    DEFAULT_LOCK_TIMEOUT,
    LockWaitNotice,
    WriteLockTimeout,
    create_workspace_engine,
    describe_url,
    is_lock_timeout,
    read_only,
    read_session,
    write_session,
)
from db.models import Edition
from verifier.core.errors import NotFoundError, WorkspaceBusyError, WorkspaceError
from verifier.core.schema_check import check_revision, missing_file


class Workspace:
    """Holds the engine of one workspace database and hands out sessions.

    On SQLite a writer waits up to ``lock_timeout`` seconds for another writer (an import,
    say) to finish; ``on_lock_wait`` is told when such a wait begins, so that the person
    can be told why nothing happens. Readers never wait."""

    def __init__(
        self,
        url: str,
        engine: Engine | None = None,
        *,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        on_lock_wait: LockWaitNotice | None = None,
    ) -> None:
        self.url = url
        self.lock_timeout = lock_timeout
        # Who to tell when a write waits for the lock; may be set later (the review UI does,
        # once it is running).
        self.on_lock_wait = on_lock_wait
        self.engine = (
            engine
            if engine is not None
            else create_workspace_engine(url, lock_timeout=lock_timeout, on_lock_wait=self._waiting)
        )

    @property
    def display_url(self) -> str:
        return describe_url(self.url)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def initialise(self) -> tuple[str | None, str]:
        """Create the schema or upgrade it to the current one. Returns (before, after).

        A workspace already at the current schema is only read: no write lock is taken."""
        before = self._current_revision()
        head = migrate.head_revision()
        if before != head:
            with self._lock_wait_explained():
                migrate.upgrade(self.engine)
        return before, head

    def check_schema(self) -> None:
        """Raise a WorkspaceError telling the user what to run if the schema is not current.

        A SQLite file that does not exist is reported without being opened: opening it
        would leave an empty file behind."""
        missing = self._missing_sqlite_file()
        if missing is not None:
            raise missing_file(missing)
        check_revision(self.display_url, self._current_revision())

    def _missing_sqlite_file(self) -> Path | None:
        url = self.engine.url
        if url.get_backend_name() != "sqlite" or not url.database:
            return None
        if url.database == ":memory:" or url.database.startswith("file:"):
            return None
        path = Path(url.database)
        return None if path.exists() else path

    def _current_revision(self) -> str | None:
        """Read-only: checking the schema must not wait for a writer (an import)."""
        engine = read_only(self.engine)
        try:
            if not inspect(engine).has_table("alembic_version"):
                return None
            return migrate.current_revision(engine)
        except OperationalError as error:
            raise WorkspaceError(f"cannot open {self.display_url}: {error.orig}") from error

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on error.

        On SQLite it holds the workspace's write lock from its first statement to its end,
        so keep it short: read, parse and compute before it."""
        with self._lock_wait_explained(), write_session(self.engine) as session:
            yield session

    def _waiting(self, timeout: float) -> None:
        if self.on_lock_wait is not None:
            self.on_lock_wait(timeout)

    @contextmanager
    def _lock_wait_explained(self) -> Iterator[None]:
        try:
            yield
        except WriteLockTimeout as error:
            raise _busy(error.waited) from None
        except DBAPIError as error:
            if is_lock_timeout(error):  # PostgreSQL: a row, table or the log's append lock
                raise _busy(self.lock_timeout) from None
            raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction that never blocks writers."""
        with self._lock_wait_explained(), read_session(self.engine) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _busy(waited: float) -> WorkspaceBusyError:
    return WorkspaceBusyError(
        f"another writer (an import, or a colleague's command) kept the workspace "
        f"locked for {waited:g} s, so this gave up and saved nothing; run it "
        "again when that is done, or wait longer with the lock_timeout setting "
        "(VERIFIER_LOCK_TIMEOUT)"
    )


def resolve_edition(session: Session, code: str | None) -> Edition:
    """The edition named by ``code``, or the only edition when none is named."""
    if code:
        edition = session.exec(select(Edition).where(Edition.code == code)).first()
        if edition is None:
            known = ", ".join(session.exec(select(Edition.code)).all()) or "none"
            raise NotFoundError(f"no edition '{code}' (editions: {known})")
        return edition
    editions = session.exec(select(Edition).order_by(col(Edition.id))).all()
    if len(editions) == 1:
        return editions[0]
    if not editions:
        raise NotFoundError(
            "the workspace has no edition yet. Load one with: verifier edition load DIR"
        )
    codes = ", ".join(e.code for e in editions)
    raise NotFoundError(f"several editions ({codes}); choose one with --edition")
