"""``verifier status`` reads the workspace straight through the driver, without SQLAlchemy,
pydantic or the models, and says exactly what the engine's way says: the same summary,
the same tables, the same errors, on SQLite and PostgreSQL. Checked by the modules a new
interpreter holds and by comparing the two ways' output, never by timing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests.importing_helpers import row, write_csv
from tests.scale.generated import fill
from verifier.cli.app import app
from verifier.cli.commands import status_cmds
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review import tally
from verifier.core.review.decisions import set_status
from verifier.core.review.filters import QueueFilter
from verifier.core.review.summary import driver_connection, find_edition, summarise
from verifier.core.workspace import Workspace, resolve_edition

runner = CliRunner()
HOSTILE = '[@click=app.quit]x[/] \x1b]0;x\x07 =HYPERLINK("http://x")'
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "pydantic_settings", "alembic", "db.models")
ARGS = [[], ["--cities", "0"], ["--rejected", "1"], ["-e", "mini"], ["-e", "nope"]]


def _workspace(url: str, folder: Path) -> Workspace:
    """The mini edition, 120 generated items, some decided, and a file with an unmatched
    city named in markup and two rejected rows (one reason quotes a control character)."""
    workspace = Workspace(url)
    workspace.initialise()
    fill(workspace, folder, 120)
    rows = [
        row(city="[@click=app.quit]x[/] =HYPERLINK(1)", locator="unmatched"),
        row(city=HOSTILE, locator="control character"),
        row(value="not a number", locator="bad"),
    ]
    import_file(workspace, write_csv(folder / "=x[b].csv", rows), ImportOptions("omar"))
    with workspace.session() as session:
        for item_id, status in ((1, "verified"), (2, "verified"), (3, "flagged")):
            note = "unclear" if status == "flagged" else ""
            set_status(session, item_id, status, "omar", note=note)
    return workspace


def _status(url: str, args: list[str], direct: bool, monkeypatch: pytest.MonkeyPatch
            ) -> tuple[int, str, str]:  # fmt: skip
    """``verifier status`` one way or the other; the direct way must have answered."""
    answered: list[bool] = []
    read_direct = status_cmds.read_direct

    def spy(*given: object) -> object:
        found = read_direct(*given) if direct else None  # type: ignore[arg-type]
        answered.append(found is not None)
        return found

    with monkeypatch.context() as patched:
        patched.setattr(status_cmds, "read_direct", spy)
        result = runner.invoke(app, ["--db", url, *args, "status"] if args[:1] == ["-e"]
                               else ["--db", url, "status", *args])  # fmt: skip
    if direct and result.exit_code == 0:
        assert answered == [True]
    return result.exit_code, result.stdout, result.stderr


def _same_both_ways(url: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    outputs = []
    for args in ARGS:
        direct = _status(url, args, True, monkeypatch)
        engine = _status(url, args, False, monkeypatch)
        assert direct == engine, args
        outputs.append(direct[1] + direct[2])
    return outputs


def _check_summary_against_tally(workspace: Workspace) -> None:
    """The summary's SQL says what the ORM's tally functions (the review UI's) say."""
    with workspace.reading() as session:
        edition = resolve_edition(session, None)
        assert edition.id is not None
        connection = driver_connection(session)
        summary = summarise(connection, find_edition(connection, None))
        assert summary.by_status == tally.status_counts(session, edition.id, QueueFilter())
        by_indicator = tally.pivot(session, edition.id, "indicator_id")
        assert sorted(map(str, by_indicator.values())) == sorted(
            str(counts) for _, counts in summary.by_indicator
        )
        by_city = tally.pivot(session, edition.id, "city_id")
        assert len(by_city) == len(summary.by_city)
        assert sum(sum(c.values()) for c in by_city.values()) == summary.total


def test_status_is_the_same_read_directly_as_through_the_engine_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    workspace = _workspace(url, tmp_path)
    _check_summary_against_tally(workspace)
    workspace.close()
    outputs = _same_both_ways(url, monkeypatch)
    assert "By status: unverified 118  verified 2  rejected 0  flagged 1" in outputs[0]
    assert "City match: auto 120  none 1" in outputs[0] and "(no city)" in outputs[1]
    assert "Rejected rows (2;" in outputs[0] and "no edition 'nope'" in outputs[-1]
    assert "\x1b" not in "".join(outputs) and "(U+001B)" in outputs[0]
    # A plain path, and the same file at an older schema: the same message both ways.
    assert _same_both_ways(str(tmp_path / "workspace.db"), monkeypatch)
    with Workspace(url).engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0009'"))
    code, out, err = _status(url, [], True, monkeypatch)
    assert (code, out, err) == _status(url, [], False, monkeypatch)
    assert code != 0 and "has schema 0009" in err and "verifier init" in err


def test_status_is_the_same_read_directly_as_through_the_engine_pg(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = _workspace(pg_url, tmp_path)
    _check_summary_against_tally(workspace)
    workspace.close()
    outputs = _same_both_ways(pg_url, monkeypatch)
    assert "By status: unverified 118  verified 2  rejected 0  flagged 1" in outputs[0]
    assert "postgresql+psycopg://" in outputs[0] and "Rejected rows (2;" in outputs[0]


def test_status_on_a_missing_or_empty_workspace_says_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = str(tmp_path / "none.db")
    assert _status(missing, [], True, monkeypatch) == _status(missing, [], False, monkeypatch)
    assert not Path(missing).exists()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    direct = _status(str(empty), [], True, monkeypatch)
    assert direct == _status(str(empty), [], False, monkeypatch)
    assert "not a verifier workspace yet" in direct[2]


def _program(url: str, args: list[str]) -> tuple[int, str, str, list[str]]:
    """``verifier`` as started from the shell: exit status, output, and loaded modules."""
    probe = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        f"sys.argv = ['verifier', '--db', {url!r}, *{args!r}]\n"
        "from verifier.cli.app import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "100"})  # fmt: skip
    *err, modules = done.stderr.splitlines()
    return done.returncode, done.stdout, "".join(f"{line}\n" for line in err), json.loads(modules)


@pytest.mark.parametrize(
    "args",
    [["status"], ["status", "--cities", "0", "--rejected=1"], ["-e", "mini", "status"],
     ["--edition=nope", "status"]],
)  # fmt: skip
def test_status_from_the_shell_loads_no_orm_nor_pydantic_and_says_the_same(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    _workspace(url, tmp_path).close()
    code, out, err, modules = _program(url, args)
    assert sorted({m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")}) == []
    monkeypatch.setenv("COLUMNS", "100")
    with monkeypatch.context() as patched:
        patched.setattr(status_cmds, "read_direct", lambda *given: None)
        engine = runner.invoke(app, ["--db", url, *args])
    assert (code, out, err) == (engine.exit_code, engine.stdout, engine.stderr)
    assert ("By status: unverified 118" in out) == (code == 0)


def test_anything_but_a_plain_status_is_left_to_the_parser(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    _workspace(url, tmp_path).close()
    code, out, _, modules = _program(url, ["status", "--help"])
    assert code == 0 and "--cities" in out and "pydantic" in modules
    code, _, err, _ = _program(url, ["status", "--cities", "many"])
    assert code == 2 and "Invalid value for '--cities'" in err
    assert status_cmds.quick_arguments(["--db", "x", "status", "--cities", "3"]) == (
        {"db": "x"},
        {"cities": 3, "rejected": 10},
    )
    for other in (["status", "-h"], ["items"], ["--db"], ["status", "--cities"],
                  ["--edition", "--db", "status"], ["-e=x", "status"], ["status", "x"]):  # fmt: skip
        assert status_cmds.quick_arguments(other) is None, other


def test_every_statement_of_the_summary_searches_an_index_and_none_reads_items(
    tmp_path: Path,
) -> None:
    """The summary's cost does not grow with the items: SQLite's plan for each statement
    searches an index (the edition table, a few rows, aside) and none touches ``item``."""
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    _workspace(url, tmp_path).close()
    connection = sqlite3.connect(tmp_path / "workspace.db")
    plans: list[list[str]] = []

    def planned(sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        plans.append([r[3] for r in connection.execute(f"EXPLAIN QUERY PLAN {sql}", params)])
        return connection.execute(sql, params)

    class Planned:  # a sqlite3 connection whose cursors say how they will run
        __module__ = "sqlite3"

        def cursor(self) -> Planned:
            return self

        def execute(self, sql: str, params: tuple[object, ...] = ()) -> None:
            self.rows = planned(sql, params).fetchall()

        def fetchall(self) -> list[object]:
            return self.rows

        def close(self) -> None:
            pass

    summary = summarise(Planned(), find_edition(Planned(), None))
    assert summary.total == 121 and len(plans) == 10
    for plan in plans[1:]:
        assert all(step.startswith(("SEARCH", "USE TEMP B-TREE")) for step in plan), plan
        assert not any(" item " in f"{step} " for step in plan), plan
