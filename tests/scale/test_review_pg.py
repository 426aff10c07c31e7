"""The review UI's PostgreSQL path: the queue as it opens reads one page along the status
index (statistics or not), an import gives the planner its statistics when the login may,
and a program's own commits do not wake its colleague feed (no read per decision)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlmodel import col, select

from db.models import Item
from db.notify import ChangeWaiter
from tests.importing_helpers import write_csv
from tests.scale.generated import fill, generated_rows
from verifier.core.importing import ImportOptions, batch, import_file
from verifier.core.review import queue
from verifier.core.review.decisions import set_status
from verifier.core.review.queue import QueueFilter
from verifier.core.workspace import Workspace

pytestmark = pytest.mark.postgres

UNVERIFIED = QueueFilter(statuses=("unverified",))


def _last_analyze(workspace: Workspace) -> Any:
    with workspace.engine.connect() as connection:
        return connection.execute(
            text("SELECT last_analyze FROM pg_stat_user_tables WHERE relid = to_regclass('item')")
        ).scalar()


def _rows_known(workspace: Workspace) -> float:
    """The item count the planner's statistics hold (-1: never gathered)."""
    with workspace.engine.connect() as connection:
        known = connection.execute(
            text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('item')")
        ).scalar()
    return float(known)


def _page_plans(workspace: Workspace, flt: QueueFilter) -> list[str]:
    """PostgreSQL's plan of each statement that reads item ids for the queue's first page."""
    statements: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, sql: str, params: Any, *_args: Any) -> None:
        if sql.startswith("SELECT item.id \nFROM item"):
            statements.append((sql, params))

    event.listen(workspace.engine, "before_cursor_execute", before)
    try:
        with workspace.reading() as session:
            queue.page_after(session, 1, flt, None, 50, counted=False)
    finally:
        event.remove(workspace.engine, "before_cursor_execute", before)
    with workspace.engine.connect() as connection:
        return [
            "\n".join(r[0] for r in connection.exec_driver_sql("EXPLAIN " + sql, params))
            for sql, params in statements
        ]


def test_an_import_analyses_the_items_and_a_small_one_does_not(pg_url: str, tmp_path: Path):
    workspace = Workspace(pg_url)
    workspace.initialise()
    fill(workspace, tmp_path, 600)  # the first import of the edition: a large change
    first = _last_analyze(workspace)
    assert first is not None
    path = write_csv(tmp_path / "one.csv", generated_rows(601)[600:])
    report = import_file(workspace, path, ImportOptions(user="layla"))
    assert report.accepted == 1 and not report.analysed  # 1 row of 601: below a tenth
    assert _last_analyze(workspace) == first
    workspace.close()


def test_the_open_queue_walks_the_status_index_in_id_order(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    workspace = Workspace(pg_url)
    workspace.initialise()
    # As on a server with autovacuum off whose import could not analyse: the statistics
    # are those of the empty table (or none at all).
    monkeypatch.setattr(batch, "analyse_after_write", lambda *_args: False)
    fill(workspace, tmp_path, 2_400)
    assert _rows_known(workspace) <= 0
    for statistics in ("none", "gathered"):
        plans = _page_plans(workspace, UNVERIFIED)
        assert plans, "no page of ids was read"
        for plan in plans:
            assert "ix_item_edition_status_id" in plan or "pk_item" in plan, (statistics, plan)
            # A walk that stops at the page's end, never every item of the status sorted.
            assert "Sort Key: item.id" not in plan, (statistics, plan)
        with workspace.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE item")
    workspace.close()


def test_own_commits_do_not_wake_the_colleague_feed(pg_url: str, tmp_path: Path):
    mine = Workspace(pg_url)
    mine.initialise()
    fill(mine, tmp_path, 20)
    colleague = Workspace(pg_url)
    waiter = ChangeWaiter(mine.engine)
    try:
        assert not waiter.wait(0.05)  # listening from here on
        with mine.reading() as session:
            first, second = session.exec(select(Item.id).order_by(col(Item.id)).limit(2)).all()
        assert first is not None and second is not None
        with mine.session() as session:
            set_status(session, first, "verified", "layla")
        assert not waiter.wait(0.5)  # my own decision: nothing to read back
        with colleague.session() as session:
            set_status(session, second, "verified", "omar")
        assert waiter.wait(5.0)  # a colleague's
    finally:
        waiter.close()
        colleague.close()
        mine.close()
