"""The installed `verifier` program itself, not a Typer app built or patched by a test: it
starts, lists every command the application registers, and runs one of them end to end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import typer

from verifier.cli.app import app

PROGRAM = Path(sys.executable).with_name("verifier")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("VERIFIER_DB", None)
    return subprocess.run(
        [str(PROGRAM), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_installed_program_lists_every_registered_command(tmp_path: Path) -> None:
    assert PROGRAM.exists(), f"{PROGRAM} is not installed: pip install -e . installs it"
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^\s{2}([a-z][a-z-]*)\s{2,}", result.stdout, re.MULTILINE))
    registered = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert listed == registered
    assert {"import", "review", "publish", "score", "audit", "qa", "team"} <= listed


def test_the_installed_program_creates_and_reads_a_workspace(tmp_path: Path) -> None:
    database = tmp_path / "workspace.db"
    created = run("--db", str(database), "init", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert database.exists()
    version = run("--version", cwd=tmp_path)
    assert version.returncode == 0 and re.search(r"\d+\.\d+", version.stdout)
