"""The review UI while another process holds the SQLite write lock (an import writing its
batch): a decision says it waits, then that it gave up, and nothing is saved."""

from __future__ import annotations

from pathlib import Path

from db.models import Item
from tests.test_locking import LockHolder
from tests.tui.conftest import make_app, settle
from verifier.core.workspace import Workspace
from verifier.tui.screens.queue_screen import QueueScreen


async def test_a_decision_says_it_waits_for_the_lock_then_gives_up(
    review_url: str, review_workspace: Workspace
) -> None:
    assert review_workspace.engine.url.database is not None
    app = make_app(review_url, lock_timeout=1)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen) and queue.current_id == 1
        holder = LockHolder(Path(review_workspace.engine.url.database))
        try:
            await pilot.press("v")
            await settle(pilot)
        finally:
            holder.release()
        messages = [n.message for n in app.notices]
        assert (
            "Waiting for another writer (an import?) to finish with the workspace; giving up "
            "after 1 s (setting lock_timeout)." in messages
        )
        assert any("kept the workspace locked for 1 s" in m for m in messages)
        assert queue.current_id == 1  # not advanced: nothing was saved
    with review_workspace.reading() as session:
        item = session.get(Item, 1)
        assert item is not None and item.status == "unverified"
