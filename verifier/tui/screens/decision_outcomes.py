"""Where a decision's outcome lands on the queue screen: the next item opens (already read
and laid out by the worker that saved the decision), the changed rows are redrawn, and a
refused or stale decision is explained and its item reloaded."""

from __future__ import annotations

from textual import work

from verifier.tui.messages import DecisionFailed, DecisionSaved
from verifier.tui.screens.queue_current_item import QueueCurrentItem
from verifier.tui.widgets.item_panel import ItemPanel
from verifier.tui.widgets.queue_table import QueueTable


class DecisionOutcomes(QueueCurrentItem):
    def on_decision_saved(self, message: DecisionSaved) -> None:
        self.query_one(ItemPanel).unmark()  # decided on what is now shown
        self.pending = False
        self.set_saving(False)
        self._prepared.clear()
        self._ahead = None
        if message.prepared is not None:
            self._prepared[message.prepared.view.id] = message.prepared
        self.query_one(QueueTable).blind = dict(self.backend.blind)
        if message.advance and message.item_id == self.current_id:
            # Redrawing the table's rows costs a frame: the next item is drawn first.
            self.rows.update({row.id: row for row in message.rows if row.id in self.rows})
            self.call_after_refresh(self._put_rows, message.rows)
        else:
            self._put_rows(message.rows)
        if message.summary:
            self.app.notify(message.summary, timeout=4, markup=False)
        if message.moved is None or not self.adjust_counts(*message.moved):
            self._count_later()
        if message.focus_item is not None:
            self._go_to(message.focus_item)
        elif message.advance and message.item_id == self.current_id:
            self.action_next_item()
        elif self.current_id is not None:
            self._want_item(self.current_id, force=True)

    def on_decision_failed(self, message: DecisionFailed) -> None:
        self.pending = False
        self.set_saving(False)
        title = "Not saved" if message.severity == "error" or message.stale else "Cannot do that"
        self.app.notify(
            message.error,
            title=title,
            severity=message.severity,  # type: ignore[arg-type]
            timeout=8,
            markup=False,
        )
        if message.stale and message.item_id is not None:
            self._refresh_rows([message.item_id])
            self._want_item(message.item_id, force=True)
            self._count_later()  # someone else's decision changed the scope's counts

    def _go_to(self, item_id: int) -> None:
        if not self.query_one(QueueTable).select_item(item_id):
            self._load_page("around", item_id)
        else:
            self._want_item(item_id, force=True)

    @work(thread=True, group="rows", exit_on_error=False)
    def _refresh_rows(self, ids: list[int]) -> None:
        try:
            rows = self.backend.rows(ids)
        except Exception:  # the item reload that follows reports problems
            return
        self.app.call_from_thread(self._put_rows, rows)
