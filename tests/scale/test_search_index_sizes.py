"""Migration 0018: SQLite's trigram index keeps no column sizes (one write fewer per
imported item), and still finds exactly what reading every item finds, after an import
and after the index is rebuilt by a downgrade and an upgrade."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlmodel import select

from db import migrate
from db.models import Item
from tests.scale.generated import fill
from verifier.core.workspace import Workspace

WORDS = ("riy", "riyadh", "الرياض", "2022", "ministry")


def _search_table(workspace: Workspace) -> str:
    with workspace.engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'item_search'"
        ).scalar()
    return str(found)


def _tables(workspace: Workspace) -> set[str]:
    with workspace.engine.connect() as connection:
        return {r[0] for r in connection.exec_driver_sql("SELECT name FROM sqlite_master")}


def _found_by_index(workspace: Workspace, word: str) -> set[int]:
    """The items the trigram index says hold ``word`` (what the search asks it)."""
    with workspace.engine.connect() as connection:
        query = "SELECT rowid FROM item_search WHERE search_key LIKE ?"
        return {r[0] for r in connection.exec_driver_sql(query, (f"%{word}%",))}


def _found_by_reading(workspace: Workspace, word: str) -> set[int]:
    with workspace.reading() as session:
        rows = session.exec(select(Item.id, Item.search_key))
        return {item_id for item_id, key in rows if item_id is not None and word in key}


def _finds_what_reading_finds(workspace: Workspace) -> None:
    for word in WORDS:
        assert _found_by_index(workspace, word) == _found_by_reading(workspace, word), word
    assert _found_by_reading(workspace, "riy"), "the words must be in the items"


def test_the_search_index_keeps_no_sizes_and_finds_what_reading_finds(tmp_path: Path) -> None:
    workspace = Workspace(f"sqlite:///{tmp_path / 'workspace.db'}")
    workspace.initialise()
    fill(workspace, tmp_path, 240)
    assert "columnsize=0" in _search_table(workspace)
    assert "item_search_docsize" not in _tables(workspace)
    _finds_what_reading_finds(workspace)
    workspace.close()


def test_downgrade_and_upgrade_again_rebuild_the_index(tmp_path: Path) -> None:
    workspace = Workspace(f"sqlite:///{tmp_path / 'workspace.db'}")
    try:
        workspace.initialise()
        fill(workspace, tmp_path, 120)
        command.downgrade(migrate.alembic_config(workspace.engine), "0017")
        assert "columnsize" not in _search_table(workspace)
        assert "item_search_docsize" in _tables(workspace)
        _finds_what_reading_finds(workspace)
        workspace.initialise()
        assert "columnsize=0" in _search_table(workspace)
        _finds_what_reading_finds(workspace)
    finally:
        workspace.close()
