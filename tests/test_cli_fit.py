"""The lead's command line: conflicts with structured fields, notes in `items`, indicator
codes, grammar, tables that stay readable when piped, no empty file for a missing
workspace, cities told apart by id; and today's throughput without undone decisions."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from db.models import Item
from db.types import utcnow
from tests.conftest import MINI
from tests.review_data import import_review_items
from verifier.cli.app import app
from verifier.core.editions import load_edition
from verifier.core.review.decisions import set_status, undo_last
from verifier.core.review.progress import local_day_start, throughput
from verifier.core.workspace import Workspace

runner = CliRunner()


@pytest.fixture
def db(workspace: Workspace, tmp_path: Path) -> str:
    load_edition(workspace, MINI, "layla")
    import_review_items(workspace, tmp_path / "review.csv")
    return workspace.url


def run(db: str, *args: str, user: str = "layla") -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, "--user", user, *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def conflict(db: str, workspace: Workspace) -> str:
    """Items 1 (٩٩٫١٪, ministry) and 2 (98.7%, yearbook): Riyadh, TRD-WATER, 2023."""
    with workspace.session() as session:
        set_status(session, 1, "verified", "omar")
        set_status(session, 2, "verified", "layla")
    return db


def test_conflicts_show_each_value_as_written_its_source_and_verifier(conflict: str) -> None:
    code, out, _ = run(conflict, "conflicts", "--format", "json")
    assert code == 0
    [found] = json.loads(out)
    assert (found["city_id"], found["country"], found["indicator"], found["year"]) == (
        "sa-riyadh", "SA", "TRD-WATER", 2023,
    )  # fmt: skip
    by_value = {v["value"]: v["items"] for v in found["values"]}
    assert set(by_value) == {99.1, 98.7}
    [ministry] = by_value[99.1]
    assert (ministry["item"], ministry["value_text"], ministry["source_key"]) == (
        1, "٩٩٫١٪", "ministry-ar",
    )  # fmt: skip
    assert ministry["verified_by"] == "omar" and ministry["verified_at"].startswith("20")
    [yearbook] = by_value[98.7]
    assert (yearbook["item"], yearbook["verified_by"]) == (2, "layla")
    code, out, _ = run(conflict, "conflicts", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["item"], r["as written"], r["verified by"]) for r in rows] == [
        ("2", "98.7%", "layla"),
        ("1", "٩٩٫١٪", "omar"),
    ]


def test_conflict_resolve_names_the_indicator_by_its_code(conflict: str) -> None:
    code, out, _ = run(conflict, "conflict", "resolve", "1", "--reason", "the ministry's figure")
    assert code == 0
    assert out.strip() == "Resolved sa-riyadh · TRD-WATER · 2023: item 1 chosen."


def test_items_show_the_flag_note_and_the_rejection_reason(db: str, workspace: Workspace):
    with workspace.session() as session:
        set_status(session, 3, "flagged", "omar", note="speed test unclear")
        set_status(session, 8, "rejected", "omar", reason="القيمة لعام ٢٠٢٢")
    code, out, _ = run(db, "items", "--format", "json")
    notes = {row["id"]: row["note"] for row in json.loads(out)}
    assert (notes[3], notes[8], notes[1]) == ("speed test unclear", "القيمة لعام ٢٠٢٢", "")
    _, out, _ = run(db, "items", "--format", "csv")
    rows = {r["id"]: r["note"] for r in csv.DictReader(io.StringIO(out))}
    assert rows["3"] == "speed test unclear"
    code, out, _ = run(db, "items")  # piped: tab-separated lines, the note last
    assert code == 0
    [line] = [line for line in out.splitlines() if "speed test unclear" in line]
    assert line.startswith("3\tflagged\t") and line.endswith("\tomar\tspeed test unclear")


def test_an_assistant_is_called_an_assistant(db: str) -> None:
    code, _, err = run(db, "publish", "--note", "x", user="omar")
    assert code == 1  # refused, as every action outside one's role
    assert "'omar' is an assistant." in err


def test_status_piped_at_80_columns_keeps_rows_and_file_names_whole(
    db: str, workspace: Workspace
) -> None:
    with workspace.session() as session:  # Tripoli LB and Tripoli LY: two rows
        session.exec(update(Item).where(Item.id == 5).values(city_id="lb-tripoli"))  # type: ignore[call-overload]
    code, out, _ = run(db, "status", "--cities", "0")
    assert code == 0
    lines = out.splitlines()
    tables = lines[4:]  # after the workspace, edition and totals
    assert [line for line in tables if len(line) > 80] == []
    assert any("review.csv" in line and line.lstrip().startswith("1 ") for line in lines)
    cities = {line.split("  ")[0].strip() for line in lines}
    assert {"Tripoli LY", "Tripoli LB", "Riyadh SA"} <= cities


def test_a_missing_workspace_is_reported_and_no_file_is_left(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = runner.invoke(app, ["--db", str(missing), "status"])
    assert result.exit_code == 1
    assert f"there is no workspace at {missing}" in result.stderr
    assert not missing.exists()


def test_todays_throughput_leaves_undone_decisions_out(db: str, workspace: Workspace) -> None:
    with workspace.session() as session:
        set_status(session, 1, "verified", "omar")
        set_status(session, 2, "verified", "omar")
        undo_last(session, 1, "omar")  # undoes item 2
    start = local_day_start(utcnow())
    with workspace.reading() as session:
        [line] = throughput(session, 1, start, start + timedelta(days=1))
    assert (line.reviewer, line.decisions) == ("omar", 1)
