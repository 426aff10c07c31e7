"""Where an import keeps its validated rows until the write: a temporary SQLite file.

Preparing a large file must not hold its rows in memory, and must not hold the workspace's
write lock either. So each chunk of validated rows goes into this stage as it is done, in
the form the workspace's driver takes (``Stage.values_for``), and the write transaction
later copies the stage into the workspace in chunks. The stage is private to one import
and deleted with it; it is never the workspace, so a crash leaves the workspace untouched
(and the next import removes the stage a killed one left: ``verifier.core.scratch``).

Tables: ``items`` (accepted rows, by row number, with their raw cells kept compactly in
case the write finds one a duplicate after all), ``refused`` (invalid and duplicate rows
with their reasons) and ``seen`` (each fact's first row, for duplicates within the file).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Dialect

from db.models import Item, table_of
from verifier.core.eventlog.import_digest import batch_digest
from verifier.core.importing.staged_counts import StagedCounts
from verifier.core.scratch import ScratchFolder

# The item columns staged, in order: what validation and matching give each row.
MATCH_COLUMNS = (
    "suggested_city_id", "match_score", "match_band", "match_detail", "city_id", "match_method",
)  # fmt: skip
CACHE_KB = 16_384  # the stage's page cache: its memory is bounded whatever the file's size
# A tabular row's raw cells are kept as their values joined by this character: an accepted
# row never holds a control character (the readers refuse those rows).
RAW_SEPARATOR = "\x1f"
# Stage folders in the temporary directory: one left by a killed import is removed by the next.
STAGE_PREFIX = "verifier-import-"


class Stage:
    def __init__(self, columns: Sequence[str], dialect: Dialect, counted: bool = False) -> None:
        self.columns = tuple(columns)
        self._counts = StagedCounts(self.columns) if counted else None
        self._counted_changes = 0
        self._scratch = ScratchFolder(STAGE_PREFIX)
        self.folder: Path = self._scratch.path
        self.path = self.folder / "stage.db"
        self.db = sqlite3.connect(self.path, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{CACHE_KB}"):
            self.db.execute(f"PRAGMA {pragma}")
        names = ", ".join(f'"{c}"' for c in self.columns[1:])
        self.db.execute(f"CREATE TABLE items (row_number INTEGER PRIMARY KEY, {names}, raw)")
        self.db.execute("CREATE TABLE refused (row_number INTEGER PRIMARY KEY, kind, reason, raw)")
        self.db.execute(
            "CREATE TABLE seen (fingerprint TEXT PRIMARY KEY, row_number) WITHOUT ROWID"
        )
        self.db.execute("BEGIN")
        marks = ", ".join("?" * (len(self.columns) + 1))
        self._add_item = f"INSERT INTO items VALUES ({marks})"
        self.timestamp, self.document = storable_converters(dialect)

    def close(self) -> None:
        self.db.close()
        self._scratch.remove()

    # Filling ---------------------------------------------------------------------------

    def first_rows(self, fingerprints: Sequence[str]) -> dict[str, int]:
        """The first row of each of these facts already staged."""
        if not fingerprints:
            return {}
        query = (
            "SELECT fingerprint, row_number FROM seen "
            "WHERE fingerprint IN (SELECT value FROM json_each(?))"
        )
        return dict(self.db.execute(query, (json.dumps(fingerprints),)))

    def add(
        self,
        items: Sequence[tuple[Any, ...]],
        refused: Sequence[tuple[int, str, str, str]],
        seen: Sequence[tuple[str, int]],
    ) -> None:
        """Staged rows: items (``columns`` then the compact raw), refused rows (row number,
        kind, reason, raw JSON text) and first rows of facts (fingerprint, row number)."""
        self.db.executemany(self._add_item, items)
        if self._counts is not None:
            self._counts.add(items)
        self.db.executemany("INSERT INTO refused VALUES (?, ?, ?, ?)", refused)
        self.db.executemany("INSERT INTO seen VALUES (?, ?)", seen)
        self._counted_changes = self.db.total_changes

    @property
    def counts(self) -> StagedCounts | None:
        """Counts of the items as they were added, when asked for (an import's columns);
        None once anything but ``add`` changed the stage: it is then read instead."""
        if self.db.total_changes != self._counted_changes:
            return None
        return self._counts

    def totals(self) -> StagedCounts | ReadBack:
        """What the write needs of the items as a whole: counted as they were staged while
        those counts hold, read back from the stage otherwise."""
        counts = self.counts
        return ReadBack(self) if counts is None else counts

    def finish(self) -> None:
        self.db.execute("COMMIT")

    # Reading ---------------------------------------------------------------------------

    def count(self, table: str, where: str = "") -> int:
        row = self.db.execute(f"SELECT count(*) FROM {table} {where}").fetchone()
        return int(row[0])

    def bands(self) -> dict[str, int]:
        query = "SELECT match_band, count(*) FROM items GROUP BY match_band ORDER BY match_band"
        return {band: n for band, n in self.db.execute(query) if band is not None}

    def digests(self) -> Iterator[tuple[Any, Any]]:
        """Each staged item's (import digest, match digest), in file order."""
        query = "SELECT import_digest, match_digest FROM items ORDER BY row_number"
        yield from self.db.execute(query)

    def item_chunks(self, late: Sequence[Any], size: int) -> Iterator[list[tuple[Any, ...]]]:
        """The staged items in file order, each followed by the ``late`` values."""
        names = ", ".join(f'"{c}"' for c in self.columns)
        marks = ", ".join("?" * len(late))
        query = (
            f"SELECT {names}, {marks} FROM items WHERE row_number > ? ORDER BY row_number LIMIT ?"
        )
        after = 0
        while True:
            rows = self.db.execute(query, (*late, after, size)).fetchall()
            if not rows:
                return
            yield rows
            after = rows[-1][0]

    def refused_chunks(self, size: int) -> Iterator[list[tuple[int, str, str, str]]]:
        query = "SELECT * FROM refused WHERE row_number > ? ORDER BY row_number LIMIT ?"
        after = 0
        while True:
            rows = self.db.execute(query, (after, size)).fetchall()
            if not rows:
                return
            yield rows
            after = rows[-1][0]

    def refuse_staged(
        self,
        reasons: dict[str, str],
        raw_of: Callable[[str], dict[str, Any]],
        dump: Callable[[dict[str, Any]], str],
    ) -> int:
        """Move the staged items with these fingerprints to the refused rows as duplicates,
        each with its reason; how many were moved."""
        moved = 0
        fingerprints = list(reasons)
        for start in range(0, len(fingerprints), 500):
            part = json.dumps(fingerprints[start : start + 500])
            query = (
                "SELECT i.row_number, i.fingerprint, i.raw FROM seen s JOIN items i "
                "ON i.row_number = s.row_number "
                "WHERE s.fingerprint IN (SELECT value FROM json_each(?))"
            )
            found = self.db.execute(query, (part,)).fetchall()
            self.db.executemany(
                "INSERT INTO refused VALUES (?, 'duplicate', ?, ?)",
                [(number, reasons[fp], dump(raw_of(raw))) for number, fp, raw in found],
            )
            self.db.executemany(
                "DELETE FROM items WHERE row_number = ?", [(number,) for number, _, _ in found]
            )
            moved += len(found)
        return moved


def storable_converters(
    dialect: Dialect,
) -> tuple[Callable[[datetime], Any], Callable[[Any], str]]:
    """How a timestamp and a JSON document are staged: as the workspace's driver takes
    them (SQLite: the text SQLAlchemy would store), or as text the server parses (COPY)."""
    table = table_of(Item)
    serialise: Callable[[Any], str] = getattr(dialect, "_json_serializer", None) or json.dumps
    if dialect.name == "sqlite":
        stamp = table.c.extracted_at.type._cached_bind_processor(dialect)
        assert stamp is not None
        return stamp, serialise
    return (lambda moment: moment.astimezone(UTC).isoformat()), serialise


class ReadBack:
    """The figures ``StagedCounts`` keeps, read from the stage itself."""

    def __init__(self, stage: Stage) -> None:
        self._stage = stage

    @property
    def items(self) -> int:
        return self._stage.count("items")

    @property
    def missing_values(self) -> int:
        return self._stage.count("items", "WHERE value_number IS NULL")

    def bands(self) -> dict[str, int]:
        return self._stage.bands()

    def batch_digest(self) -> str:
        return batch_digest(self._stage.digests())

    def tallies(self, _edition_id: int, _status: str) -> None:
        """None: the tally triggers count the items as they are copied."""
        return None
