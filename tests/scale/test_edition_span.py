"""A workspace of several editions: a page of one edition reads that edition's items, not
the workspace's. Item ids are numbered across editions, so on SQLite a queue page walked
along the primary key (no status chosen) used to start at the workspace's first item, and a
page of an edition imported after a large one read the large one first (verifier/core/review
/edition_span.py). Work inside the database is counted in SQLite virtual-machine
instructions, which the machine's load does not change."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import MINI
from tests.importing_helpers import write_csv
from tests.scale.generated import generated_rows
from verifier.core.editions import load_edition
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review import listing_sql, queue
from verifier.core.review.queue import QueueFilter
from verifier.core.workspace import Workspace

SMALL, LARGE, OTHER = 200, 2_000, 120
STEP = 100  # VM instructions per progress callback
FILTERS = {
    "every item": QueueFilter(),
    "as it opens": QueueFilter(statuses=("unverified",)),  # the disagreements lead
    "unverified, differs": QueueFilter(statuses=("unverified",), evidence=("value_differs",)),
    "one city": QueueFilter(cities=("eg-cairo",)),
    "one indicator": QueueFilter(indicators=("TRD-WATER",)),
    "evidence differs": QueueFilter(evidence=("value_differs",)),
}


def _edition_dir(folder: Path, code: str) -> Path:
    copy = folder / code
    shutil.copytree(MINI, copy)
    toml = copy / "edition.toml"
    toml.write_text(toml.read_text("utf-8").replace('code = "mini"', f'code = "{code}"'), "utf-8")
    return copy


def _workspace(folder: Path, sizes: list[tuple[str, int]]) -> tuple[Workspace, dict[str, int]]:
    """Editions loaded and filled in the order given (each a block of ids), plus an empty
    one; a quarter of the items' values differ from their documents."""
    folder.mkdir()
    workspace = Workspace(f"sqlite:///{folder / 'workspace.db'}")
    workspace.initialise()
    for code, count in [*sizes, ("empty", 0)]:
        load_edition(workspace, _edition_dir(folder, code), "layla")
        if count:
            path = write_csv(folder / f"{code}.csv", generated_rows(count))
            report = import_file(workspace, path, ImportOptions("omar", edition=code))
            assert report.accepted == count
    with workspace.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO evidence_check (item_id, status, found_text, score, place, hint, "
            "method, checked_by, checked_at) SELECT id, CASE WHEN id % 4 = 2 THEN "
            "'value_differs' ELSE 'match' END, '', 100, '', '', 'test', 'omar', "
            "CURRENT_TIMESTAMP FROM item"
        ))  # fmt: skip
        editions = dict(connection.execute(text("SELECT code, id FROM edition")).all())
    return workspace, editions


def _vm_steps(workspace: Workspace, work: Callable[[], Any]) -> int:
    steps = 0

    def tick() -> int:
        nonlocal steps
        steps += STEP
        return 0

    with workspace.engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
    driver.set_progress_handler(tick, STEP)  # the pool gives the same connection back
    try:
        work()
    finally:
        driver.set_progress_handler(None, STEP)
    assert steps > 0, "no work counted: not the connection the queue read through"
    return steps


def _pages(workspace: Workspace, edition_id: int, flt: QueueFilter, last: int) -> None:
    """The first page, the next, the page before the next one's last item, and past the
    edition's last item: what the review UI reads as a reviewer opens the queue, pages down
    and back, and reaches the end (its position in the queue is counted later, apart)."""
    with workspace.reading() as session:
        first = queue.page_after(session, edition_id, flt, None, 20, counted=False)
        ids = [row.id for row in first.rows]
        later = queue.page_after(session, edition_id, flt, ids[-1], 20, counted=False).rows
        queue.page_before(session, edition_id, flt, later[-1].id, 20, counted=False)
        assert queue.page_after(session, edition_id, flt, last, 20, counted=False).rows == []


def _positions(workspace: Workspace, edition_id: int, flt: QueueFilter, last: int) -> None:
    """Where the second page and the edition's last item stand in the queue (the review
    UI counts it after showing the page)."""
    with workspace.reading() as session:
        first = queue.page_after(session, edition_id, flt, None, 20, counted=False)
        queue.count_before(session, edition_id, flt, first.rows[-1].id)
        queue.count_before(session, edition_id, flt, last)


def _last(workspace: Workspace, edition_id: int) -> int:
    with workspace.reading() as session:
        found = session.execute(
            text("SELECT max(id) FROM item WHERE edition_id = :e"), {"e": edition_id}
        )
        return int(found.scalar_one())


def _steps_of_b(
    workspaces: dict[int, tuple[Workspace, dict[str, int]]],
    reads: Callable[[Workspace, int, QueueFilter, int], None],
    flt: QueueFilter,
) -> dict[int, int]:
    """The SQLite work of ``reads`` on edition "b", in each size of workspace."""
    steps = {}
    for size, (workspace, editions) in workspaces.items():
        last = _last(workspace, editions["b"])
        steps[size] = _vm_steps(workspace, partial(reads, workspace, editions["b"], flt, last))
    return steps


@pytest.fixture(scope="module")
def workspaces(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[int, tuple[Workspace, dict[str, int]]]]:
    folder = tmp_path_factory.mktemp("spans")
    built = {
        # The edition shown ("b") comes after one of each size, and before one.
        size: _workspace(folder / f"w{size}", [("a", size), ("b", OTHER), ("c", size)])
        for size in (SMALL, LARGE)
    }
    yield built
    for workspace, _ in built.values():
        workspace.close()


