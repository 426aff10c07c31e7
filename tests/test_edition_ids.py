"""Publication, import batch and QA sample ids and a named edition must agree, as item ids
do (tests/test_item_edition.py). Each is numbered across the workspace; a command given one
of another edition with ``--edition`` refuses it: one line naming the id and both editions,
nothing written, nothing shown. Every command that takes such an id is listed here; one
added later fails the coverage test until it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import text
from typer.testing import CliRunner

from tests.test_item_edition import _commands
from tests.two_editions import ITEMS, load_two_editions
from verifier.cli.app import app
from verifier.core.workspace import Workspace

runner = CliRunner()
# Edition mini owns items 1-2, batch 1, publication 1 and QA sample 1; mini-b items 3-4,
# batch 2, publication 2 and QA sample 2.

# Every command taking a publication, batch or sample id, naming mini-b's while on mini.
FOREIGN_ID_COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "publication show": (("publication", "show", "2"), "publication 2"),
    "publication export": (("publication", "export", "2"), "publication 2"),
    "publication diff": (("publication", "diff", "1", "2"), "publication 2"),
    "report provenance": (("report", "provenance", "--publication", "2"), "publication 2"),
    "score": (("score", "--publication", "2"), "publication 2"),
    "rejects": (("rejects", "--batch", "2"), "import batch 2"),
    "qa review": (("qa", "review", "1", "--sample", "2", "--status", "verified"), "QA sample 2"),
    "qa adjudicate": (
        ("qa", "adjudicate", "1", "--sample", "2", "--status", "verified", "--reason", "r"),
        "QA sample 2",
    ),
    "qa report": (("qa", "report", "2"), "QA sample 2"),
    # --batch of the queue filters
    "items": (("items", "--batch", "2"), "import batch 2"),
    "qa sample": (
        ("qa", "sample", "--size", "1", "--assign", "omar", "--batch", "2"),
        "import batch 2",
    ),
    "sprint create": (
        (
            "sprint",
            "create",
            "s",
            "--start",
            "2026-01-01",
            "--end",
            "2026-01-31",
            "--assign",
            "omar",
            "--batch",
            "2",
        ),
        "import batch 2",
    ),
}
# Names a publication, batch or sample id parameter goes by.
_ID_PARAMETERS = {"publication", "publication_id", "old", "new", "batch", "batch_id", "sample_id"}


def _two_editions(workspace: Workspace, tmp_path: Path) -> str:
    load_two_editions(workspace, tmp_path)
    for code, ids in ITEMS.items():
        for args in (
            ("item", "set-status", *ids, "--status", "verified"),
            ("qa", "sample", "--size", "1", "--assign", "sara", "--seed", "1"),
            ("publish", "--note", f"{code} first"),
        ):
            user = "omar" if args[0] == "item" else "layla"
            result = _run(workspace.url, "--user", user, "-e", code, *args)
            assert result.exit_code == 0, result.output
    return workspace.url


@pytest.fixture
def two(workspace: Workspace, tmp_path: Path) -> str:
    return _two_editions(workspace, tmp_path)


@pytest.fixture
def two_any(any_workspace: Workspace, tmp_path: Path) -> str:
    return _two_editions(any_workspace, tmp_path)


def _run(db: str, *args: str) -> Any:
    if "--user" not in args:
        args = ("--user", "layla", *args)
    return runner.invoke(app, ["--db", db, *args])


def _written(db: str) -> tuple[Any, ...]:
    workspace = Workspace(db)
    try:
        with workspace.reading() as session:
            return tuple(
                session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("review_event", "qa_review", "qa_sample", "sprint", "publication")
            )
    finally:
        workspace.close()


def test_the_fixture_numbers_as_the_tests_assume(two: str) -> None:
    workspace = Workspace(two)
    try:
        with workspace.reading() as session:
            owners = {
                table: session.execute(
                    text(f"SELECT id, edition_id FROM {table} ORDER BY id")
                ).all()
                for table in ("publication", "import_batch", "qa_sample")
            }
    finally:
        workspace.close()
    assert {table: [tuple(r) for r in rows] for table, rows in owners.items()} == {
        table: [(1, 1), (2, 2)] for table in ("publication", "import_batch", "qa_sample")
    }


@pytest.mark.parametrize("command", sorted(FOREIGN_ID_COMMANDS))
def test_an_id_of_another_edition_is_refused_naming_both_editions(two: str, command: str) -> None:
    args, named = FOREIGN_ID_COMMANDS[command]
    before = _written(two)
    result = _run(two, "-e", "mini", *args)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"error: {named} is in edition mini-b, not mini\n"
    assert result.stdout == ""
    assert _written(two) == before


@pytest.mark.parametrize("edition", [("-e", "mini-b"), ()], ids=["own edition", "none named"])
def test_an_id_of_the_named_edition_or_with_none_named_is_taken(
    two: str, edition: tuple[str, ...]
) -> None:
    shown = _run(two, *edition, "publication", "export", "2")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["edition"]["code"] == "mini-b"
    rejects = _run(two, "-e", "mini-b", "rejects", "--batch", "2", "--format", "json")
    assert rejects.exit_code == 0, rejects.output
    assert json.loads(rejects.stdout) == []


@pytest.mark.postgres
def test_ids_of_another_edition_are_refused_on_both_backends(two_any: str) -> None:
    before = _written(two_any)
    for command in ("publication show", "rejects", "qa review", "qa adjudicate"):
        args, named = FOREIGN_ID_COMMANDS[command]
        result = _run(two_any, "--edition", "mini", *args)
        assert result.exit_code == 1, result.output
        assert result.stderr == f"error: {named} is in edition mini-b, not mini\n"
    assert _written(two_any) == before
    workspace = Workspace(two_any)
    try:
        with workspace.reading() as session:
            drawn = session.execute(
                text("SELECT item_id FROM qa_sample_item WHERE sample_id = 2")
            ).scalar_one()
    finally:
        workspace.close()
    review = ("qa", "review", str(drawn), "--sample", "2", "--status", "verified")
    taken = _run(two_any, "--user", "sara", "-e", "mini-b", *review)
    assert taken.exit_code == 0, taken.output
    assert taken.stdout == f"item {drawn}: second decision verified (QA sample 2)\n"


def test_every_command_taking_a_publication_batch_or_sample_id_is_checked_here() -> None:
    taking = {
        path
        for path, command in _commands(typer.main.get_command(app))
        if any(p.name in _ID_PARAMETERS for p in command.params)
    }
    assert taking == set(FOREIGN_ID_COMMANDS)
