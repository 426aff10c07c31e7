"""The queue screen's status line counts: the scope of the filter by status, counted in a
worker when the filter changes or colleagues decide, and moved by one item when this
reviewer decides, so that deciding never counts the whole scope again."""

from __future__ import annotations

from textual import work

from verifier.core.review.progress import Counts
from verifier.core.review.queue import QueueFilter
from verifier.tui.messages import ProgressCounted
from verifier.tui.screens.decisions import DecisionActions
from verifier.tui.widgets.status_bar import StatusBar


class QueueProgress(DecisionActions):
    """Counts for the queue screen (which provides the filter and the position)."""

    _progress_request: int
    _total: int | None  # items in the queue, once counted
    # The status line's counts and the filter they were counted for.
    _counts: tuple[QueueFilter, Counts] | None
    # A count is under way: its answer may or may not hold a decision saved meanwhile,
    # so that decision cannot be added to it.
    _counting: bool
    _counts_due: bool  # a count is to start once the item is shown

    def _show_position(self) -> None:
        raise NotImplementedError

    # Progress ------------------------------------------------------------------------------

    def _count_progress(self) -> None:
        self._progress_request += 1
        self._counting = True
        self._fetch_progress(self.filter, self._progress_request)

    @work(thread=True, exclusive=True, group="progress", exit_on_error=False)
    def _fetch_progress(self, flt: QueueFilter, request: int) -> None:
        try:
            counts = self.backend.scope_counts(flt)
            qa = self.backend.qa_reviewed(flt) if flt.blind else None
        except Exception:  # the status line keeps its last figures
            self.app.call_from_thread(self._count_failed, request)
            return
        self.post_message(ProgressCounted(counts, request, qa, flt))

    def _count_failed(self, request: int) -> None:
        if request == self._progress_request:
            self._counting = False
            self._counts = None

    def on_progress_counted(self, message: ProgressCounted) -> None:
        if message.request != self._progress_request:
            return
        self._counting = False
        counted = message.filter
        # Answered while a decision is being saved, the count may or may not hold it: that
        # decision cannot be added to it, and the scope is counted again once it is saved.
        exact = message.qa is None and not self.pending
        self._counts = (counted, message.counts) if counted and exact else None
        self._show_counts(message.counts, message.qa)

    def adjust_counts(self, old: str, new: str) -> bool:
        """Move one item of the scope from status ``old`` to ``new`` on the status line,
        without counting again; False when that would not be exact (no counts for this
        filter yet, a count under way or answered while the decision was being saved, or a
        filter on who decided, which the decision itself changes), and the scope must be
        counted."""
        known = self._counts
        flt = self.filter
        if known is None or known[0] != flt or self._counting or self._counts_due:
            return False
        if flt.reviewers or flt.blind or flt.qa_disputed:
            return False
        by_status = dict(known[1].by_status)
        if by_status.get(old, 0) < 1 or new not in by_status:
            return False
        by_status[old] -= 1
        by_status[new] += 1
        counts = Counts(by_status)
        self._counts = (flt, counts)
        self._show_counts(counts, None)
        return True

    def _show_counts(self, counts: Counts, qa: tuple[int, int] | None) -> None:
        # The scope's counts by status give the queue's length too: no second scan.
        statuses = self.filter.statuses
        by_status = counts.by_status
        self._total = sum(by_status.get(s, 0) for s in statuses) if statuses else counts.total
        # A blind review shows how many of its items were reviewed, never their statuses.
        self.query_one(StatusBar).set_counts(counts, qa)
        self._show_position()
