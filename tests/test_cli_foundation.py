"""The command line over a real workspace: init, edition load, import, status, rejects."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import MINI
from verifier.cli.app import app

runner = CliRunner()


def invoke(db: str, *args: str, user: str = "layla") -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, "--user", user, *args])
    return result.exit_code, result.stdout, result.stderr


def _all_commands(group: typer.Typer) -> list[list[str]]:
    import typer.main

    command = typer.main.get_command(group)
    paths: list[list[str]] = []

    def walk(cmd: object, prefix: list[str]) -> None:
        paths.append(prefix)
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, [*prefix, name])

    walk(command, [])
    return paths


@pytest.mark.parametrize("path", _all_commands(app), ids=lambda p: " ".join(p) or "verifier")
def test_every_command_has_help(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) >= 3  # a usage line and a description at least


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    leaves = [p for p in _all_commands(app) if p and not _is_group(p)]
    missing = [" ".join(p) for p in leaves if f"verifier {' '.join(p)}" not in readme]
    assert missing == [], f"README lacks: {missing}"


def _is_group(path: list[str]) -> bool:
    import typer.main

    command: object = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return hasattr(command, "commands")


def test_a_session_from_init_to_status(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    code, out, _ = invoke(db, "status")
    assert code == 1
    code, out, _ = invoke(db, "init")
    assert code == 0 and "Created workspace" in out
    code, out, _ = invoke(db, "edition", "load", str(MINI))
    assert code == 0 and "Created edition mini: 4 cities" in out
    code, out, err = invoke(db, "import", "--no-match", str(MINI / "items.csv"))
    assert code == 0, err
    assert "4 items imported, 2 rejected, 0 duplicates, 1 with no value" in out
    assert f"{MINI / 'items.csv'}:6: '10-15' is a range, not a single value" in err
    code, out, _ = invoke(db, "import", "--no-match", str(MINI / "items.csv"))
    assert "already imported as batch 1; nothing added" in out
    code, out, _ = invoke(db, "status")
    assert code == 0 and "unverified 4" in out and "Rejected rows (2" in out
    code, out, _ = invoke(db, "rejects", "--format", "csv")
    assert out.splitlines()[0] == "batch,file,row,reason,raw"
    assert "unknown indicator 'NOPE'" in out


def test_errors_are_one_line_with_a_nonzero_exit(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    invoke(db, "init")
    code, _, err = invoke(db, "edition", "load", str(tmp_path / "nowhere"))
    assert code == 1 and err.startswith("error: ") and "not a folder" in err
    code, _, err = invoke(db, "import", str(MINI / "items.csv"))
    assert code == 1 and "verifier edition load" in err


def test_roles_are_granted_by_leads(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    invoke(db, "init")
    # The first person to act (layla) becomes the lead.
    assert invoke(db, "reviewer", "add", "layla", "--role", "lead")[0] == 0
    code, _, err = invoke(db, "reviewer", "add", "omar", "--role", "lead", user="omar")
    assert code == 1 and "'omar' is not a reviewer of this workspace" in err
    assert invoke(db, "reviewer", "add", "omar", "--role", "assistant")[0] == 0
    code, _, err = invoke(db, "reviewer", "add", "omar", "--role", "lead", user="omar")
    assert code == 1 and "needs the lead role" in err
    code, out, _ = invoke(db, "reviewer", "list", "--format", "csv")
    assert "layla,,lead," in out and "omar,,assistant," in out