@pytest.mark.parametrize("name", FILTERS)
def test_a_page_of_one_edition_costs_the_same_whatever_the_others_hold(
    workspaces: dict[int, tuple[Workspace, dict[str, int]]], name: str
) -> None:
    """Ten times the items in the editions before and after it: about the same work for the
    pages of the edition between them (it was ten times the work, or more)."""
    steps = _steps_of_b(workspaces, _pages, FILTERS[name])
    assert steps[LARGE] <= steps[SMALL] * 1.3 + 2_000, steps


@pytest.mark.parametrize("name", [n for n in FILTERS if not FILTERS[n].evidence])
def test_a_place_in_one_edition_s_queue_costs_the_same_whatever_the_others_hold(
    workspaces: dict[int, tuple[Workspace, dict[str, int]]], name: str
) -> None:
    """Counting the items before one walks the edition's own span. (With an evidence
    filter the count gathers the results of that status in every edition: see the
    performance notes.)"""
    steps = _steps_of_b(workspaces, _positions, FILTERS[name])
    assert steps[LARGE] <= steps[SMALL] * 1.3 + 2_000, steps


@pytest.mark.parametrize("name", FILTERS)
def test_the_pages_hold_the_edition_s_items_only_and_all_of_them(
    workspaces: dict[int, tuple[Workspace, dict[str, int]]], name: str
) -> None:
    flt = FILTERS[name]
    workspace, editions = workspaces[SMALL]
    for code in ("a", "b", "c"):
        with workspace.reading() as session:
            listed = queue.item_ids(session, editions[code], flt)
            every = queue.item_ids(session, editions[code], QueueFilter())
            expected = session.execute(
                text("SELECT id FROM item WHERE edition_id = :e ORDER BY id"),
                {"e": editions[code]},
            ).scalars()
            assert every == list(expected)
            walked: list[int] = []
            page = queue.page_after(session, editions[code], flt, None, 25)
            while page.rows:
                walked += [row.id for row in page.rows]
                if not page.has_after:
                    break
                page = queue.page_after(session, editions[code], flt, walked[-1], 25)
        assert listed and set(listed) <= set(every)
        assert sorted(walked) == listed, code  # the review UI's order may lead with some
        with workspace.reading() as session:
            offsets = [queue.count_before(session, editions[code], flt, i) for i in walked]
        assert offsets == list(range(len(walked))), code


def test_an_edition_without_items_shows_an_empty_queue(
    workspaces: dict[int, tuple[Workspace, dict[str, int]]],
) -> None:
    workspace, editions = workspaces[SMALL]
    for flt in FILTERS.values():
        with workspace.reading() as session:
            page = queue.page_after(session, editions["empty"], flt, None, 20)
            assert page.rows == [] and not page.has_after
            assert queue.item_ids(session, editions["empty"], flt) == []


def test_the_listing_read_through_the_driver_keeps_to_the_edition(
    workspaces: dict[int, tuple[Workspace, dict[str, int]]],
) -> None:
    """``verifier items`` without filters runs the compiled statements: each page after
    the first starts at its keyset, not at the edition's first item."""
    statements = listing_sql.STATEMENTS["sqlite"]
    first_costs = {}
    for size, (workspace, editions) in workspaces.items():
        url = workspace.engine.url.database
        assert url is not None
        with sqlite3.connect(url) as connection:
            for code in ("a", "b", "c", "empty"):
                sql, constants = statements["first_ids"]
                given = {**constants, "edition_id": editions[code], "limit": 50}
                ids = [i for (i,) in connection.execute(sql, given)]
                sql, constants = statements["next_ids"]
                while ids and len(ids) % 50 == 0:
                    given = {**constants, "edition_id": editions[code], "limit": 50}
                    more = [i for (i,) in connection.execute(sql, {**given, "after": ids[-1]})]
                    if not more:
                        break
                    ids += more
                expected = connection.execute(
                    "SELECT id FROM item WHERE edition_id = ? ORDER BY id", (editions[code],)
                )
                assert ids == [i for (i,) in expected], (size, code)
            # The first page of the last edition starts at its own first item.
            sql, constants = statements["first_ids"]
            first_c = {**constants, "edition_id": editions["c"], "limit": 50}
            first_costs[size] = _driver_steps(connection, sql, first_c)
            # A page near the end of the large edition costs what one near its start does:
            # the keyset is folded into the edition's span, not checked on each row of it.
            sql, constants = statements["next_ids"]
            ids = [
                i
                for (i,) in connection.execute(
                    "SELECT id FROM item WHERE edition_id = ? ORDER BY id", (editions["a"],)
                )
            ]
            given = {**constants, "edition_id": editions["a"], "limit": 50}
            costs = [
                _driver_steps(connection, sql, {**given, "after": a}) for a in (ids[0], ids[-60])
            ]
            assert costs[1] <= costs[0] * 1.3 + 1_000, (size, costs)
    assert first_costs[LARGE] <= first_costs[SMALL] * 1.3 + 1_000, first_costs


def _driver_steps(connection: sqlite3.Connection, sql: str, given: dict[str, Any]) -> int:
    steps = 0

    def tick() -> int:
        nonlocal steps
        steps += STEP
        return 0

    connection.set_progress_handler(tick, STEP)
    try:
        assert len(connection.execute(sql, given).fetchall()) == 50
    finally:
        connection.set_progress_handler(None, STEP)
    assert steps > 0
    return steps
