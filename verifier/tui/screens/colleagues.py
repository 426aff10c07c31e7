"""Colleagues' decisions, live: a worker waits for what others commit (LISTEN/NOTIFY on
PostgreSQL, ``PRAGMA data_version`` on SQLite); their queue rows are redrawn, and the item
on screen is marked, and reloaded, when someone else changed it. Deciding on a view that
went stale is still refused by the item's version, the last line of defence."""

from __future__ import annotations

import threading

from verifier.core.eventlog.feed import Change
from verifier.tui.messages import ColleaguesChanged
from verifier.tui.screens.decision_outcomes import DecisionOutcomes
from verifier.tui.widgets.item_panel import ItemPanel

WAIT_SECONDS = 0.5
# The watcher starts once the first item is drawn; after this long without one, all the same.
START_FALLBACK_SECONDS = 2.0
# What an event's action means for the reviewer looking at the item.
_DID = {
    "status": "decided",
    "match": "changed the city of",
    "undo": "undid a decision on",
    "note": "added a note to",
    "resolve_conflict": "resolved a conflict with",
}


class ColleagueUpdates(DecisionOutcomes):
    """A thread of its own (not a Textual worker: it runs as long as the screen, and
    waiting for the workers must not wait for it) posts what colleagues commit."""

    _watcher: threading.Thread | None = None
    _stop_watching: threading.Event | None = None

    def on_mount(self) -> None:
        self.set_timer(START_FALLBACK_SECONDS, self.start_watching)

    def start_watching(self) -> None:
        """From the first item on: its connection and first reads would compete with the
        first item's. What colleagues committed since the first page was read is read
        first (``colleague_changes``' catch-up), so nothing of that time is missed."""
        if self._watcher is not None or not self.is_attached:
            return
        stop = threading.Event()
        self._stop_watching = stop
        self._watcher = threading.Thread(
            target=self._watch_colleagues, args=(stop,), name="colleagues", daemon=True
        )
        self._watcher.start()

    def on_unmount(self) -> None:
        # Stopped before the app closes the workspace under it.
        if self._stop_watching is not None:
            self._stop_watching.set()
        if self._watcher is not None:
            self._watcher.join(timeout=WAIT_SECONDS + 1.0)

    def _watch_colleagues(self, stop: threading.Event) -> None:
        waiter = self.backend.change_waiter()
        failures = 0
        caught_up = False
        try:
            while not stop.is_set():
                try:
                    changes = self.backend.colleague_changes(
                        waiter, WAIT_SECONDS, catch_up=not caught_up
                    )
                    caught_up = True
                    failures = 0
                except Exception:  # the database went away for a moment: wait, retry
                    failures += 1
                    if failures > 30:
                        return
                    stop.wait(min(10.0, failures))
                    continue
                if changes and not stop.is_set():
                    self.post_message(ColleaguesChanged(changes))
        finally:
            waiter.close()

    def on_colleagues_changed(self, message: ColleaguesChanged) -> None:
        items = {c.item_id for c in message.changes if c.item_id is not None}
        shown = [item_id for item_id in items if item_id in self.rows]
        if shown:
            self._refresh_rows(shown)
        self._count_later()
        current = self.current_id
        about_current = [c for c in message.changes if c.item_id == current]
        if current is None or not about_current:
            return
        last = about_current[-1]
        mark = self._describe(last)
        self.query_one(ItemPanel).mark(current, mark)
        self.app.notify(mark, title=f"Item #{current}", severity="warning", markup=False)
        if not self.pending:
            self._want_item(current, force=True)

    @staticmethod
    def _describe(change: Change) -> str:
        did = _DID.get(change.action, f"recorded '{change.action}' on")
        status = f" ({change.new_status})" if change.action == "status" else ""
        at = change.at.astimezone().strftime("%H:%M:%S")
        return (
            f"{change.actor} {did} this item{status} at {at}, while you were looking at it. "
            "Check it again before deciding."
        )
