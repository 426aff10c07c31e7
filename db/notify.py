"""Waiting until a workspace may have changed, without polling the tables.

- PostgreSQL: LISTEN on the channel the event-linking trigger notifies (db/chain_sql.py),
  on a connection of its own; notifications this program's own connections sent (its own
  decisions) are passed over.
- SQLite: ``PRAGMA data_version`` changes when another connection commits; it is read a
  few times a second on a connection of its own (a cheap read of the file header).

``wait`` returns True when something may have changed (the caller then reads what), False
after ``timeout`` seconds without news.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import Engine

from db.chain_sql import NOTIFY_CHANNEL
from db.engine import own_backends

SQLITE_POLL_SECONDS = 0.25


class ChangeWaiter:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sqlite: sqlite3.Connection | None = None
        self._version: int | None = None
        self._pg: Any = None
        self._schema = ""

    def wait(self, timeout: float) -> bool:
        if self._engine.dialect.name == "sqlite":
            return self._wait_sqlite(timeout)
        return self._wait_postgres(timeout)

    def _wait_sqlite(self, timeout: float) -> bool:
        if self._sqlite is None:
            path = self._engine.url.database
            if not path or path == ":memory:":
                time.sleep(timeout)
                return False
            self._sqlite = sqlite3.connect(path, check_same_thread=False)
            self._version = self._data_version()
        deadline = time.monotonic() + timeout
        while True:
            version = self._data_version()
            if version != self._version:
                self._version = version
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(SQLITE_POLL_SECONDS, left))

    def _data_version(self) -> int:
        assert self._sqlite is not None
        value: int = self._sqlite.execute("PRAGMA data_version").fetchone()[0]
        return value

    def _wait_postgres(self, timeout: float) -> bool:
        if self._pg is None:
            raw = self._engine.raw_connection()
            connection = raw.driver_connection
            assert connection is not None
            raw.detach()  # ours alone, never handed back to the pool in LISTEN state
            connection.autocommit = True
            self._schema = connection.execute("SELECT current_schema()").fetchone()[0]
            connection.execute(f'LISTEN "{NOTIFY_CHANNEL}"')
            self._pg = connection
        # A notification sent by one of this program's own connections is its own commit
        # (a decision just saved): nothing a colleague did, so nothing to read back.
        own = own_backends(self._engine)
        changed = False
        for note in self._pg.notifies(timeout=timeout, stop_after=1):
            changed = changed or (note.payload == self._schema and note.pid not in own)
        return changed

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
        if self._pg is not None:
            self._pg.close()
            self._pg = None
