"""An item id and a named edition must agree. Items are numbered across the workspace, so a
command given an item id and ``--edition`` refuses an item of another edition: one line
naming the item and both editions, and nothing written. Every command that takes an item id
is listed here; one added later fails the coverage test until it is."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import text
from typer.testing import CliRunner

from tests.two_editions import load_two_editions
from verifier.cli.app import app
from verifier.core.workspace import Workspace

runner = CliRunner()
# Items 1-2 are edition mini's, 3-4 edition mini-b's.
FOREIGN = "3"  # an item of mini-b, named while working on mini
REFUSAL = "error: item 3 is in edition mini-b, not mini"

# Every command addressing items by id, with arguments that would change or show item 3.
ITEM_COMMANDS: dict[str, tuple[str, ...]] = {
    "item show": ("item", "show", FOREIGN),
    "item set-status": ("item", "set-status", "1", FOREIGN, "--status", "flagged", "--note", "x"),
    "item note": ("item", "note", FOREIGN, "wrong edition"),
    "item match": ("item", "match", FOREIGN, "--city", "eg-cairo"),
    "item confirm-label": ("item", "confirm-label", FOREIGN, "--city", "eg-cairo"),
    "qa review": ("qa", "review", FOREIGN, "--status", "verified"),
    "qa show": ("qa", "show", FOREIGN),
    "qa adjudicate": ("qa", "adjudicate", FOREIGN, "--status", "verified", "--reason", "r"),
    "conflict resolve": ("conflict", "resolve", FOREIGN, "--reason", "r"),
    "report provenance": ("report", "provenance", "--item", FOREIGN),
    "evidence check": ("evidence", "check", "--item", FOREIGN),
}
# Names an item-id parameter goes by.
_ITEM_PARAMETERS = {"item", "items", "item_id", "item_ids"}


def _two_editions(workspace: Workspace, tmp_path: Path) -> str:
    load_two_editions(workspace, tmp_path)
    return workspace.url


@pytest.fixture
def two(workspace: Workspace, tmp_path: Path) -> str:
    return _two_editions(workspace, tmp_path)


@pytest.fixture
def two_any(any_workspace: Workspace, tmp_path: Path) -> str:
    return _two_editions(any_workspace, tmp_path)


def _run(db: str, *args: str) -> Any:
    return runner.invoke(app, ["--db", db, "--user", "layla", *args])


def _written(db: str) -> tuple[Any, ...]:
    """Everything a refused command might have written."""
    workspace = Workspace(db)
    try:
        with workspace.reading() as session:
            items = session.execute(
                text("SELECT id, edition_id, status, city_id, version FROM item ORDER BY id")
            ).all()
            counts = [
                session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("review_event", "conflict_resolution", "qa_review", "city_alias",
                              "evidence_check")
            ]  # fmt: skip
    finally:
        workspace.close()
    return tuple(map(tuple, items)), tuple(counts)


@pytest.mark.parametrize("command", sorted(ITEM_COMMANDS))
def test_an_item_of_another_edition_is_refused_and_nothing_is_written(
    two: str, command: str
) -> None:
    before = _written(two)
    result = _run(two, "-e", "mini", *ITEM_COMMANDS[command])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == REFUSAL
    assert result.stdout == ""
    assert _written(two) == before


@pytest.mark.parametrize("edition", [("-e", "mini-b"), ()], ids=["own edition", "none named"])
def test_an_item_of_the_named_edition_or_with_none_named_is_taken(
    two: str, edition: tuple[str, ...]
) -> None:
    result = _run(two, *edition, "item", "note", FOREIGN, "checked on paper")
    assert result.exit_code == 0, result.output
    assert result.stdout == "item 3: note added\n"
    result = _run(two, *edition, "item", "show", FOREIGN, "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert (shown["id"], shown["edition_id"]) == (3, 2)


@pytest.mark.postgres
def test_set_status_and_note_refuse_another_editions_item_on_both_backends(
    two_any: str,
) -> None:
    before = _written(two_any)
    for args in (ITEM_COMMANDS["item set-status"], ITEM_COMMANDS["item note"]):
        result = _run(two_any, "--edition", "mini", *args)
        assert result.exit_code == 1, result.output
        assert result.stderr.strip() == REFUSAL
    assert _written(two_any) == before
    ok = _run(two_any, "--edition", "mini-b", "item", "set-status", FOREIGN, "4",
              "--status", "flagged", "--note", "unit unclear")  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.splitlines() == [
        "item 3: unverified → flagged",
        "item 4: unverified → flagged",
    ]


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    subcommands = getattr(group, "commands", None)
    if subcommands is None:
        yield " ".join(path), group
        return
    for name, sub in subcommands.items():
        yield from _commands(sub, (*path, name))


def test_every_command_taking_an_item_id_is_checked_here() -> None:
    taking = {
        path
        for path, command in _commands(typer.main.get_command(app))
        if any(p.name in _ITEM_PARAMETERS for p in command.params)
    }
    assert taking == set(ITEM_COMMANDS)
