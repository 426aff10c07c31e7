"""The queue's evidence filter and column: items by their evidence check result, read in
id order from the result table's status index, on SQLite and PostgreSQL; the item view
carries the result; ``verifier items --evidence``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests.conftest import MINI
from tests.review_data import import_review_items
from verifier.cli.app import app
from verifier.core.editions import load_edition
from verifier.core.errors import InvalidActionError
from verifier.core.review import queue
from verifier.core.review.filter_choices import filter_choices
from verifier.core.review.itemview import load_item_view
from verifier.core.review.queue import QueueFilter
from verifier.core.workspace import Workspace


def _ids(workspace: Workspace, **fields: object) -> list[int]:
    with workspace.reading() as session:
        return queue.item_ids(session, 1, QueueFilter(**fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"evidence": ("value_differs",)}, [2, 4]),
        ({"evidence": ("match",)}, [1]),
        ({"evidence": ("unchecked",)}, [8]),
        ({"evidence": ("value_differs", "snippet_not_found", "page_mismatch")}, [2, 3, 4, 5]),
        ({"evidence": ("no_text", "unchecked")}, [7, 8]),
        ({"evidence": ("value_differs",), "statuses": ("unverified",)}, [2]),
        ({"evidence": ("value_differs", "page_mismatch"), "sources": ("ministry-ar",)}, [5]),
        ({"evidence": ("match", "no_document"), "search": "طرابلس"}, [6]),
    ],
)
def test_the_evidence_filter_selects_by_stored_result(
    checked: Workspace, fields: dict[str, object], expected: list[int]
) -> None:
    assert _ids(checked, **fields) == expected
    with checked.reading() as session:
        assert queue.count(session, 1, QueueFilter(**fields)) == len(expected)  # type: ignore[arg-type]


def test_pages_of_several_statuses_walk_in_id_order_both_ways(checked: Workspace) -> None:
    flt = QueueFilter(evidence=("value_differs", "snippet_not_found", "page_mismatch"))
    with checked.reading() as session:
        first = queue.page_after(session, 1, flt, None, 2)
        assert (first.ids, first.has_before, first.has_after) == ([2, 3], False, True)
        second = queue.page_after(session, 1, flt, 3, 2)
        assert (second.ids, second.offset, second.has_after) == ([4, 5], 2, False)
        back = queue.page_before(session, 1, flt, 4, 2)
        assert (back.ids, back.has_before, back.cursor) == ([2, 3], False, 1)
        around = queue.page_around(session, 1, flt, 4, 2)
        assert (around.ids, around.cursor) == ([3, 4], 1)
        # Item 1 is a match: a page around it starts at the next one the filter selects.
        assert queue.page_around(session, 1, flt, 1, 3).ids == [2, 3, 4]


def test_rows_carry_the_result_and_whether_it_is_stale(checked: Workspace) -> None:
    with checked.engine.begin() as connection:
        connection.execute(text("UPDATE evidence_check SET method = 'old' WHERE item_id = 4"))
    with checked.reading() as session:
        rows = {r.id: r for r in queue.rows_by_id(session, 1, [2, 4, 8])}
    assert (rows[2].evidence_status, rows[2].evidence_stale) == ("value_differs", False)
    assert (rows[4].evidence_status, rows[4].evidence_stale) == ("value_differs", True)
    assert (rows[8].evidence_status, rows[8].evidence_stale) == (None, False)


def test_the_filter_is_checked_described_and_saved() -> None:
    flt = QueueFilter(evidence=("value_differs",), statuses=("unverified",))
    assert flt.describe() == "status unverified · evidence value_differs"
    assert QueueFilter.from_dict(flt.to_dict()) == flt
    assert flt.to_dict() == {"statuses": ["unverified"], "evidence": ["value_differs"]}
    with pytest.raises(InvalidActionError, match="evidence status 'differs' is not one of"):
        QueueFilter(evidence=("differs",))


def test_filter_choices_count_items_per_result(checked: Workspace) -> None:
    with checked.reading() as session:
        counts = {c.value: c.count for c in filter_choices(session, 1).evidence}
    assert counts == {
        "no_document": 1, "no_text": 1, "snippet_not_found": 1, "value_differs": 2,
        "page_mismatch": 1, "match": 1, "unchecked": 1,
    }  # fmt: skip


def test_the_item_view_carries_both_numbers(checked: Workspace) -> None:
    with checked.reading() as session:
        view = load_item_view(session, 2)
        unchecked = load_item_view(session, 8)
    assert view.evidence is not None
    assert (view.evidence.status, view.evidence.found_value, view.value_number) == (
        "value_differs", 97.7, 98.7,
    )  # fmt: skip
    assert (view.evidence.page, view.evidence.score, view.evidence.found_text) == (
        12, 96.5, "97.7%",
    )  # fmt: skip
    assert unchecked.evidence is None


def test_the_page_query_walks_the_status_index(workspace: Workspace, tmp_path: Path) -> None:
    """SQLite: a page of one status or of several reads the status index in id order
    (several are merged), never gathering every item of those statuses first."""
    load_edition(workspace, MINI, "layla")
    import_review_items(workspace, tmp_path / "review.csv")
    statements: list[tuple[str, object]] = []

    def record(conn: object, cursor: object, statement: str, parameters: object,
               *args: object) -> None:  # fmt: skip
        statements.append((statement, parameters))

    from sqlalchemy import event

    event.listen(workspace.engine, "before_cursor_execute", record)
    for evidence in (("value_differs",), ("value_differs", "page_mismatch")):
        statements.clear()
        with workspace.reading() as session:
            queue.page_after(session, 1, QueueFilter(evidence=evidence), 3, 50, counted=False)
        page_query, parameters = next(
            (s, p) for s, p in statements if "FROM evidence_check JOIN item" in s
        )
        with workspace.engine.connect() as connection:
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + page_query,
                parameters,  # type: ignore[arg-type]
            ).all()
        details = " / ".join(str(row[-1]) for row in plan)
        assert "ix_evidence_check_status_item_id (status=? AND" in details, details
        assert "TEMP B-TREE" not in details and "LIST SUBQUERY" not in details
    event.remove(workspace.engine, "before_cursor_execute", record)


runner = CliRunner()


def test_items_lists_by_evidence_with_its_column(checked: Workspace) -> None:
    url = str(checked.engine.url.render_as_string(hide_password=False))
    args = ["--db", url, "--user", "sara", "items", "--limit", "0"]
    result = runner.invoke(app, [*args, "--evidence", "value_differs", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(r["id"], r["evidence"], r["evidence_stale"]) for r in data] == [
        (2, "value_differs", False), (4, "value_differs", False),
    ]  # fmt: skip
    table = runner.invoke(app, [*args, "--evidence", "unchecked,no_text"])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split("\t")[6] == "evidence"
    assert [line.split("\t")[6] for line in lines[1:]] == ["∅ no text", ""]
    wrong = runner.invoke(app, [*args, "--evidence", "differs"])
    assert wrong.exit_code == 2
    assert "evidence status 'differs' is not one of" in wrong.output
