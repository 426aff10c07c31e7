"""In team mode the reviewer is the database login: ``--user`` (or ``VERIFIER_USER``)
naming anyone else is refused by every command, reading as well as writing, whether it is
read through the driver (``status``, ``items`` started fast) or through the engine."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from typer.testing import CliRunner

from db import direct
from tests.team_fixture import Team
from verifier.cli.app import app
from verifier.cli.commands import items_list, status_cmds
from verifier.core.people.identity import resolve_identity
from verifier.core.people.roles import team_login
from verifier.core.workspace import Workspace

runner = CliRunner()
READING = [["status"], ["items", "--limit", "0"], ["items", "--status", "verified"],
           ["reviewer", "list"], ["audit", "verify"]]  # fmt: skip


def _shell(url: str, args: list[str], user: str | None) -> tuple[int, str]:
    """``verifier`` as started from the shell (the fast start of status and items)."""
    probe = f"import sys\nsys.argv = ['verifier', '--db', {url!r}, *{args!r}]\n"
    probe += "from verifier.cli.app import main\nmain()\n"
    env = {k: v for k, v in os.environ.items() if k != "VERIFIER_USER"}
    if user is not None:
        env["VERIFIER_USER"] = user
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    return done.returncode, done.stderr


def test_reading_commands_refuse_a_user_other_than_the_login(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VERIFIER_USER")
    url = team.url(team.analyst)
    refused = f"you act as your database login ('{team.analyst}')"
    for args in (["status"], ["items", "--limit", "0"]):
        code, err = _shell(url, ["--user", team.lead, *args], None)
        assert code == 1 and refused in err and f"cannot name '{team.lead}'" in err, args
        code, err = _shell(url, args, team.lead)  # the environment's name, the same
        assert code == 1 and refused in err, args
        code, err = _shell(url, ["--user", team.analyst, *args], None)  # their own name
        assert code == 0, err
    monkeypatch.setattr(status_cmds, "read_direct", lambda *given: None)
    monkeypatch.setattr(items_list, "list_direct", lambda *given: False)
    for args in READING:
        result = runner.invoke(app, ["--db", url, "--user", team.lead, *args])
        assert result.exit_code == 1 and refused in result.stderr, args
        assert result.stdout == "", args
        result = runner.invoke(app, ["--db", url, *args])
        assert result.exit_code == 0, (args, result.stderr)


def test_the_driver_and_the_engine_ask_who_the_login_is_with_one_statement(team: Team) -> None:
    """Both paths run the same single statement for the login and team mode, so the check
    cannot differ between a command started fast and one read through the engine."""
    url = team.url(team.analyst)
    target = direct.parse(url)
    assert target is not None
    connection = direct.connect(target)
    try:
        assert direct.team_login(connection, target) == team.analyst
    finally:
        connection.close()
    workspace = team.workspace(team.analyst)
    with _statements(workspace) as asked, workspace.reading() as session:
        assert team_login(session) == team.analyst
    about_the_login = [s for s in asked if "session_user" in s or "team_role" in s]
    assert about_the_login == [direct.TEAM_LOGIN_SQL]


def test_who_is_acting_is_found_with_the_same_statement(team: Team) -> None:
    """The identity of a command or a UI session asks who the login is as the CLI's check
    and the driver path do: one definition of the team login."""
    workspace = team.workspace(team.analyst)
    with _statements(workspace) as asked:
        identity = resolve_identity(workspace, None)
    assert (identity.name, identity.team) == (team.analyst, True)
    about_the_login = {s for s in asked if s.startswith("SELECT session_user")}
    assert about_the_login == {direct.TEAM_LOGIN_SQL}


@contextmanager
def _statements(workspace: Workspace) -> Iterator[list[str]]:
    """The statements run on ``workspace`` within the block; the workspace closed after."""
    asked: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        asked.append(statement)

    event.listen(workspace.engine, "before_cursor_execute", record)
    try:
        yield asked
    finally:
        event.remove(workspace.engine, "before_cursor_execute", record)
        workspace.close()
