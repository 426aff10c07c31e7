"""The unfiltered review queue (nothing chosen but a status) takes the disagreements first:
the items whose value differs from their document, then the others, each part in id order,
paged both ways across the two parts on SQLite and PostgreSQL; other filters and the
listings stay in id order. On PostgreSQL the evidence filter and the leading part read the
(status, item_id) index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from tests.scale.generated import fill
from verifier.core.review import queue
from verifier.core.review.queue import QueueFilter
from verifier.core.workspace import Workspace

# tests/evidence/stored_results.py: items 2 and 4 differ; 1, 3, 5, 6, 7 have other
# results, 8 none.
ORDER = [2, 4, 1, 3, 5, 6, 7, 8]
EVERY = QueueFilter()


def test_pages_go_from_the_disagreements_to_the_rest_and_back(checked: Workspace) -> None:
    with checked.reading() as session:
        first = queue.page_after(session, 1, EVERY, None, 3)
        assert (first.ids, first.has_before, first.has_after, first.offset) == (
            [2, 4, 1], False, True, 0,
        )  # fmt: skip
        second = queue.page_after(session, 1, EVERY, 1, 3)
        assert (second.ids, second.has_before, second.has_after, second.offset) == (
            [3, 5, 6], True, True, 3,
        )  # fmt: skip
        last = queue.page_after(session, 1, EVERY, 6, 3)
        assert (last.ids, last.has_after) == ([7, 8], False)
        back = queue.page_before(session, 1, EVERY, 3, 2)
        assert (back.ids, back.has_before, back.offset, back.cursor) == ([4, 1], True, 1, 1)
        start = queue.page_before(session, 1, EVERY, 4, 3)
        assert (start.ids, start.has_before) == ([2], False)
        around = queue.page_around(session, 1, EVERY, 1, 4)
        assert (around.ids, around.cursor, around.offset) == ([2, 4, 1, 3], 2, 0)
        inside = queue.page_around(session, 1, EVERY, 4, 2)
        assert (inside.ids, inside.cursor) == ([2, 4], 1)
        assert [queue.count_before(session, 1, EVERY, i) for i in ORDER] == list(range(8))


def test_the_queue_as_it_opens_leads_with_them_the_listings_do_not(checked: Workspace) -> None:
    with checked.reading() as session:
        assert queue.item_ids(session, 1, EVERY) == sorted(ORDER)
        unverified = QueueFilter(statuses=("unverified",))
        assert queue.item_ids(session, 1, unverified) == [1, 2, 3, 5, 6, 7, 8]
        # The queue as it opens (the unverified items) takes the disagreements first too.
        page = queue.page_after(session, 1, unverified, None, 10)
        assert page.ids == [2, 1, 3, 5, 6, 7, 8]  # 4 was verified
        assert queue.count_before(session, 1, unverified, 3) == 2
        # Any other filter shows its items in id order.
        yearbook = QueueFilter(sources=("yearbook-2023",))
        assert queue.page_after(session, 1, yearbook, None, 10).ids == [2, 3, 4, 7]
        assert queue.count_before(session, 1, yearbook, 4) == 2


def _page_queries(workspace: Workspace, flt: QueueFilter, after: int) -> list[tuple[str, Any]]:
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        statements.append((statement, parameters))

    event.listen(workspace.engine, "before_cursor_execute", record)
    try:
        with workspace.reading() as session:
            queue.page_after(session, 1, flt, after, 50, counted=False)
    finally:
        event.remove(workspace.engine, "before_cursor_execute", record)
    return [(s, p) for s, p in statements if "FROM evidence_check JOIN item" in s]


def test_the_status_index_leads_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    """EXPLAIN on a workspace of a few thousand checked items (2 % of them differing): a
    page of the evidence filter, and the unfiltered queue's leading part, walk the
    (status, item_id) index in order, with no sort of the status's items."""
    workspace = Workspace(pg_url)
    workspace.initialise()
    try:
        fill(workspace, tmp_path, 4_000)
        with workspace.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO evidence_check (item_id, status, found_text, score, place, hint, "
                "method, checked_by, checked_at) SELECT id, CASE WHEN id % 50 = 0 THEN "
                "'value_differs' WHEN id % 7 = 0 THEN 'snippet_not_found' ELSE 'match' END, "
                "'', 100, '', '', 'test', 'omar', now() FROM item"
            ))  # fmt: skip
            connection.execute(text("ANALYZE"))
        filtered = _page_queries(workspace, QueueFilter(evidence=("value_differs",)), 100)
        leading = _page_queries(workspace, EVERY, 100)
        several = _page_queries(
            workspace, QueueFilter(evidence=("value_differs", "snippet_not_found")), 100
        )
        assert filtered and leading and several
        for (statement, parameters), walked in [
            (filtered[0], True), (leading[0], True), (several[0], False),
        ]:  # fmt: skip
            with workspace.engine.connect() as connection:
                plan = "\n".join(
                    row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters)
                )
            assert any("Index Cond" in line and "status" in line for line in plan.splitlines())
            assert "ix_evidence_check_status_item_id" in plan, plan
            # One status: a walk in item order that stops at the page's end, no sort.
            # (Several are each read from the index, then merged as the planner chooses.)
            assert not walked or "Sort" not in plan, plan
    finally:
        workspace.close()


@pytest.mark.parametrize("flt", [EVERY, QueueFilter(evidence=("value_differs",))])
def test_sqlite_walks_the_status_index_in_item_order(
    workspace: Workspace, tmp_path: Path, flt: QueueFilter
) -> None:
    fill(workspace, tmp_path, 300)
    with workspace.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO evidence_check (item_id, status, found_text, score, place, hint, "
            "method, checked_by, checked_at) SELECT id, CASE WHEN id % 50 = 0 THEN "
            "'value_differs' ELSE 'match' END, '', 100, '', '', 'test', 'omar', "
            "CURRENT_TIMESTAMP FROM item"
        ))  # fmt: skip
    [(statement, parameters), *_] = _page_queries(workspace, flt, 100)
    with workspace.engine.connect() as connection:
        plan = " / ".join(
            str(row[-1])
            for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        )
    assert "ix_evidence_check_status_item_id (status=? AND" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
