"""An import streams: rows are read, validated and staged in bounded chunks, so it never
holds more than a bounded number of a file's rows however long the file is (no timing:
the rows alive at any moment are counted). And the bulk path keeps the tallies, the
search index and the per-row triggers as they were."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.importing_helpers import write_csv
from tests.scale.generated import generated_rows
from verifier.core import parallel
from verifier.core.importing import ImportOptions, import_file, prepare, validation
from verifier.core.importing.rawrows import RawRow
from verifier.core.workspace import Workspace

ROWS = 3_000
CHUNK = 100
HEAD = 300


class CountingRows:
    """Wraps a stream's rows: counts the rows read, and how many are alive at once."""

    def __init__(self, rows: Iterator[RawRow]) -> None:
        self.rows = rows
        self.read = 0
        self.alive = 0
        self.most_alive = 0

    def __iter__(self) -> Iterator[RawRow]:
        for row in self.rows:
            self.read += 1
            self.alive += 1
            self.most_alive = max(self.most_alive, self.alive)
            weakref.finalize(row, self._released)
            yield row

    def _released(self) -> None:
        self.alive -= 1


@pytest.mark.parametrize("forked", [False, True])
def test_an_import_holds_a_bounded_number_of_rows(
    mini: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    monkeypatch.setattr(validation, "CHUNK_ROWS", CHUNK)
    monkeypatch.setattr(validation, "PARALLEL_FROM_ROWS", HEAD)
    monkeypatch.setattr(parallel, "worthwhile", lambda size, threshold: forked)
    counters: list[CountingRows] = []
    real_open = prepare.open_rows

    @contextmanager
    def counted_open(*args: Any) -> Iterator[Any]:
        with real_open(*args) as stream:
            counter = CountingRows(stream.rows)
            stream.rows = iter(counter)
            counters.append(counter)
            yield stream

    monkeypatch.setattr(prepare, "open_rows", counted_open)
    path = write_csv(tmp_path / "long.csv", generated_rows(ROWS))
    report = import_file(mini, path, ImportOptions("omar"))
    assert report.accepted == ROWS and report.problems == []
    (counter,) = counters
    assert counter.read == ROWS
    # The rows read before deciding on workers, the chunk being staged and the next one
    # being read, and those sent ahead to the workers: a bound set by the chunk size.
    ahead = (parallel.processes() + 1) * CHUNK if forked else 0
    bound = HEAD + 2 * CHUNK + ahead
    assert counter.most_alive <= bound < ROWS
    assert counter.alive == 0  # nothing of the file is held after the import


def test_refused_rows_and_duplicates_stream_too(mini: Workspace, tmp_path: Path) -> None:
    rows = generated_rows(40)
    rows[5][2] = "not a number"
    rows.append(list(rows[7]))  # the same fact twice in the file
    first = import_file(mini, write_csv(tmp_path / "a.csv", rows), ImportOptions("omar"))
    assert first.accepted == 39
    assert [(p.row_number, p.kind) for p in first.problems] == [
        (7, "invalid"),
        (42, "duplicate"),
    ]
    assert first.problems[1].reason == (
        "duplicate of row 9 of this file (same source, locator, indicator and city)"
    )
    again = generated_rows(41)[39:]  # one fact already imported, one new
    second = import_file(mini, write_csv(tmp_path / "b.csv", again), ImportOptions("omar"))
    assert second.accepted == 1
    (problem,) = second.problems
    assert (problem.row_number, problem.kind) == (2, "duplicate")
    assert problem.reason.startswith("already imported as item 39 (batch 1, row 41)")


def test_the_bulk_path_puts_the_row_triggers_back(mini: Workspace, tmp_path: Path) -> None:
    query = text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
    with mini.reading() as session:
        before = session.connection().execute(query).all()
    import_file(mini, write_csv(tmp_path / "a.csv", generated_rows(50)), ImportOptions("omar"))
    with mini.reading() as session:
        assert session.connection().execute(query).all() == before
        names = {name for name, _ in before}
    assert {"item_tally_insert", "item_search_insert"} <= names
