"""A listing read through the driver in team mode is the login's own read: the same rows
as the engine's way for a reviewer, and what PostgreSQL refuses the login it refuses
both ways (nothing listed, the same message)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tests.conftest import MINI
from tests.scale.test_listing_direct import HEAVY, _program
from tests.team_fixture import Team
from verifier.cli.app import app
from verifier.cli.commands import items_list
from verifier.core.importing import ImportOptions, import_file

runner = CliRunner()


def _engine(url: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, bytes, bytes]:
    with monkeypatch.context() as patched:
        patched.setattr(items_list, "list_direct", lambda *given: False)
        done = runner.invoke(app, ["--db", url, *args])
    return done.exit_code, done.stdout_bytes, done.stderr_bytes


def test_a_reviewer_lists_through_the_driver_as_their_login(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = team.workspace(team.assistant)
    import_file(workspace, MINI / "items.csv", ImportOptions(team.assistant, auto_match=False))
    workspace.close()
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("VERIFIER_USER")  # in team mode, who reads is the login
    url = team.url(team.analyst)
    args = ["items", "--limit", "0", "--format", "csv"]
    code, out, err, modules = _program(url, args)
    assert sorted({m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")}) == []
    assert code == 0 and out.count(b"\n") == 5  # the header and 4 items
    assert (code, out, err) == _engine(url, args, monkeypatch)
    with team.connect(make_url(team.admin_url).username or "postgres") as admin:
        admin.execute(f'REVOKE SELECT ON review_event FROM "{team.prefix}_analyst"')
    code, out, err, _ = _program(url, args)
    assert code == 1 and out == b"" and b"permission denied" in err
    assert (code, out, err) == _engine(url, args, monkeypatch)
