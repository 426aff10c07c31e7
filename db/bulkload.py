"""Loading many rows already in the driver's form: one statement per chunk on SQLite, one
COPY on PostgreSQL, and on SQLite the item tallies and search index brought up to date
once for the whole load instead of by a trigger per row.

Migration 0010 keeps ``item_tally``, ``reviewer_tally`` and (SQLite) the ``item_search``
index by triggers. On SQLite they run per row: two upserts and an FTS insert for every
imported item, which doubles an import's time. ``item_triggers_deferred`` drops exactly
those two insert triggers for the duration of a load, inside the write transaction, and
then adds the loaded rows to the tallies with one grouped upsert and to the index with one
INSERT … SELECT, and creates the triggers again, all before the transaction commits: no
other connection ever sees the workspace without them, and a failure rolls all of it back.
A trigger whose text is not the one 0010 created (a later migration changed it) is left
alone and fires per row as before. On PostgreSQL the tally triggers are already per
statement (a whole COPY is one grouped upsert), so nothing is changed there.

Rows already in another SQLite file (an import's stage) are copied by SQLite itself
(``copy_attached``): the file is attached to the writing connection and read by
``INSERT … SELECT``, so no row passes through Python while the write lock is held.
"""

from __future__ import annotations

import contextlib
import importlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import Connection

_TALLY_MIGRATION = "db.migrations.versions.0010_scale_tallies_and_search"
# In a pooled connection's info: the files attached to it, detached when it is checked in
# (SQLite refuses DETACH inside the transaction that used them).
ATTACHED = "attached_files"


