"""Commands started without the parser (``status``, a plain ``items``) end as the parser
ends them: a closed pipe, an interrupt or an error mid-listing gives an exit status and at
most one line, never a traceback; and a driver path that hands over is not tried again."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from db import direct
from tests.scale.generated import fill
from verifier.cli import quick_start
from verifier.cli.app import main
from verifier.core.errors import VerifierError
from verifier.core.workspace import Workspace


@pytest.fixture(scope="module")
def workspace_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("quick")
    path = folder / "w.db"
    workspace = Workspace(f"sqlite:///{path}")
    workspace.initialise()
    fill(workspace, folder, 3_000)
    workspace.close()
    return path


@pytest.mark.parametrize("command", [["items", "--limit", "0", "--format", "csv"],
                                     ["items", "--limit", "0"], ["status", "--cities", "0"]])  # fmt: skip
def test_a_reader_that_goes_away_ends_the_command_quietly(
    workspace_file: Path, command: list[str]
) -> None:
    """``verifier items --limit 0 | head -1``: exit status 1 and nothing on stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERIFIER_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "verifier", "--db", str(workspace_file), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**env, "COLUMNS": "100"},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # as `head -1` does
    errors = process.stderr.read()
    assert process.wait(timeout=120) in (0, 1)
    assert b"Traceback" not in errors and b"Exception ignored" not in errors, errors


def test_an_error_the_command_has_shown_is_its_exit_status() -> None:
    def fails_mid_listing() -> bool:
        raise typer.Exit(1)

    assert quick_start.run("items", fails_mid_listing) == 1


def test_an_interrupt_is_exit_status_130_as_through_the_parser() -> None:
    def interrupted() -> bool:
        raise KeyboardInterrupt

    assert quick_start.run("items", interrupted) == 130


def test_a_refusal_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    def refused() -> bool:
        raise VerifierError("no edition \x1b]0;x\x07 here")

    assert quick_start.run("status", refused) == 1
    shown = capsys.readouterr().err
    assert shown.startswith("error: no edition") and "\x1b" not in shown


@pytest.mark.parametrize("command", ["items", "status"])
def test_a_driver_path_that_hands_over_is_not_tried_again(
    workspace_file: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection the driver path could not open is tried once more, by the engine, not
    twice more (a wrong password would count as three failed logins)."""
    attempts: list[object] = []

    def refuse(*given: object) -> object:
        attempts.append(given)
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(quick_start, "_handed_over", set())
    monkeypatch.setattr(direct, "connect", refuse)
    monkeypatch.setattr(sys, "argv", ["verifier", "--db", str(workspace_file), command])
    with pytest.raises(SystemExit) as ended:
        main()
    assert ended.value.code in (0, None)
    assert len(attempts) == 1
