"""A small review workspace (tests/review_data.py) built once per session and copied for each test, and helpers
to drive the review app deterministically (no blinking cursor, no animation)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select
from textual.pilot import Pilot

from db.models import Item, Source
from tests.conftest import MINI
from tests.evidence.documents import make_pdf
from tests.review_data import import_review_items
from verifier.config import Settings
from verifier.core.editions import load_edition
from verifier.core.evidence.store import store_document
from verifier.core.workspace import Workspace
from verifier.tui import create_app
from verifier.tui.app import ReviewApp
from verifier.tui.screens.queue_screen import QueueScreen
from verifier.tui.widgets.evidence_pane import EvidencePane

# Item 2 (yearbook-2023): "Riyadh: households with piped water 98.7%", value 98.7%.
YEARBOOK_PAGES = [
    ["Yearbook 2023", "Chapter 1: water"],
    ["Table 4: piped water", "Cairo: households with piped water 97.5%",
     "Riyadh: households with piped water 98.7%", "Jeddah 88.2%"],
    ["Chapter 3: notes", "Water figures are for households."],
]  # fmt: skip


@pytest.fixture(scope="session")
def review_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review workspace, built once: the mini edition and the rows above."""
    folder = tmp_path_factory.mktemp("review-template")
    workspace = Workspace(f"sqlite:///{folder / 'review.db'}")
    workspace.initialise()
    load_edition(workspace, MINI, "layla")
    import_review_items(workspace, folder / "items.csv")
    workspace.close()
    return folder / "review.db"


@pytest.fixture
def review_url(review_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "review.db"
    shutil.copy(review_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def review_workspace(review_url: str) -> Iterator[Workspace]:
    workspace = Workspace(review_url)
    yield workspace
    workspace.close()


def make_app(url: str, user: str = "sara", **settings: object) -> ReviewApp:
    """The app as `verifier review` builds it, made deterministic for tests. The queue starts
    with every item (not only unverified ones) unless a test says otherwise."""
    app = create_app(Settings(**settings), url, user=user)  # type: ignore[arg-type]
    app.cursor_blink = False
    app.animation_level = "none"
    return app


async def settle(pilot: Pilot[None]) -> None:
    """Let worker threads finish and their messages be handled: messages start workers and
    workers post messages, so wait until a pause starts no new work."""
    for _ in range(20):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            await pilot.pause()
            if not any(worker.is_running for worker in pilot.app.workers):
                return


async def answer(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` into the focused dialog's input and press Enter (typing key by key is
    slow and proves nothing more)."""
    from textual.widgets import Input

    await pilot.pause()
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")


def attach_document(workspace: Workspace, document: Path, item_id: int = 2, **item: str) -> None:
    """Store ``document`` as the document of item ``item_id``'s source; set item fields."""
    with workspace.session() as session:
        stored = store_document(session, document, "layla")
        row = session.get(Item, item_id)
        assert row is not None
        source = session.exec(select(Source).where(Source.id == row.source_id)).one()
        source.file_sha256 = stored.sha256
        source.file_path = ""
        session.add(source)
    if item:
        sets = ", ".join(f"{name} = :{name}" for name in item)
        with workspace.engine.begin() as connection:
            connection.execute(text(f"UPDATE item SET {sets} WHERE id = {item_id}"), item)


@pytest.fixture
def quoted_pdf(review_workspace: Workspace, tmp_path: Path) -> Callable[[list[list[str]]], None]:
    """Store a PDF of the given pages (lines each) as item 2's source document, the item's
    locator pointing at page 2."""

    def attach(pages: list[list[str]]) -> None:
        document = make_pdf(tmp_path / "yb.pdf", pages, align="L")
        attach_document(review_workspace, document, locator="p. 2")

    return attach


@pytest.fixture
def yearbook_url(review_url: str, quoted_pdf: Callable[[list[list[str]]], None]) -> str:
    """The review workspace with the yearbook's three pages stored as item 2's document."""
    quoted_pdf(YEARBOOK_PAGES)
    return review_url


async def at_item(app: ReviewApp, pilot: Pilot[None], item_id: int) -> QueueScreen:
    """Wait for the queue, make ``item_id`` the current item, and return the queue screen."""
    await settle(pilot)
    queue = app.screen
    assert isinstance(queue, QueueScreen)
    queue._go_to(item_id)
    await settle(pilot)
    assert queue.view is not None and queue.view.id == item_id
    return queue


def evidence_pane(app: ReviewApp) -> EvidencePane:
    return app.screen.query_one(EvidencePane)


from tests.team_fixture import team  # noqa: E402, F401  (the team workspace, for live updates)
