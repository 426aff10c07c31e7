"""``verifier items`` without filters reads through the driver, without SQLAlchemy, pydantic
or the models, with the queue's own statements compiled (``listing_sql``), and writes
what the engine's way writes, byte for byte, on SQLite and PostgreSQL. Checked by the
modules a new interpreter holds and by comparing the two ways, never by timing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.scale.generated import fill
from verifier.cli.app import app
from verifier.cli.commands import items_list
from verifier.core.review import listing_compile, listing_sql
from verifier.core.review.decisions import set_status
from verifier.core.review.filters import QueueFilter
from verifier.core.workspace import Workspace

runner = CliRunner()
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "pydantic_settings", "alembic", "db.models")
FORMS = [
    ["--limit", "0"],
    ["--limit=0", "--format", "csv"],
    ["-n", "0", "--format=json"],
    ["--format", "table"],  # 100 of 120: the count follows, on stderr
    ["-n", "5", "--format", "csv"],
    ["--limit", "120"],
]


def test_the_compiled_statements_are_the_queues() -> None:
    """One definition: what the driver runs is what the queue's statements compile to."""
    for dialect, compiled in listing_sql.STATEMENTS.items():
        assert compiled == listing_compile.statements(dialect), (
            "the queue's listing statements changed: run "
            "`python -m verifier.core.review.listing_compile` and `ruff format` that file"
        )
    assert QueueFilter().describe() == items_list.ALL_ITEMS


def _workspace(url: str, folder: Path) -> str:
    workspace = Workspace(url)
    workspace.initialise()
    fill(workspace, folder, 120)
    with workspace.session() as session:
        set_status(session, 3, "flagged", "omar", note="انظر الصفحة ٣")
        set_status(session, 8, "rejected", "sara", reason="=the 2019 value")
        set_status(session, 9, "verified", "omar")
    workspace.close()
    return url


def _listing(url: str, args: list[str], direct: bool, monkeypatch: pytest.MonkeyPatch
             ) -> tuple[int, bytes, bytes]:  # fmt: skip
    """``verifier items`` one way or the other; the direct way must have answered."""
    answered: list[bool] = []
    list_direct = items_list.list_direct

    def spy(*given: object) -> bool:
        done = list_direct(*given) if direct else False  # type: ignore[arg-type]
        answered.append(done)
        return done

    with monkeypatch.context() as patched:
        patched.setattr(items_list, "list_direct", spy)
        globals_, local = (args[:2], args[2:]) if args[:1] == ["-e"] else ([], args)
        result = runner.invoke(app, ["--db", url, *globals_, "items", *local])
    if direct and result.exit_code == 0:
        assert answered == [True]
    return result.exit_code, result.stdout_bytes, result.stderr_bytes


def _same_both_ways(url: str, monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    outputs = []
    for args in [*FORMS, ["-e", "mini", "--limit", "3"], ["-e", "nope"]]:
        direct = _listing(url, args, True, monkeypatch)
        assert direct == _listing(url, args, False, monkeypatch), args
        outputs.append(direct[1] + direct[2])
    return outputs


def test_a_listing_is_the_same_read_directly_as_through_the_engine_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _workspace(f"sqlite:///{tmp_path / 'workspace.db'}", tmp_path)
    outputs = _same_both_ways(url, monkeypatch)
    assert outputs[0].count(b"\n") > 120 and "انظر الصفحة ٣".encode() in outputs[0]
    assert b"100 of 120 shown" in outputs[3] and b"no edition 'nope'" in outputs[-1]
    assert b'"evidence_stale": false' in outputs[2]
    assert _same_both_ways(str(tmp_path / "workspace.db"), monkeypatch)  # a plain path


@pytest.mark.postgres
def test_a_listing_is_the_same_read_directly_as_through_the_engine_pg(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = _same_both_ways(_workspace(pg_url, tmp_path), monkeypatch)
    assert b"100 of 120 shown" in outputs[3] and b"=the 2019 value" in outputs[0]


def test_a_filtered_listing_goes_through_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _workspace(f"sqlite:///{tmp_path / 'workspace.db'}", tmp_path)
    asked: list[object] = []
    monkeypatch.setattr(items_list, "list_direct", lambda *given: asked.append(given))
    result = runner.invoke(app, ["--db", url, "items", "--status", "flagged", "--format", "csv"])
    assert result.exit_code == 0 and asked == []
    assert result.stdout.count("\n") == 2 and "flagged" in result.stdout


def test_a_missing_or_empty_workspace_says_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = str(tmp_path / "none.db")
    direct = _listing(missing, [], True, monkeypatch)
    assert direct == _listing(missing, [], False, monkeypatch) and direct[0] != 0
    assert not Path(missing).exists()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    direct = _listing(str(empty), [], True, monkeypatch)
    assert direct == _listing(str(empty), [], False, monkeypatch)
    assert b"not a verifier workspace yet" in direct[2]


def _program(url: str, args: list[str]) -> tuple[int, bytes, bytes, list[str]]:
    """``verifier`` as started from the shell: exit status, output, and loaded modules."""
    probe = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        f"sys.argv = ['verifier', '--db', {url!r}, *{args!r}]\n"
        "from verifier.cli.app import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                          env={**os.environ, "COLUMNS": "100"})  # fmt: skip
    *err, modules = done.stderr.splitlines(keepends=True)
    return done.returncode, done.stdout, b"".join(err), json.loads(modules)


def test_a_listing_from_the_shell_loads_no_orm_nor_pydantic_and_says_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _workspace(f"sqlite:///{tmp_path / 'workspace.db'}", tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    for args in [["items", *form] for form in FORMS] + [["-e", "mini", "items"]]:
        code, out, err, modules = _program(url, args)
        assert sorted({m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")}) == []
        with monkeypatch.context() as patched:
            patched.setattr(items_list, "list_direct", lambda *given: False)
            engine = runner.invoke(app, ["--db", url, *args])
        assert (code, out, err) == (engine.exit_code, engine.stdout_bytes, engine.stderr_bytes)
        assert code == 0 and out.count(b"\n") > 5


def test_anything_but_a_plain_listing_is_left_to_the_parser(tmp_path: Path) -> None:
    url = _workspace(f"sqlite:///{tmp_path / 'workspace.db'}", tmp_path)
    code, out, _, modules = _program(url, ["items", "--status", "flagged", "--format", "csv"])
    assert code == 0 and out.count(b"\n") == 2 and "sqlalchemy" in modules
    code, _, err, _ = _program(url, ["items", "--limit", "many"])
    assert code == 2 and b"Invalid value for '--limit'" in err
    for other in (["items", "-h"], ["items", "--status", "x"], ["items", "--limit", "-1"],
                  ["items", "-n=3"], ["items", "--format", "xml"], ["items", "x"],
                  ["status"], ["item", "show", "1"]):  # fmt: skip
        assert items_list.run_quick(other) is None, other