def load_rows(
    connection: Connection,
    table: str,
    columns: Sequence[str],
    chunks: Iterable[Sequence[tuple[Any, ...]]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert every row of ``chunks`` (tuples in ``columns`` order, values the driver takes
    as they are) into ``table``; how many rows. ``table`` and ``columns`` are the code's
    own names, never input."""
    names = ", ".join(f'"{c}"' for c in columns)
    done = 0
    if connection.dialect.name == "postgresql":
        driver = connection.connection.driver_connection
        cursor = driver.cursor()  # type: ignore[union-attr]
        with cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for chunk in chunks:
                for row in chunk:
                    copy.write_row(row)
                done += len(chunk)
                if progress is not None:
                    progress(done)
        return done
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join([mark] * len(columns))})'
    for chunk in chunks:
        connection.exec_driver_sql(statement, list(chunk))
        done += len(chunk)
        if progress is not None:
            progress(done)
    return done


def attach(connection: Connection, path: Path, alias: str) -> None:
    """Make the SQLite file at ``path`` readable as ``alias`` on this connection, inside the
    caller's transaction; it is detached when the connection returns to its pool
    (``detach_all``, which ``db.engine`` calls at checkin)."""
    connection.exec_driver_sql(f'ATTACH DATABASE ? AS "{alias}"', (str(path),))
    connection.info.setdefault(ATTACHED, []).append(alias)


def detach_all(dbapi_connection: sqlite3.Connection, info: dict[Any, Any]) -> None:
    for alias in info.pop(ATTACHED, []):
        # A failure here means the connection is being closed anyway.
        with contextlib.suppress(sqlite3.Error):
            dbapi_connection.execute(f'DETACH DATABASE "{alias}"')


def attached(connection: Connection, path: Path, alias: str) -> str:
    """``alias``, the file at ``path`` attached under it unless it already is."""
    if alias not in connection.info.get(ATTACHED, []):
        attach(connection, path, alias)
    return alias


def copy_attached(
    connection: Connection,
    table: str,
    columns: Sequence[str],
    source: str,
    late: dict[str, Any],
    chunk: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """SQLite: insert into ``table`` the rows of ``source`` (an attached table whose first
    column is its integer primary key) in key order: its ``columns``, then the ``late``
    columns' values, the same for every row; ``chunk`` rows per statement. How many rows.
    ``table``, the column names and ``source`` are the code's own names, never input."""
    key = columns[0]
    selected = ", ".join(f'"{c}"' for c in columns)
    names = ", ".join(f'"{c}"' for c in (*columns, *late))
    marks = ", ".join("?" * len(late))
    window = (
        f'SELECT max("{key}"), count(*) FROM (SELECT "{key}" FROM {source} '
        f'WHERE "{key}" > ? ORDER BY "{key}" LIMIT ?)'
    )
    statement = (
        f'INSERT INTO "{table}" ({names}) SELECT {selected}, {marks} FROM {source} '
        f'WHERE "{key}" > ? AND "{key}" <= ? ORDER BY "{key}"'
    )
    done, after = 0, 0
    while True:
        upto, count = connection.exec_driver_sql(window, (after, chunk)).one()
        if not count:
            return done
        connection.exec_driver_sql(statement, (*late.values(), after, upto))
        done, after = done + count, upto
        if progress is not None:
            progress(done)


@contextmanager
def item_triggers_deferred(
    connection: Connection, batch_id: int, tallies: Sequence[tuple[Any, ...]] | None = None
) -> Iterator[None]:
    """Within the caller's write transaction: while the block inserts the items of batch
    ``batch_id``, the per-row insert triggers of 0010 are off; after it, their work is done
    in one statement each and they are back (SQLite; elsewhere a no-op).

    ``tallies``, when the caller counted them beforehand, are the batch's rows of
    ``item_tally`` (its key's six columns, then the count) and say that no item of the batch
    has a reviewer: they are added as they are instead of by grouping the batch's items."""
    if connection.dialect.name != "sqlite":
        yield
        return
    migration = importlib.import_module(_TALLY_MIGRATION)
    expected = _insert_triggers(migration)
    present: dict[str, str] = dict(
        connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'item'"
        ).all()
    )
    deferred = [name for name, sql in expected.items() if present.get(name) == sql]
    for name in deferred:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for name in deferred:
        if name == "item_tally_insert" and tallies is not None:
            _add_tallies(connection, migration, tallies)
        else:
            for statement in _catch_up(migration, name):
                connection.exec_driver_sql(statement, (batch_id,))
        connection.exec_driver_sql(expected[name])


def _add_tallies(
    connection: Connection, migration: ModuleType, tallies: Sequence[tuple[Any, ...]]
) -> None:
    if tallies:
        key = migration.KEY
        connection.exec_driver_sql(
            f"INSERT INTO item_tally ({key}, n) VALUES (?, ?, ?, ?, ?, ?, ?) "
            f"ON CONFLICT ({key}) DO UPDATE SET n = n + excluded.n",
            list(tallies),
        )


def _insert_triggers(migration: ModuleType) -> dict[str, str]:
    """The SQLite insert triggers on ``item`` that 0010 created, by name: their SQL."""
    found = {}
    for statement in migration._sqlite_up():
        words = statement.split()
        if words[:2] == ["CREATE", "TRIGGER"] and words[3:7] == ["AFTER", "INSERT", "ON", "item"]:
            found[words[2]] = statement
    return found


def _catch_up(migration: ModuleType, trigger: str) -> list[str]:
    """What ``trigger`` would have done for every row of one batch (``?``), at once."""
    if trigger == "item_search_insert":
        return [
            "INSERT INTO item_search (rowid, search_key) "
            "SELECT id, search_key FROM item WHERE batch_id = ?"
        ]
    if trigger != "item_tally_insert":
        raise ValueError(f"no catch-up for trigger {trigger}")
    key, item_key = migration.KEY, migration.ITEM_KEY.format(r="item")
    reviewer_key = migration.REVIEWER_KEY.format(r="item")
    return [
        f"INSERT INTO item_tally ({key}, n) SELECT {item_key}, count(*) FROM item "
        f"WHERE batch_id = ? GROUP BY {item_key} "
        f"ON CONFLICT ({key}) DO UPDATE SET n = n + excluded.n",
        f"INSERT INTO reviewer_tally (edition_id, reviewer, status, n) "
        f"SELECT {reviewer_key}, count(*) FROM item "
        f"WHERE batch_id = ? AND status_changed_by IS NOT NULL GROUP BY {reviewer_key} "
        f"ON CONFLICT (edition_id, reviewer, status) DO UPDATE SET n = n + excluded.n",
    ]
