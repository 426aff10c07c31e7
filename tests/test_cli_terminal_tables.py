"""What a lead reads at a terminal: an empty conflicts list says so in words, and the
publications table gives its times as the other tables do (piped output is unchanged)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.cli_terminal import at_terminal_width
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.cli.app import app

runner = CliRunner()


def _run(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, "--user", "layla", *args])
    return result.exit_code, result.stdout


@pytest.fixture
def published(tmp_path: Path) -> str:
    db = str(tmp_path / "ws.db")
    assert _run(db, "init")[0] == 0
    assert _run(db, "edition", "load", str(MINI))[0] == 0
    path = write_csv(tmp_path / "items.csv", [row()])
    assert _run(db, "import", str(path))[0] == 0
    assert _run(db, "item", "set-status", "1", "--status", "verified")[0] == 0
    assert _run(db, "publish", "--note", "first")[0] == 0
    return db


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    at_terminal_width(monkeypatch, 100)


def test_no_open_conflicts_is_said_in_words(published: str, terminal: None) -> None:
    code, out = _run(published, "conflicts")
    assert code == 0
    assert out.strip() == "No open conflicts: no verified values disagree."


def test_publications_give_their_time_like_other_tables(published: str, terminal: None) -> None:
    code, out = _run(published, "publications")
    assert code == 0
    assert " UTC" in out and "+00:00" not in out


def test_piped_listings_are_unchanged(published: str) -> None:
    assert _run(published, "conflicts")[1].startswith("city\tname\tindicator")
    lines = _run(published, "publications")[1].splitlines()
    assert lines[1].split("\t")[4].endswith("+00:00")


@pytest.fixture
def published_with_a_long_note(tmp_path: Path) -> str:
    db = str(tmp_path / "ws.db")
    assert _run(db, "init")[0] == 0
    assert _run(db, "edition", "load", str(MINI))[0] == 0
    assert _run(db, "import", str(write_csv(tmp_path / "items.csv", [row()])))[0] == 0
    assert _run(db, "item", "set-status", "1", "--status", "verified")[0] == 0
    note = "first publication of the yearbook values, checked against every source document"
    assert _run(db, "publish", "--note", note)[0] == 0
    return db


def test_a_publication_hash_is_never_wrapped(published_with_a_long_note: str, terminal: None
                                             ) -> None:  # fmt: skip
    code, out = _run(published_with_a_long_note, "publications")
    assert code == 0
    piped = _run(published_with_a_long_note, "publications", "--format", "csv")[1]
    digest = piped.splitlines()[1].split(",")[7]
    assert len(digest) == 16
    row_lines = [line for line in out.splitlines() if "UTC" in line]
    assert len(row_lines) == 1, out  # one line for the publication: nothing wrapped
    assert digest in row_lines[0] and "first" in row_lines[0]
    assert "…" in row_lines[0]  # the note is cut to what is left, on the same line


def test_batches_and_sprints_give_their_times_like_other_tables(published: str, terminal: None
                                                                ) -> None:  # fmt: skip
    code, out = _run(published, "batches")
    assert code == 0 and "at (UTC)" in out and "+00:00" not in out  # the zone named once
    assert _run(published, "sprint", "create", "w", "--start", "2026-10-05", "--end",
                "2026-10-09", "--assign", "layla")[0] == 0  # fmt: skip
    code, out = _run(published, "sprint", "list")
    assert code == 0 and " UTC" in out and "+00:00" not in out


def test_piped_batches_and_sprints_keep_iso_times(published: str) -> None:
    assert _run(published, "batches")[1].splitlines()[1].split("\t")[6].endswith("+00:00")
    assert _run(published, "sprint", "create", "w", "--start", "2026-10-05", "--end",
                "2026-10-09", "--assign", "layla")[0] == 0  # fmt: skip
    starts = _run(published, "sprint", "list")[1].splitlines()[1].split("\t")[2]
    assert starts.startswith("2026-10-0") and starts.endswith("+00:00")


def test_a_city_id_is_aligned_as_other_text_ids_are(published: str, terminal: None) -> None:
    """A city's id is a slug, left-aligned like a code or a key; numbers stay right."""
    code, out = _run(published, "cities")
    assert code == 0
    (line,) = [line for line in out.splitlines() if "eg-cairo" in line]
    assert line.startswith("│ eg-cairo "), out
    code, out = _run(published, "batches")
    (line,) = [line for line in out.splitlines() if "items.csv" in line]
    assert re.match(r"(│ )? 1 ", line), out  # a numbered id, right-aligned as numbers are
