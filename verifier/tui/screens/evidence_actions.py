"""The queue screen's document pane: open it on the current item, page through the
document, follow the item when a decision moves on, and be what ``o`` falls back to when
no desktop opener can show the file."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from textual import on, work
from textual.widgets import Input

from verifier.core.evidence.listing import EvidenceResult
from verifier.tui.errors import explain
from verifier.tui.screens.colleagues import ColleagueUpdates
from verifier.tui.widgets.evidence_pane import EvidencePane
from verifier.tui.widgets.item_panel import ItemPanel
from verifier.tui.widgets.panel_switch import PanelSwitch
from verifier.tui.widgets.queue_table import QueueTable

if TYPE_CHECKING:  # the document's modules load when the pane first shows a page
    from verifier.core.evidence.passage import Passage
    from verifier.presentation.evidence_pane import ShownPage

KEPT_PAGES = 64


class EvidenceActions(ColleagueUpdates):
    _passage: Passage | None = None
    _evidence_open = False
    # Each request for a page is numbered: only the latest one's answer is shown, so a slow
    # read cannot replace the page asked for after it.
    _requested = 0
    # Pages already shown, by what they were made from (see _kept_key): shown again at
    # once, without a read or a "Reading…" line in between.
    _kept: OrderedDict[tuple[object, ...], tuple[Passage, ShownPage]] | None = None

    @property
    def evidence_open(self) -> bool:
        return self._evidence_open

    def _show_pane(self, shown: bool) -> None:
        """The pane in the item's place, or back (``PanelSwitch``: no widget is hidden,
        resized or restyled), the focus staying where it is: moving it repaints the whole
        screen and restyles the queue."""
        self._evidence_open = shown
        self.query_one(PanelSwitch).show_document(shown)

    def action_evidence(self) -> None:
        if self.evidence_open:
            self.close_evidence()
        else:
            self.open_evidence()

    def open_evidence(self) -> None:
        if self.current_id is None:
            self.app.notify("No item selected.", severity="warning")
            return
        self._show_pane(True)
        self.defer_read_ahead()
        focused = self.focused
        if focused is not None and self.query_one(ItemPanel) in focused.ancestors_with_self:
            self.focus_queue()  # the item panel is out of view: it keeps no focus
        if not self._request(self.current_id, None):
            self.query_one(EvidencePane).show_message("Reading the document…")

    def close_evidence(self) -> None:
        self._show_pane(False)
        self._passage = None
        self.query_one(ItemPanel).scroll_home(animate=False)
        self.focus_queue()  # from the page, if it was clicked (else a no-op)

    def focus_queue(self) -> None:
        self.query_one(QueueTable).focus()

    def item_shown(self) -> None:
        """A new current item: the open pane follows it."""
        if self.evidence_open and self.current_id is not None:
            passage = self._passage
            if passage is None or passage.item_id != self.current_id:
                self._request(self.current_id, None)

    def action_document_page(self, step: int) -> None:
        """The page ``step`` away from the one shown."""
        passage = self._passage
        if passage is None:
            return
        wanted = passage.number + step
        if not 1 <= wanted <= passage.count:
            unit = passage.page.kind if passage.page else "page"
            self.app.notify(f"There is no {unit} {wanted}: the document has {passage.count}.",
                            timeout=3)  # fmt: skip
            return
        self._request(passage.item_id, wanted)

    def action_scroll_document(self, how: str) -> None:
        """Scroll the page (the keys of ``bindings.EVIDENCE_BINDINGS``, which come before
        the queue's own while the pane is open: j and k still move between items)."""
        page = self.query_one(EvidencePane).page
        scroll = {
            "down": page.scroll_down, "up": page.scroll_up,
            "page_down": page.scroll_page_down, "page_up": page.scroll_page_up,
            "home": page.scroll_home, "end": page.scroll_end,
        }  # fmt: skip
        scroll[how]()

    def evidence_key_allowed(self, action: str) -> bool | None:
        """Whether a key of the pane applies: only while it is open, and the scrolling
        keys not while the search box has the focus (its own arrows, Home and End)."""
        if action == "document_page":
            return self.evidence_open
        if action == "scroll_document":
            return self.evidence_open and not isinstance(self.focused, Input)
        return None

    @on(EvidencePane.LayoutWanted)
    def layout_wanted(self) -> None:
        self.show_evidence_again()

    def _evidence_of(self, item_id: int) -> EvidenceResult | None:
        """The item's evidence check result, as its item view read it (the pane's header)."""
        view = self.view
        return view.evidence if view is not None and view.id == item_id else None

    def _kept_key(self, item_id: int, page: int | None, width: int) -> tuple[object, ...] | None:
        """Everything a shown page is made from, as the item view read it: the item, its
        quote, locator and value, the document's sha256 (a stored document never changes),
        the evidence result in the header, the width and the bidi setting. None when the
        item view is not the item's (nothing to vouch for the key)."""
        view = self.view
        if view is None or view.id != item_id:
            return None
        evidence = view.evidence
        return (
            item_id, page, width, self._bidi(), view.source.recorded_sha256, view.locator,
            view.snippet, view.value_text, view.value_number,
            (evidence.status, evidence.stale) if evidence else None,
        )  # fmt: skip

    def _request(self, item_id: int, page: int | None) -> bool:
        """Ask for the page; True when it was shown at once (kept from before)."""
        pane = self.query_one(EvidencePane)
        # The pane is laid out in the item panel's place, as wide, open or not (it has no
        # size only before the screen's first layout).
        width = pane.content_width if pane.size.width else self.query_one(ItemPanel).content_width
        self._requested += 1  # whatever is still being read is no longer wanted
        key = self._kept_key(item_id, page, width)
        kept = self._kept.get(key) if self._kept is not None and key is not None else None
        if kept is not None:
            self._show_passage(self._requested, *kept)
            return True
        self._load_passage(
            self._requested, item_id, page, width, self._bidi(), self._evidence_of(item_id), key
        )
        return False

    @work(thread=True, exclusive=True, group="evidence", exit_on_error=False)
    def _load_passage(
        self, request: int, item_id: int, page: int | None, width: int, bidi: bool,
        evidence: EvidenceResult | None, key: tuple[object, ...] | None,
    ) -> None:  # fmt: skip
        try:
            passage = self.backend.passage(item_id, page)
        except Exception as error:  # shown in the pane, never fatal
            message = explain(error, "reading the document of").message
            self.app.call_from_thread(self._passage_failed, request, item_id, message)
            return
        from verifier.presentation.evidence_pane import shown_passage  # see deferred.py

        shown = shown_passage(passage, width, bidi=bidi, evidence=evidence)
        self.app.call_from_thread(self._show_passage, request, passage, shown, key)

    def _wanted(self, request: int, item_id: int) -> bool:
        """Whether the answer to ``request`` is still what the pane should show."""
        return request == self._requested and item_id == self.current_id and self.evidence_open

    def _show_passage(
        self, request: int, passage: Passage, shown: ShownPage,
        key: tuple[object, ...] | None = None,
    ) -> None:  # fmt: skip
        if key is not None:
            kept = self._kept = self._kept if self._kept is not None else OrderedDict()
            kept[key] = (passage, shown)
            kept.move_to_end(key)
            while len(kept) > KEPT_PAGES:
                kept.popitem(last=False)
        if not self._wanted(request, passage.item_id):
            return
        self._passage = passage
        self.query_one(EvidencePane).show(shown)

    def _passage_failed(self, request: int, item_id: int, message: str) -> None:
        if self._wanted(request, item_id):
            self._passage = None
            self.query_one(EvidencePane).show_message(message)

    def show_evidence_again(self) -> None:
        """Lay the pane out again (bidi toggled, resized)."""
        passage = self._passage
        if passage is not None and self.evidence_open:
            from verifier.presentation.evidence_pane import shown_passage

            pane = self.query_one(EvidencePane)
            evidence = self._evidence_of(passage.item_id)
            pane.show(shown_passage(passage, pane.content_width, bidi=self._bidi(),
                                    evidence=evidence))  # fmt: skip
