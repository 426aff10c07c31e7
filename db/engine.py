"""Engines and sessions for a workspace database (SQLite or PostgreSQL)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from db.bulkload import detach_all

READ_ONLY = "verifier_read_only"
# Seconds a writer waits for another's lock: SQLite's write lock, PostgreSQL's row, table and
# advisory locks.
DEFAULT_LOCK_TIMEOUT = 30.0
# The share of a server-side cursor's rows the planner is told will be read: all of them.
STREAMED_FRACTION = 1.0

# The server process of each PostgreSQL connection an engine opened (``own_backends``).
_BACKENDS: WeakKeyDictionary[Engine, set[int]] = WeakKeyDictionary()
BACKEND_PID = "verifier_backend_pid"

# Waits shorter than this are ordinary turn-taking between writers and pass unannounced.
QUIET_WAIT = 0.5

# Told, once per wait, that a writer is waiting for another's lock: (timeout in seconds).
LockWaitNotice = Callable[[float], None]


class WriteLockTimeout(Exception):
    """Another connection held the SQLite write lock for the whole configured timeout;
    nothing was written."""

    def __init__(self, waited: float) -> None:
        super().__init__(f"the write lock stayed held by another connection for {waited:g} s")
        self.waited = waited


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


def create_workspace_engine(
    url: str,
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    on_lock_wait: LockWaitNotice | None = None,
    **kwargs: Any,
) -> Engine:
    """An engine for the workspace at ``url``. On SQLite a writer waits up to
    ``lock_timeout`` seconds for another writer's lock, calling ``on_lock_wait`` when the
    wait becomes noticeable, then raises ``WriteLockTimeout``. On PostgreSQL every session
    waits for any lock at most ``lock_timeout`` seconds (``is_lock_timeout``)."""
    url = normalize_url(url)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, max(0.0, lock_timeout), on_lock_wait)
        return engine
    # No ping before each checkout: it would cost a round trip per decision (10-30 ms to a
    # hosted server). A connection that died is replaced when its error is seen, and
    # core.concurrency retries the work that failed with it.
    engine = create_engine(url, **kwargs)
    if backend == "postgresql":
        _configure_postgresql(engine, max(0.0, lock_timeout))
    return engine


def _configure_postgresql(engine: Engine, lock_timeout: float) -> None:
    """Every session waits for a lock (a row a colleague is changing, the review log's
    append lock, a table a migration holds) at most ``lock_timeout`` seconds; the server
    then fails the statement with LOCK_NOT_AVAILABLE, which the workspace reports as
    busy. Statements themselves are not timed: a large import or audit may run long.
    Streamed reads are planned for all their rows (``STREAMED_FRACTION``)."""
    # 0 means "wait forever" to PostgreSQL; here it means "do not wait": 1 ms.
    milliseconds = max(1, round(lock_timeout * 1000))

    backends = _BACKENDS.setdefault(engine, set())

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        try:
            cursor = dbapi_connection.cursor()
            # Server-side cursors here are only the streamed full reads (checks, publish,
            # listings), each read to its end. The default fraction (0.1) plans them for their
            # first rows: without fresh statistics that chose a nested loop of every item
            # against every decided item (250,000 x 62,500 rows in `audit verify`).
            # Both settings in one statement: one round trip per new connection.
            cursor.execute(
                f"SET lock_timeout = {milliseconds}; "
                f"SET cursor_tuple_fraction = {STREAMED_FRACTION}"
            )
            cursor.close()
        finally:
            dbapi_connection.autocommit = autocommit
        record.info[BACKEND_PID] = dbapi_connection.info.backend_pid
        backends.add(record.info[BACKEND_PID])

    @event.listens_for(engine, "close")
    def _on_close(_dbapi_connection: Any, record: Any) -> None:
        backends.discard(record.info.get(BACKEND_PID))


def own_backends(engine: Engine) -> frozenset[int]:
    """The server process ids of this engine's open PostgreSQL connections: a notification
    one of them sent is this program's own commit (``db.notify``)."""
    return frozenset(_BACKENDS.get(engine, ()))


# SQLSTATE of a statement that gave up waiting for a lock (lock_timeout, NOWAIT).
LOCK_NOT_AVAILABLE = "55P03"


def is_lock_timeout(error: BaseException) -> bool:
    """Whether ``error`` is PostgreSQL giving up on a lock after ``lock_timeout``."""
    return getattr(getattr(error, "orig", None), "sqlstate", None) == LOCK_NOT_AVAILABLE


def _configure_sqlite(
    engine: Engine, lock_timeout: float, on_lock_wait: LockWaitNotice | None
) -> None:
    """Foreign keys on, WAL, and write transactions that take the lock up front.

    A deferred ``BEGIN`` that reads and then writes fails at once with "database is
    locked" if another connection committed in between, so write transactions start
    with ``BEGIN IMMEDIATE`` and wait for the lock instead (``_begin_writing``). Read-only
    sessions use a plain ``BEGIN`` and never wait for, nor block, a writer (WAL).
    """
    timeout_ms = round(lock_timeout * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves instead of the driver's implicit one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Without it, INSERT OR REPLACE deletes rows without firing delete triggers.
        cursor.execute("PRAGMA recursive_triggers=ON")
        cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
        # 64 MB of page cache (allocated only as used): large imports keep their index
        # pages in memory instead of spilling them mid-transaction.
        cursor.execute("PRAGMA cache_size=-65536")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:
        # After the transaction that read an attached file: detach it (db.bulkload).
        if dbapi_connection is not None:
            detach_all(dbapi_connection, record.info)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY, False):
            connection.exec_driver_sql("BEGIN")
        else:
            _begin_writing(connection.connection.driver_connection, lock_timeout, on_lock_wait)


def _begin_writing(
    driver: sqlite3.Connection, timeout: float, on_lock_wait: LockWaitNotice | None
) -> None:
    """``BEGIN IMMEDIATE``: take the write lock, waiting for another writer's up to
    ``timeout`` seconds. After a quiet moment the wait is announced (``on_lock_wait``), so
    that a person knows why nothing happens; when it runs out, ``WriteLockTimeout``."""
    quiet = min(QUIET_WAIT, timeout)
    started = time.monotonic()
    try:
        if _try_begin(driver, quiet):
            return
        remaining = timeout - (time.monotonic() - started)
        if remaining > 0:
            if on_lock_wait is not None:
                on_lock_wait(timeout)
            if _try_begin(driver, remaining):
                return
        raise WriteLockTimeout(timeout)
    finally:
        driver.execute(f"PRAGMA busy_timeout={round(timeout * 1000)}")


def _try_begin(driver: sqlite3.Connection, wait: float) -> bool:
    """Whether ``BEGIN IMMEDIATE`` got the lock within ``wait`` seconds."""
    driver.execute(f"PRAGMA busy_timeout={round(wait * 1000)}")
    try:
        driver.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY:  # extended codes too
            return False
        raise OperationalError("BEGIN IMMEDIATE", None, error) from error
    return True


def read_only(engine: Engine) -> Engine:
    """The same engine whose transactions only read: on SQLite they never take, nor wait
    for, the write lock; on PostgreSQL they are ``BEGIN READ ONLY`` (no extra round trip:
    psycopg adds it to the BEGIN it sends anyway), so a write slipped into a read is
    refused by the server rather than rolled back unseen."""
    options: dict[str, Any] = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    return engine.execution_options(**options)


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
    with Session(read_only(engine), expire_on_commit=False) as s:
        yield s
