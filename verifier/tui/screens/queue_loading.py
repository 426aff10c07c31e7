"""Loading for the queue screen: pages of the queue, the current item (read ahead and
after each decision), the counts of the status line, and the saved position. All database
work runs in worker threads; answers come back as messages.

The first item is shown before the matcher is built: without its city candidates, which a
worker adds a moment later (``deferred.py``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual import on, work
from textual.timer import Timer
from textual.widgets import DataTable
from textual.worker import get_current_worker

from verifier.core.qa.blind import HIDDEN
from verifier.core.review.itemview import ItemView
from verifier.core.review.progress import Counts
from verifier.core.review.queue import Page, QueueFilter, QueueRow
from verifier.core.review.saved_state import ReviewState, save_state
from verifier.presentation.itemrender import Pane, ShownItem
from verifier.tui.backend import ReviewBackend
from verifier.tui.deferred import load_deferred
from verifier.tui.errors import explain
from verifier.tui.messages import (
    CandidatesFound,
    ItemLoaded,
    LoadFailed,
    OffsetCounted,
    PageLoaded,
)
from verifier.tui.screens.queue_progress import QueueProgress
from verifier.tui.widgets.item_panel import ItemPanel
from verifier.tui.widgets.queue_table import QueueTable
from verifier.tui.widgets.status_bar import StatusBar

# Seconds on an item before the next one is read ahead.
AHEAD_DELAY = 0.15
# Seconds after which counts start even if no item was shown.
COUNT_FALLBACK_DELAY = 0.5


class QueueLoading(QueueProgress):
    """The queue screen's state and how it is loaded; the screen adds layout and actions."""

    def __init__(self, backend: ReviewBackend, state_path: Path) -> None:
        super().__init__()
        self.backend = backend
        self.state_path = state_path
        self.filter = QueueFilter()
        # Set while an item opened by its number (#ID) is shown outside this filter.
        self.outside_of: QueueFilter | None = None
        self.page: Page | None = None
        self.rows: dict[int, QueueRow] = {}
        self.current_id: int | None = None
        self.view: ItemView | None = None
        self.pending = False
        self._page_request = 0
        self._page_loading = False
        self._progress_request = 0
        self._total: int | None = None  # items in the queue, once counted
        self._counts: tuple[QueueFilter, Counts] | None = None
        self._counting = False
        self._counts_due = False
        self._item_loading = False
        self._wanted_item: int | None = None
        # The next item, read and laid out by the worker that saved the decision.
        self._prepared: dict[int, ShownItem] = {}
        self._ahead: ShownItem | None = None  # the next row's item, read in advance
        self._ahead_timer: Timer | None = None
        self._warned_files: set[str] = set()
        self._state_error_shown = False
        self._deferred_loading = False
        self._watching = False  # colleagues' changes, watched from the first item on

    # Shared with the decision actions ------------------------------------------------

    def current_row(self) -> QueueRow | None:
        return self.rows.get(self.current_id) if self.current_id is not None else None

    def current_view(self) -> ItemView | None:
        return self.view

    def set_saving(self, saving: bool) -> None:
        self.query_one(StatusBar).set_saving(saving)

    # Pages -----------------------------------------------------------------------------

    def _load_page(self, kind: str, anchor: int | None) -> None:
        self._page_request += 1
        self._page_loading = True
        self._fetch_page(kind, anchor, self.filter, self._page_request)

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def _fetch_page(self, kind: str, anchor: int | None, flt: QueueFilter, request: int) -> None:
        try:
            if kind == "after" and anchor is not None:
                page = self.backend.page_after(flt, anchor)
            elif kind == "before" and anchor is not None:
                page = self.backend.page_before(flt, anchor)
            else:
                page = self.backend.page_around(flt, anchor)
        except Exception as error:  # shown, never fatal
            self.post_message(LoadFailed("the queue", explain(error, "loading the queue").message))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(PageLoaded(page, request, kind))

    def _count_later(self) -> None:
        """Counts (the status line) may need full scans: they start once the item is
        shown, so they never compete with it (or after a moment if no item comes)."""
        self._counts_due = True
        shown = self.view is not None and self.view.id == self.current_id
        if self.current_id is None or shown:
            self._start_counts()
        else:
            self.set_timer(COUNT_FALLBACK_DELAY, self._start_counts_if_due)

    def _start_counts_if_due(self) -> None:
        if self._counts_due:
            self._start_counts()

    def _start_counts(self) -> None:
        self._counts_due = False
        self._count_progress()
        page = self.page
        if page is not None and page.rows and not page.counted:
            self._fetch_offset(self.filter, page.rows[0].id, self._page_request)

    @work(thread=True, exclusive=True, group="offset", exit_on_error=False)
    def _fetch_offset(self, flt: QueueFilter, first_id: int, request: int) -> None:
        try:
            offset = self.backend.offset_of(flt, first_id)
        except Exception:  # the status line shows no position; nothing else depends on it
            return
        self.post_message(OffsetCounted(offset, request))

    def on_page_loaded(self, message: PageLoaded) -> None:
        if message.request != self._page_request:
            return  # an answer to a request overtaken by a newer one
        self._page_loading = False
        page = message.page
        if not page.rows and message.kind != "around" and self.page and self.page.rows:
            # Moving to a neighbouring page that emptied meanwhile: stay where we are.
            self.page.has_after = self.page.has_after and message.kind != "after"
            self.page.has_before = self.page.has_before and message.kind != "before"
            self.app.notify("No more items that way.", timeout=3)
            return
        self.page = page
        self.rows = {row.id: row for row in page.rows}
        table = self.query_one(QueueTable)
        table.blind = dict(self.backend.blind)
        table.show_rows(page.rows, self._bidi(), page.cursor)
        self._current_changed()
        self._count_later()

    def on_offset_counted(self, message: OffsetCounted) -> None:
        if message.request == self._page_request and self.page is not None:
            self.page.offset, self.page.counted = message.offset, True
            self._show_position()

    def on_load_failed(self, message: LoadFailed) -> None:
        if message.what.startswith("item"):
            self._item_loading = False
        elif message.what == "the queue":
            self._page_loading = False
        self.app.notify(
            message.error, title=f"Loading {message.what}", severity="error", markup=False
        )

    @on(DataTable.RowHighlighted, "#queue")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._current_changed()

    def _show_position(self) -> None:
        table = self.query_one(QueueTable)
        page = self.page
        known = page is not None and page.counted and table.current_item_id() is not None
        position = page.offset + table.cursor_row + 1 if page and known else None
        self.query_one(StatusBar).set_position(position, self._total)

    def _current_changed(self) -> None:
        table = self.query_one(QueueTable)
        item_id = table.current_item_id()
        self._show_position()
        if item_id == self.current_id and self.view is not None and self.view.id == item_id:
            return
        self.current_id = item_id
        self._save_state()
        if item_id is None:
            self.query_one(ItemPanel).show_message("No item matches the filter.")
            self.view = None
            self._load_deferred()
            self.start_watching()
            return
        self._want_item(item_id)

    @on(QueueTable.EdgeReached)
    def edge_reached(self, message: QueueTable.EdgeReached) -> None:
        page = self.page
        if page is None or not page.rows or self._page_loading:
            return
        if message.direction > 0 and page.has_after:
            self._load_page("after", page.rows[-1].id)
        elif message.direction < 0 and page.has_before:
            self._load_page("before", page.rows[0].id)
        elif message.direction > 0:
            self.app.notify("That is the last item of the queue.", timeout=3)
        else:
            self.app.notify("That is the first item of the queue.", timeout=3)

    # The current item --------------------------------------------------------------------

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

    def _put_rows(self, rows: list[QueueRow]) -> None:
        table = self.query_one(QueueTable)
        for row in rows:
            if row.id in self.rows:
                self.rows[row.id] = row
                table.update_row(row, self._bidi())

    # Decisions land here -------------------------------------------------------------------

    def next_item_id(self) -> int | None:
        """The item the cursor goes to after a decision, when it is on this page."""
        table = self.query_one(QueueTable)
        if table.cursor_row + 1 >= table.row_count:
            return None
        return self.page.rows[table.cursor_row + 1].id if self.page else None

    # Moving ----------------------------------------------------------------------------

    def item_shown(self) -> None:
        """Called once an item is on screen (the document pane follows it)."""

    def start_watching(self) -> None:
        """Called once the first item is drawn, or there is none (``colleagues.py``)."""

    def action_next_item(self) -> None:
        self.query_one(QueueTable).action_cursor_down()

    def action_previous_item(self) -> None:
        self.query_one(QueueTable).action_cursor_up()

    def _save_state(self) -> None:
        backend = self.backend
        about = {
            "user": backend.user,
            "workspace": backend.workspace.display_url,
            "edition": backend.edition.code,
        }
        try:
            kept = self.outside_of or self.filter  # never the one-item view of #ID
            save_state(self.state_path, ReviewState(kept, self.current_id), about)
        except OSError as error:
            if not self._state_error_shown:
                self._state_error_shown = True
                message = f"Cannot save the queue position in {self.state_path}: {error}"
                self.app.notify(message, severity="warning", markup=False)
