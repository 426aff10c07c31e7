"""A listing of every item of an edition (``verifier items`` without filters) read through
the driver: a DB-API connection (sqlite3 or psycopg, as ``db.direct`` opens it) and the
queue's own statements compiled (``listing_sql``), so that it starts without SQLAlchemy or
the models. It reads what ``queue.iter_values`` and ``notes.status_notes`` read, in the
same pages; the paging and the notes' rule below are theirs too."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from db.id_sets import id_set

CHUNK = 1_000  # rows read and written at a time


def keyset_pages(
    fetch: Callable[[int, int | None], list[int]], limit: int | None, chunk: int
) -> Iterator[list[int]]:
    """Ids a page at a time, ``fetch(size, after)`` giving up to ``size`` ids past ``after``
    (None: from the first) in id order; at most ``limit`` in all (None: every one)."""
    after: int | None = None
    left = limit
    while left is None or left > 0:
        size = chunk if left is None else min(chunk, left)
        ids = fetch(size, after)
        if not ids:
            return
        yield ids
        if len(ids) < size:
            return
        after = ids[-1]
        left = None if left is None else left - len(ids)


def notes_of(rows: Sequence[Sequence[Any]]) -> dict[int, str]:
    """(item id, reason, note) of each item's latest status change -> the words shown: the
    reason, else the note; an item whose change said nothing is left out."""
    notes: dict[int, str] = {}
    for item_id, reason, note in rows:
        words = (reason or note or "").strip()
        if item_id is not None and words:
            notes[item_id] = words
    return notes


class DriverListing:
    """The edition's items in id order, read through ``connection`` (``dialect``:
    "sqlite" or "postgresql")."""

    def __init__(self, connection: Any, dialect: str, edition_id: int) -> None:
        self.connection = connection
        self.dialect = dialect
        self.edition_id = edition_id
        # Imported here: the queue imports this module for its paging, and must not
        # depend on the generated file (``listing_compile`` writes it from the queue).
        from verifier.core.review.listing_sql import STATEMENTS

        self.statements = STATEMENTS[dialect]

    def _run(self, name: str, given: dict[str, Any]) -> list[Any]:
        sql, constants = self.statements[name]
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, {**constants, **given})
            return cursor.fetchall()
        finally:
            cursor.close()

    def _ids(self, size: int, after: int | None) -> list[int]:
        given = {"edition_id": self.edition_id, "limit": size}
        if after is None:
            return [i for (i,) in self._run("first_ids", given)]
        return [i for (i,) in self._run("next_ids", {**given, "after": after})]

    def pages(
        self, limit: int | None, chunk: int = CHUNK
    ) -> Iterator[tuple[list[Any], dict[int, str]]]:
        """Rows of ``queue.iter_values`` (QueueRow's fields, in its order) and their status
        notes, ``chunk`` at a time."""
        booleans = self.statements["booleans"]
        for ids in keyset_pages(self._ids, limit, chunk):
            listed = id_set(ids, self.dialect)
            rows = self._run("rows", {"id_set": listed, "edition_id": self.edition_id})
            if booleans:
                rows = [_as_booleans(row, booleans) for row in rows]
            rows.sort(key=itemgetter(0))
            yield rows, notes_of(self._run("notes", {"id_set": listed}))

    def count(self) -> int:
        return int(self._run("count", {"edition_id": self.edition_id})[0][0])


def _as_booleans(row: Sequence[Any], columns: Sequence[int]) -> tuple[Any, ...]:
    values = list(row)
    for i in columns:
        if values[i] is not None:
            values[i] = bool(values[i])
    return tuple(values)
