"""What a user copies from a terminal table (a hash to compare, a key to pass on) is drawn
whole at 100 columns and at 160: the other columns give way."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.cli_terminal import at_terminal_width
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.cli.app import app

runner = CliRunner()
LONG_KEY = "arab-urban-services-and-infrastructure-report-2023"
LONG_FILE = "01-statistics-yearbooks-extracted-by-the-research-assistants.csv"


def _run(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, "--user", "layla", *args])
    return result.exit_code, result.stdout


@pytest.fixture
def workspace(tmp_path: Path) -> str:
    db = str(tmp_path / "ws.db")
    assert _run(db, "init")[0] == 0
    assert _run(db, "edition", "load", str(MINI))[0] == 0
    assert _run(db, "import", str(write_csv(tmp_path / LONG_FILE, [row()])))[0] == 0
    assert _run(db, "source", "add", LONG_KEY, "--title", "Arab urban services and "
                "infrastructure report, second edition", "--publisher", "Arab Urban "
                "Development Institute", "--url", "https://urban.example.org/reports/2023/"
                "services-and-infrastructure")[0] == 0  # fmt: skip
    return db


def _csv(db: str, *args: str) -> list[dict[str, str]]:
    code, out = _run(db, *args, "--format", "csv")
    assert code == 0
    return list(csv.DictReader(io.StringIO(out)))


def _lines(out: str, width: int) -> list[str]:
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines), out
    return lines


@pytest.mark.parametrize("width", [100, 160])
def test_batches_keep_each_sha256_whole_on_one_line_with_a_readable_file_name(
    workspace: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    (batch,) = _csv(workspace, "batches")
    at_terminal_width(monkeypatch, width)
    code, out = _run(workspace, "batches")
    assert code == 0
    (line,) = [line for line in _lines(out, width) if batch["sha256"] in line]
    minute = batch["at"][:16].replace("T", " ")
    assert minute in line, out  # the time on the batch's one line, not wrapped
    assert LONG_FILE[:12] in line, out  # the file name readable, not four letters


@pytest.mark.parametrize("width", [100, 160])
def test_the_source_list_keeps_keys_and_sha256_whole(
    workspace: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_terminal_width(monkeypatch, width)
    code, out = _run(workspace, "source", "list")
    assert code == 0
    lines = _lines(out, width)
    for key in ("yearbook-2023", "ministry-ar", LONG_KEY):
        assert sum(key in line for line in lines) == 1, out  # whole, on one line


def test_batches_keep_their_column_names_off_the_terminal(workspace: str) -> None:
    names = ["id", "file", "format", "encoding", "sha256", "by", "at", "accepted", "rejected",
             "duplicates"]  # fmt: skip
    assert list(_csv(workspace, "batches")[0]) == names
    assert _run(workspace, "batches")[1].splitlines()[0].split("\t") == names
    code, out = _run(workspace, "batches", "--format", "json")
    assert code == 0 and list(json.loads(out)[0]) == names
