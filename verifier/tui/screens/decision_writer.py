"""Running a queue-screen decision: in a worker thread, as one committed transaction, then
the rows it changed and the next item, read and laid out, posted back to the screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from textual import work
from textual.screen import Screen

from verifier.core.concurrency import is_role_refusal
from verifier.presentation.itemrender import Pane, ShownItem
from verifier.tui.backend import ReviewBackend
from verifier.tui.errors import explain
from verifier.tui.messages import DecisionFailed, DecisionSaved
from verifier.tui.widgets.item_panel import ItemPanel


@dataclass
class Outcome:
    """What a write changed: the items to redraw, what to say, where to go."""

    changed: list[int] = field(default_factory=list)
    summary: str = ""
    focus_item: int | None = None
    # (old status, new status) of the one item a plain status decision changed: the status
    # line is adjusted by it rather than counted again over the whole scope.
    moved: tuple[str, str] | None = None


class DecisionWriter(Screen[None]):
    """Writes the queue screen's decisions (``DecisionActions`` says which)."""

    backend: ReviewBackend
    pending: bool

    # Provided by the queue screen.
    def set_saving(self, saving: bool) -> None:
        raise NotImplementedError

    def prefetched(self, item_id: int | None) -> ShownItem | None:
        raise NotImplementedError

    def _bidi(self) -> bool:
        return bool(getattr(self.app, "bidi", True))

    def _write(
        self,
        doing: str,
        item_id: int | None,
        call: Callable[[], Outcome],
        *,
        advance: bool,
        prepare: int | None = None,
    ) -> None:
        """Run ``call`` in a worker; ``prepare``: an item to read and lay out once it is
        committed (the one that opens next), sparing a second round trip."""
        self.pending = True
        self.set_saving(True)
        panel = self.query_one(ItemPanel)
        layout = (prepare, panel.content_width, self._bidi(), panel.pane)
        self._run_write(doing, item_id, call, advance, layout, self.prefetched(prepare))

    @work(thread=True, group="decision", exit_on_error=False)
    def _run_write(
        self,
        doing: str,
        item_id: int | None,
        call: Callable[[], Outcome],
        advance: bool,
        layout: tuple[int | None, int, bool, Pane],
        ahead: ShownItem | None,
    ) -> None:
        try:
            outcome = call()  # committed when this returns
        except Exception as error:  # every failure becomes a notification
            if is_role_refusal(error):
                # The role changed since the UI opened: the next attempt is then refused
                # before anything is asked.
                self.backend.refresh_role()
            problem = explain(error, doing)
            self.post_message(
                DecisionFailed(item_id, doing, problem.message, problem.stale, problem.severity)
            )
            return
        prepare, width, bidi, pane = layout
        try:
            # The rows decided and the version of the item read ahead: one read.
            kept = ahead if prepare is not None else None
            rows, prepared = self.backend.after_decision(outcome.changed, kept, width, bidi, pane)
        except Exception:  # saved all the same; the next refresh shows it
            rows, prepared = [], None
        if prepare is not None and prepared is None:
            try:
                prepared = self.backend.shown_item(prepare, width, bidi, pane)
            except Exception:  # the usual load will report it
                prepared = None
        self.post_message(
            DecisionSaved(
                item_id or 0,
                rows,
                outcome.summary,
                advance,
                outcome.focus_item,
                prepared,
                outcome.moved,
            )
        )
