"""What an import reads of the workspace is found through indexes, never by walking every
item of the edition: SQLite's plan for each such statement is checked here (a walk would
cost the import time in proportion to the items already there)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event

from tests.scale.generated import fill
from verifier.core.cities.learning import confirmed_labels
from verifier.core.importing.prepare import items_since
from verifier.core.workspace import Workspace


def _plans(workspace: Workspace, read: Any) -> list[list[str]]:
    """SQLite's plan of every statement ``read(session)`` runs."""
    statements: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, sql: str, params: Any, *_args: Any) -> None:
        statements.append((sql, params))

    event.listen(workspace.engine, "before_cursor_execute", before)
    try:
        with workspace.reading() as session:
            read(session)
    finally:
        event.remove(workspace.engine, "before_cursor_execute", before)
    with workspace.engine.connect() as connection:
        return [
            [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
            for sql, params in statements
            if sql.lstrip().upper().startswith("SELECT")
        ]


def test_the_items_written_meanwhile_are_read_by_batch(tmp_path: Path) -> None:
    workspace = Workspace(f"sqlite:///{tmp_path / 'workspace.db'}")
    workspace.initialise()
    fill(workspace, tmp_path, 240)
    [plan] = _plans(workspace, lambda session: items_since(session, 1, 0))
    assert any("item USING INDEX ix_item_batch_id (batch_id=?)" in step for step in plan), plan
    assert not any(step.startswith("SCAN") for step in plan), plan
    workspace.close()


def test_the_labels_people_matched_are_read_from_their_partial_index(tmp_path: Path) -> None:
    workspace = Workspace(f"sqlite:///{tmp_path / 'workspace.db'}")
    workspace.initialise()
    fill(workspace, tmp_path, 240)
    [plan] = _plans(workspace, lambda session: confirmed_labels(session, 1))
    assert plan == ["SEARCH item USING INDEX ix_item_person_match (edition_id=?)"], plan
    workspace.close()
