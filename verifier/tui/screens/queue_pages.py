"""The queue screen's pages: read in worker threads around, after or before an item, the
cursor's place in them (its offset is counted after the item is shown), the rows redrawn
when they change, and the position saved for the next session. Answers come back as
messages."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.widgets import DataTable
from textual.worker import get_current_worker

from verifier.core.review.itemview import ItemView
from verifier.core.review.progress import Counts
from verifier.core.review.queue import Page, QueueFilter, QueueRow
from verifier.core.review.saved_state import ReviewState, save_state
from verifier.tui.backend import ReviewBackend
from verifier.tui.errors import explain
from verifier.tui.messages import LoadFailed, OffsetCounted, PageLoaded
from verifier.tui.screens.queue_progress import QueueProgress
from verifier.tui.widgets.item_panel import ItemPanel
from verifier.tui.widgets.queue_table import QueueTable
from verifier.tui.widgets.status_bar import StatusBar

# Seconds after which counts start even if no item was shown.
COUNT_FALLBACK_DELAY = 0.5


class QueuePages(QueueProgress):
    """The queue screen's state and its pages; the current item is loaded above this
    (``queue_current_item.py``), and the screen adds layout and actions."""

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
        self._state_error_shown = False

    # Provided by the current item's loading.
    def _want_item(self, item_id: int, force: bool = False) -> None:
        raise NotImplementedError

    def _load_deferred(self) -> None:
        raise NotImplementedError

    def _start_up_shown(self) -> None:
        raise NotImplementedError

    # Shared with the decision actions ------------------------------------------------

    def current_row(self) -> QueueRow | None:
        return self.rows.get(self.current_id) if self.current_id is not None else None

    def current_view(self) -> ItemView | None:
        return self.view

    def set_saving(self, saving: bool) -> None:
        self.query_one(StatusBar).set_saving(saving)

    def next_item_id(self) -> int | None:
        """The item the cursor goes to after a decision, when it is on this page."""
        table = self.query_one(QueueTable)
        if table.cursor_row + 1 >= table.row_count:
            return None
        return self.page.rows[table.cursor_row + 1].id if self.page else None

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
        # (A failed item is the current item's loading's to note: Textual calls its
        # handler too.)
        if message.what == "the queue":
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
            self._start_up_shown()
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

    def _put_rows(self, rows: list[QueueRow]) -> None:
        table = self.query_one(QueueTable)
        for row in rows:
            if row.id in self.rows:
                self.rows[row.id] = row
                table.update_row(row, self._bidi())

    # Moving ----------------------------------------------------------------------------

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
