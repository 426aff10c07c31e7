"""The o key where no desktop can show a source: the reviewer is told where it is, nothing
is started that would take the terminal over, and no stored document is promised when the
workspace holds none."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import Source
from tests.tui.conftest import at_item, make_app, settle
from verifier.core.workspace import Workspace


def _over_ssh(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    return opened


async def test_o_over_ssh_without_a_stored_document_names_the_url(
    review_url: str, review_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with review_workspace.session() as session:
        source = session.exec(select(Source).where(Source.key == "yearbook-2023")).one()
        source.file_path = "/nowhere/yearbook.txt"  # an old source: its file gone, never stored
        source.file_sha256 = "f" * 64
        session.add(source)
    opened = _over_ssh(monkeypatch)
    app = make_app(review_url)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        queue = await at_item(app, pilot, 2)
        await pilot.press("o")
        await settle(pilot)
        assert opened == []
        assert not queue.evidence_open
        last = app.notices[-1]
        assert last.severity == "warning"
        assert "open it yourself: https://stats.example.org/yb2023" in last.message
        assert not any("stored document" in n.message for n in app.notices)


async def test_o_says_so_when_no_browser_could_open_the_url(
    review_url: str, review_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with review_workspace.session() as session:
        source = session.exec(select(Source).where(Source.key == "yearbook-2023")).one()
        source.file_sha256 = ""  # no document in the workspace: only the URL is left
        session.add(source)
    monkeypatch.setenv("DISPLAY", ":0")
    for name in ("SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("webbrowser.open", lambda _target: False)
    app = make_app(review_url)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await at_item(app, pilot, 2)
        await pilot.press("o")
        await settle(pilot)
        assert app.notices[-1].message == "No browser could open https://stats.example.org/yb2023"
        assert not any(n.message.startswith("Opening") for n in app.notices)
