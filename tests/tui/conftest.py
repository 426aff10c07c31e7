"""A small review workspace (tests/review_data.py) built once per session and copied for each test, and helpers
to drive the review app deterministically (no blinking cursor, no animation)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import MINI
from tests.review_data import import_review_items
from verifier.config import Settings
from verifier.core.editions import load_edition
from verifier.core.workspace import Workspace
from verifier.tui import create_app
from verifier.tui.app import ReviewApp


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


from tests.team_fixture import team  # noqa: E402, F401  (the team workspace, for live updates)
