"""One decision does bounded work: the same statements, and about the same work inside the
database, in a workspace ten times larger.

A decision in the review UI is: save the status (one transaction), read the decided row
back for the queue, and read and lay out the next item; the status line is moved by the
item decided (tests/tui/test_status_line_counts.py), not counted again. Statements are
counted with an SQLAlchemy event listener; on SQLite the work inside the database is
counted too, in virtual-machine instructions (``set_progress_handler``), which is what a
scan over every item would multiply.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import col, select

from db.models import Item
from tests.scale.generated import fill
from verifier.config import Settings
from verifier.core.review import item_peers
from verifier.core.review.queue import QueueFilter
from verifier.core.workspace import Workspace
from verifier.tui.backend import ReviewBackend

SMALL, LARGE = 240, 2_400
STEP = 100  # VM instructions per progress callback


@dataclass
class Work:
    statements: list[str] = field(default_factory=list)
    vm_steps: int = 0


@contextmanager
def counted(workspace: Workspace) -> Iterator[Work]:
    work = Work()

    def tick() -> int:
        work.vm_steps += STEP
        return 0  # go on

    def before(conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        work.statements.append(" ".join(sql.split()))
        driver = conn.connection.driver_connection
        if conn.dialect.name == "sqlite":
            driver.set_progress_handler(tick, STEP)

    event.listen(workspace.engine, "before_cursor_execute", before)
    try:
        yield work
    finally:
        event.remove(workspace.engine, "before_cursor_execute", before)


def _backend(url: str) -> ReviewBackend:
    return ReviewBackend.open(Settings(), url, "sara", None)


def _decide(backend: ReviewBackend, item_id: int, next_id: int) -> None:
    """What the review UI does for one verify, in order."""
    [row] = backend.rows([item_id])
    backend.set_status(item_id, "verified", row.version)
    backend.rows([item_id])
    backend.shown_item(next_id, 120, True)


def _decide_city(backend: ReviewBackend, item_id: int, next_id: int) -> None:
    """What the review UI does for one city decision: the matcher is built again before
    the next item is shown (the label may have become an alias, a confirmed pair)."""
    [row] = backend.rows([item_id])
    with backend.workspace.reading() as session:
        item = session.get(Item, item_id)
        assert item is not None and item.suggested_city_id is not None
        city_id = item.suggested_city_id
    backend.set_city(item_id, city_id, row.version)
    backend.rows([item_id])
    backend.shown_item(next_id, 120, True)


def _measure(url: str) -> tuple[Work, Work, Work]:
    backend = _backend(url)
    try:
        with backend.workspace.reading() as session:
            ids = list(session.exec(select(Item.id).order_by(col(Item.id))))
        backend.shown_item(ids[0], 120, True)  # the matcher is built once, at start
        _decide(backend, ids[0], ids[1])  # warm: caches, prepared statements
        with counted(backend.workspace) as decision:
            for position in range(40, 45):
                _decide(backend, ids[position], ids[position + 1])
        with counted(backend.workspace) as city:
            for position in range(60, 63):
                _decide_city(backend, ids[position], ids[position + 1])
        with counted(backend.workspace) as counts:
            backend.scope_counts(QueueFilter())
            backend.scope_counts(QueueFilter(indicators=("TRD-WATER",), statuses=("verified",)))
    finally:
        backend.close()
    return decision, counts, city


@pytest.fixture(scope="module")
def measured(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[int, tuple[Work, Work, Work]]]:
    """Five decisions and two counts, in a workspace of each size. The item view's counts
    of peers (same label; same city, indicator and year) stop at a cap; here the cap is
    made small enough for both sizes to pass it, as a million-item workspace would."""
    patch = pytest.MonkeyPatch()
    for name in ("SIBLINGS_COUNTED", "SAME_LABEL_COUNTED", "SIBLINGS_SHOWN"):
        patch.setattr(item_peers, name, 4)
    results = {}
    for count in (SMALL, LARGE):
        folder = tmp_path_factory.mktemp(f"scale-{count}")
        url = f"sqlite:///{folder / 'workspace.db'}"
        workspace = Workspace(url)
        workspace.initialise()
        fill(workspace, folder, count)
        workspace.close()
        results[count] = _measure(url)
    patch.undo()
    yield results


def test_a_decision_issues_the_same_statements_whatever_the_size(measured):
    small, large = measured[SMALL][0], measured[LARGE][0]
    assert len(large.statements) == len(small.statements)
    assert len(small.statements) <= 5 * 25  # five decisions
    assert not [s for s in large.statements if "GROUP BY" in s]


def test_a_decision_does_about_the_same_work_in_a_workspace_ten_times_larger(measured):
    small, large = measured[SMALL][0], measured[LARGE][0]
    # A scan of every item would cost ten times more here; indexed reads cost a little
    # more with a deeper tree and more peers per label, nothing like ten times.
    assert large.vm_steps <= 1.5 * small.vm_steps, (small.vm_steps, large.vm_steps)


def test_progress_counts_read_the_tally_not_the_items(measured):
    small, large = measured[SMALL][1], measured[LARGE][1]
    assert len(large.statements) == len(small.statements)
    assert large.vm_steps <= 1.5 * small.vm_steps, (small.vm_steps, large.vm_steps)
    assert all("item_tally" in s for s in large.statements if "GROUP BY" in s)


def test_a_city_decision_rebuilds_the_matcher_from_an_index_not_the_items(measured):
    """After a city decision the matcher learns from the labels people matched: read from
    the partial index of those items, not from every item of the edition that has a city."""
    small, large = measured[SMALL][2], measured[LARGE][2]
    assert len(large.statements) == len(small.statements)
    assert large.vm_steps <= 1.5 * small.vm_steps, (small.vm_steps, large.vm_steps)


@pytest.fixture
def small_backend(tmp_path) -> Iterator[ReviewBackend]:
    """The review UI's backend over a generated workspace of 24 items."""
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    workspace = Workspace(url)
    workspace.initialise()
    fill(workspace, tmp_path, 24)
    workspace.close()
    backend = _backend(url)
    try:
        yield backend
    finally:
        backend.close()


