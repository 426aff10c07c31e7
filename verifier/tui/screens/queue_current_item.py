"""The queue screen's current item: loaded one at a time in a worker thread (only the
latest wish is kept while one loads), shown, completed with its city candidates, and the
next one read ahead while the reviewer reads it. Answers come back as messages.

The first item is shown before the matcher is built: without its city candidates, which a
worker adds a moment later (``deferred.py``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual import work
from textual.timer import Timer
from textual.worker import get_current_worker

from verifier.core.qa.blind import HIDDEN
from verifier.presentation.itemrender import Pane, ShownItem
from verifier.tui.backend import ReviewBackend
from verifier.tui.deferred import load_deferred
from verifier.tui.errors import explain
from verifier.tui.messages import CandidatesFound, ItemLoaded, LoadFailed, StartedUp
from verifier.tui.screens.queue_pages import QueuePages
from verifier.tui.widgets.item_panel import ItemPanel

# Seconds on an item before the next one is read ahead.
AHEAD_DELAY = 0.15


class QueueCurrentItem(QueuePages):
    """The current item of the queue screen's pages, and the next one read ahead."""

    def __init__(self, backend: ReviewBackend, state_path: Path) -> None:
        super().__init__(backend, state_path)
        self._item_loading = False
        self._wanted_item: int | None = None
        # The next item, read and laid out by the worker that saved the decision.
        self._prepared: dict[int, ShownItem] = {}
        self._ahead: ShownItem | None = None  # the next row's item, read in advance
        self._ahead_timer: Timer | None = None
        self._warned_files: set[str] = set()
        self._deferred_loading = False
        self._watching = False  # colleagues' changes, watched from the first item on
        self._started_up = False

    def _want_item(self, item_id: int, force: bool = False) -> None:
        """Load one item at a time; while one loads, only the latest wish is remembered
        (holding j does not start a load per row passed)."""
        self._wanted_item = item_id
        if force and self.view is not None and self.view.id == item_id:
            self.view = None
        ready = self._prepared.pop(item_id, None)
        if ready is not None and not force and not self._item_loading:
            self._show_item(ready)  # read right after the decision that led here
            return
        if not self._item_loading:
            self._item_loading = True
            panel = self.query_one(ItemPanel)
            self._fetch_item(item_id, panel.content_width, self._bidi(), panel.pane)

    @work(thread=True, group="item", exit_on_error=False)
    def _fetch_item(self, item_id: int, width: int, bidi: bool, pane: Pane) -> None:
        try:
            shown = self.backend.shown_item(item_id, width, bidi, pane, candidates_now=False)
        except Exception as error:  # shown, never fatal
            self.post_message(LoadFailed(f"item #{item_id}", explain(error, "loading").message))
            return
        self.post_message(ItemLoaded(shown))

    def on_item_loaded(self, message: ItemLoaded) -> None:
        self._item_loading = False
        wanted = self._wanted_item
        if wanted is not None and wanted != message.shown.view.id:
            self._want_item(wanted)  # the cursor moved on meanwhile
            return
        self._show_item(message.shown)

    def on_load_failed(self, message: LoadFailed) -> None:
        # (The pages' handler shows the problem: Textual calls it too.)
        if message.what.startswith("item"):
            self._item_loading = False

    def _show_item(self, shown: ShownItem) -> None:
        view = shown.view
        if view.id != self.current_id:
            return
        self.view = view
        row = self.rows.get(view.id)
        blind = view.status == HIDDEN  # the first decision is not to be shown: keep the row
        if (
            not blind
            and row is not None
            and (row.version, row.status) != (view.version, view.status)
        ):
            # Someone changed it since the page was read: decide on what is shown.
            fresh = replace(
                row,
                version=view.version,
                status=view.status,
                status_changed_by=view.status_changed_by,
            )
            self._put_rows([fresh])
        panel = self.query_one(ItemPanel)
        panel.show(shown, self._bidi())
        panel.scroll_home(animate=False)
        self.item_shown()
        if not self._watching:
            self._watching = True
            self.call_after_refresh(self.start_watching)
        self._start_up_shown()
        if view.candidates_pending:
            # After the item is drawn: building the matcher would compete with the drawing
            # for the interpreter.
            self.call_after_refresh(self._complete_candidates, shown)
        else:
            self._load_deferred()
        if self._counts_due:
            self._counts_due = False
            self.call_after_refresh(self._start_counts)
        # Read ahead once the reviewer stops on an item, not for every row passed.
        if self._ahead_timer is not None:
            self._ahead_timer.stop()
        self._ahead_timer = self.set_timer(AHEAD_DELAY, self._prefetch_next)
        problem = view.source.file_problem
        if problem and view.source.file_path not in self._warned_files:
            self._warned_files.add(view.source.file_path)
            self.app.notify(problem, title="Source file", severity="warning", markup=False)

    def _start_up_shown(self) -> None:
        """Once the first item (or the word that there is none) is drawn: the app does
        what it put off until then (``ReviewApp.on_started_up``)."""
        if not self._started_up:
            self._started_up = True
            self.call_after_refresh(self.post_message, StartedUp())

    def item_shown(self) -> None:
        """Called once an item is on screen (the document pane follows it)."""

    @work(thread=True, exclusive=True, group="candidates", exit_on_error=False)
    def _complete_candidates(self, shown: ShownItem) -> None:
        """The city candidates of an item shown before the matcher was built."""
        try:
            done = self.backend.with_candidates(shown)
        except Exception as error:  # shown, never fatal
            problem = explain(error, "finding the city candidates").message
            self.post_message(LoadFailed("the city candidates", problem))
            return
        self.post_message(CandidatesFound(shown.view, done))

    def on_candidates_found(self, message: CandidatesFound) -> None:
        if self.view is message.pending:  # still on screen, as it was read
            self.view = message.shown.view
            self.query_one(ItemPanel).show(message.shown, self._bidi())
        self._load_deferred()

    def _load_deferred(self) -> None:
        """Once the first item is shown (or there is none): what it did not need."""
        if not self._deferred_loading:
            self._deferred_loading = True
            self._load_deferred_modules()

    @work(thread=True, group="deferred", exit_on_error=False)
    def _load_deferred_modules(self) -> None:
        try:
            load_deferred(self.backend)
        except Exception:  # only a head start: what needs them loads them and reports
            return

    # Reading ahead -------------------------------------------------------------------------

    def defer_read_ahead(self) -> None:
        """Start the read-ahead's wait again: what the reviewer just asked for (the
        document pane) is drawn first, with no worker thread competing for the interpreter."""
        if self._ahead_timer is not None:
            self._ahead_timer.reset()

    def _prefetch_next(self) -> None:
        """Read and lay out the next item while the reviewer reads this one: after a
        decision it is checked (version, peers) and shown at once."""
        next_id = self.next_item_id()
        if next_id is None or next_id in self._prepared:
            return
        panel = self.query_one(ItemPanel)
        self._fetch_ahead(next_id, panel.content_width, self._bidi(), panel.pane)

    @work(thread=True, exclusive=True, group="ahead", exit_on_error=False)
    def _fetch_ahead(self, item_id: int, width: int, bidi: bool, pane: Pane) -> None:
        try:
            shown = self.backend.shown_item(item_id, width, bidi, pane)
        except Exception:  # only a head start: the normal load reports problems
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._keep_ahead, shown)

    def _keep_ahead(self, shown: ShownItem) -> None:
        if shown.view.id == self.next_item_id():
            self._ahead = shown

    def prefetched(self, item_id: int | None) -> ShownItem | None:
        ahead = self._ahead
        return ahead if ahead is not None and ahead.view.id == item_id else None
