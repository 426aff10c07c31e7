"""Engines and sessions for a workspace database (SQLite or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session

READ_ONLY = "verifier_read_only"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def normalize_url(value: str) -> str:
    """Accept a SQLAlchemy URL, or a plain path meaning a SQLite file.

    ``postgresql://`` URLs are routed to the psycopg 3 driver, the one we ship.
    """
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser()}"
    url = make_url(value)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def describe_url(value: str) -> str:
    """A URL fit for display: the password hidden."""
    url: URL = make_url(normalize_url(value))
    return url.render_as_string(hide_password=True)


def create_workspace_engine(url: str, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    # No ping before each checkout: it would cost a round trip per decision (10-30 ms to a
    # hosted server). A connection that died is replaced when its error is seen, and
    # core.concurrency retries the work that failed with it.
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys on, WAL, and write transactions that take the lock up front.

    A deferred ``BEGIN`` that reads and then writes fails at once with "database is
    locked" if another connection committed in between, so write transactions start
    with ``BEGIN IMMEDIATE`` and wait for the lock instead. Read-only sessions use a
    plain ``BEGIN`` and never block writers (WAL).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves instead of the driver's implicit one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Without it, INSERT OR REPLACE deletes rows without firing delete triggers.
        cursor.execute("PRAGMA recursive_triggers=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # 64 MB of page cache (allocated only as used): large imports keep their index
        # pages in memory instead of spilling them mid-transaction.
        cursor.execute("PRAGMA cache_size=-65536")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reads only; it never takes the SQLite write lock."""
    # Closing (rather than rolling back) ends the transaction but leaves loaded objects
    # readable after the block, detached.
    with Session(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False) as s:
        yield s