def test_after_a_decision_one_read_gives_the_rows_and_the_version_of_the_item_ahead(
    small_backend: ReviewBackend,
):
    """After the save, the review UI reads the decided rows and checks the item it read
    ahead (the next one) in one statement: on PostgreSQL each read session costs round
    trips of its own."""
    backend = small_backend
    with backend.workspace.reading() as session:
        first, second, third = session.exec(select(Item.id).order_by(col(Item.id))).all()[:3]
    assert first is not None and second is not None and third is not None
    ahead = backend.shown_item(second, 120, True)
    [row] = backend.rows([first])
    backend.set_status(first, "verified", row.version)
    with counted(backend.workspace) as work:
        rows, kept = backend.after_decision([first], ahead, 120, True)
    assert work.statements.count("BEGIN") == 1, work.statements  # one read session
    assert len([s for s in work.statements if s.startswith("SELECT")]) == 1, work.statements
    assert [r.id for r in rows] == [first] and rows[0].status == "verified"
    assert kept is ahead
    [row] = backend.rows([second])  # someone changes the item ahead meanwhile
    backend.set_status(second, "verified", row.version)
    assert backend.after_decision([first], ahead, 120, True)[1] is None
    assert backend.after_decision([first], ahead, 100, True)[1] is None  # other width


def test_a_page_and_the_reviewers_blind_items_are_one_read_session(
    small_backend: ReviewBackend,
):
    backend = small_backend
    with counted(backend.workspace) as work:
        page = backend.page_around(QueueFilter(statuses=("unverified",)), None)
    assert page.rows
    assert work.statements.count("BEGIN") == 1, work.statements
    assert backend.blind == {}  # read with the page: no session of its own
    assert any("qa_sample_item" in s for s in work.statements)
