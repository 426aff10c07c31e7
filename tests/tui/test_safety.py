"""Untrusted text shows literally and does nothing; failures become notifications, never a
crash or a lost decision."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import select

from db.models import Item, Source
from tests.review_data import HOSTILE_LABEL
from tests.tui.conftest import make_app, settle
from tests.tui.screen_text import panel_text, screen_text, table_text
from verifier.core.errors import StaleItemError
from verifier.core.workspace import Workspace
from verifier.tui.errors import explain
from verifier.tui.screens.queue_screen import QueueScreen
from verifier.tui.widgets.queue_table import QueueTable


async def _at_item(app: object, pilot: object, item_id: int) -> QueueScreen:
    await settle(pilot)  # type: ignore[arg-type]
    queue = app.screen  # type: ignore[attr-defined]
    assert isinstance(queue, QueueScreen)
    queue._go_to(item_id)
    await settle(pilot)  # type: ignore[arg-type]
    assert queue.view is not None and queue.view.id == item_id
    return queue


async def test_markup_and_escape_sequences_show_literally(review_url: str):
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        queue = await _at_item(app, pilot, 7)
        row = table_text(queue.query_one(QueueTable))[6]
        assert HOSTILE_LABEL in row
        panel = panel_text(app)
        assert HOSTILE_LABEL in panel
        assert "[link=http://x]y[/]" in panel and "[b]bold[/b]" in panel
        assert "red" in panel
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\x9b" not in svg and "\x1b" not in panel
        # Imported text carries no style, link or action of its own.
        for cell in queue.query_one(QueueTable).get_row("7"):
            assert all(not span.style or "link" not in str(span.style) for span in cell.spans)
        # Clicking the label runs no action: the app is still there.
        await pilot.click(QueueTable, offset=(25, 7))
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert HOSTILE_LABEL in screen_text(app)


async def test_hostile_text_in_a_notification_is_literal(
    review_url: str, review_workspace: Workspace
):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        queue = await _at_item(app, pilot, 7)
        # Give item 7's label a city for every item, then ask again: the domain refuses,
        # quoting the label in its message.
        queue._confirm_for_label(queue.view, "sa-riyadh")  # type: ignore[arg-type]
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        queue._confirm_for_label(queue.view, "sa-riyadh")  # type: ignore[arg-type]
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        refusal = app.notices[-1]
        assert HOSTILE_LABEL in refusal.message and refusal.severity == "warning"
        assert HOSTILE_LABEL in screen_text(app)  # the toast shows it as written
        assert app.is_running
    with review_workspace.reading() as session:
        item = session.get(Item, 7)
        assert item is not None and item.city_id == "sa-riyadh"


async def test_a_locked_workspace_is_explained_and_nothing_advances(
    review_url: str, review_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    app = make_app(review_url)

    def locked(*args: object, **kwargs: object) -> None:
        raise OperationalError("UPDATE item", {}, sqlite3.OperationalError("database is locked"))

    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.backend, "set_status", locked)
        await pilot.press("v")
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        assert queue.current_id == 1 and not queue.pending
        notice = app.notices[-1]
        assert notice.severity == "error" and "locked by another program" in notice.message
        monkeypatch.undo()
        await pilot.press("v")  # the lock is gone: it works again
        await settle(pilot)
        assert queue.current_id == 2
    with review_workspace.reading() as session:
        item = session.get(Item, 1)
        assert item is not None and item.status == "verified"


async def test_a_missing_source_file_is_reported(
    review_url: str, review_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    with review_workspace.session() as session:
        source = session.exec(select(Source).where(Source.key == "yearbook-2023")).one()
        source.file_path = "/nowhere/yearbook.txt"
        source.file_sha256 = "f" * 64  # a document the workspace does not hold
        session.add(source)
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    # A desktop session (without one, the stored document opens in the document pane).
    monkeypatch.setenv("DISPLAY", ":0")
    for name in ("SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    app = make_app(review_url)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await _at_item(app, pilot, 2)
        assert any("/nowhere/yearbook.txt does not exist" in n.message for n in app.notices)
        assert "✗ missing" in panel_text(app)
        await pilot.press("o")  # no local copy to open: falls back to the source's URL
        await settle(pilot)
        assert opened == ["https://stats.example.org/yb2023"]


async def test_a_stored_document_needs_no_local_file(
    review_url: str, review_workspace: Workspace
) -> None:
    with review_workspace.session() as session:
        source = session.exec(select(Source).where(Source.key == "yearbook-2023")).one()
        source.file_path = "/nowhere/yearbook.txt"  # the workspace holds its document
        session.add(source)
    app = make_app(review_url)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await _at_item(app, pilot, 2)
        assert not any("does not exist" in n.message for n in app.notices)
        assert "✓ stored in the workspace" in panel_text(app)
        assert "missing" not in panel_text(app)


def test_errors_are_explained_in_words() -> None:
    stale = explain(StaleItemError("item 3 was changed"), "saving the decision")
    assert stale.stale and "someone else changed this item" in stale.message
    locked = explain(
        OperationalError("x", {}, sqlite3.OperationalError("database is locked")), "saving"
    )
    assert locked.severity == "error" and "Try again" in locked.message
    other = explain(RuntimeError("boom"), "loading")
    assert "RuntimeError: boom" in other.message


class _Refused(Exception):
    sqlstate = "42501"  # insufficient_privilege, as PostgreSQL sends it


def test_a_write_postgresql_refuses_the_role_is_said_as_a_role_problem() -> None:
    refused = explain(
        DBAPIError("UPDATE item", {}, _Refused("permission denied for table item")),
        "saving the decision",
    )
    assert refused.severity == "warning"
    assert refused.message == (
        "The database refused: permission denied for table item. Your login's role does not "
        "allow this (see: verifier reviewer list)."
    )
