"""The item view: everything needed to decide, from label and value to history.

It arrives laid out as text (``itemrender.shown_item``, done in a worker thread): drawing
is all that is left on the UI's thread, so the next item appears at once after a decision.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from verifier.core.review.itemview import ItemView
from verifier.presentation.display import wrap_lines
from verifier.presentation.itemrender import WIDE, Pane, ShownItem, shown_item


class ItemPanel(VerticalScroll):
    """``pane``: what a narrow panel shows, the item (value, snippet, facts) or its
    comparisons (city candidates, values for the same city, indicator and year); a wide
    panel shows both side by side."""

    # The document pane is in view in the panel's place (``PanelSwitch``): no focus here.
    covered = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: ShownItem | None = None
        self._width = 0  # the last width the panel had on screen
        self.pane: Pane = "item"
        # A colleague changed this item while it was on screen: (item id, what they did).
        self._mark: tuple[int, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="item-body")

    def allow_focus(self) -> bool:
        return super().allow_focus() and not self.covered

    @property
    def text(self) -> Text:
        """What the panel shows, as text."""
        body = self.query_one("#item-body", Static).content
        return body if isinstance(body, Text) else Text(str(body))

    @property
    def content_width(self) -> int:
        """The width items are laid out at (before the panel is first laid out, the last
        width it had, or 100)."""
        width = self.scrollable_content_region.width or self.size.width
        if width:
            self._width = width
        return max(20, self._width or 100)

    @property
    def wide(self) -> bool:
        """Whether the item and its comparisons are shown side by side."""
        return self.content_width >= WIDE

    def show(self, shown: ShownItem, bidi: bool | None = None) -> None:
        """Draw an item laid out elsewhere; lay it out again if the width, the pane or the
        ``bidi`` setting (when given: it may have been toggled meanwhile) differ."""
        bidi = shown.bidi if bidi is None else bidi
        if (shown.width, shown.pane, shown.bidi) != (self.content_width, self.pane, bidi):
            shown = shown_item(shown.view, self.content_width, bidi, self.pane, shown.extra)
        self._shown = shown
        body = shown.text
        if self._mark is not None and self._mark[0] == shown.view.id:
            # Wrapped here: the item's text is never wrapped again, only cut at the edge.
            lines = wrap_lines("⚠ " + self._mark[1], self.content_width, bidi=shown.bidi)
            body = Text.assemble(("\n".join(lines), "bold black on yellow"), "\n\n", body)
        self.query_one("#item-body", Static).update(body)

    def mark(self, item_id: int, message: str) -> None:
        """Say, above the item, that someone else changed it while it was shown."""
        self._mark = (item_id, message)
        if self._shown is not None and self._shown.view.id == item_id:
            self.show(self._shown)

    def unmark(self) -> None:
        self._mark = None

    def show_view(self, view: ItemView, bidi: bool) -> None:
        """Lay ``view`` out again (e.g. bidi toggled), keeping the sections shown with it."""
        extra = self._shown.extra if self._shown is not None else ()
        self.show(shown_item(view, self.content_width, bidi, self.pane, extra))

    def toggle_pane(self) -> Pane:
        """Switch a narrow panel between the item and its comparisons."""
        self.pane = "compare" if self.pane == "item" else "item"
        if self._shown is not None:
            self.show(self._shown)
            self.scroll_home(animate=False)
        return self.pane

    def show_message(self, message: str) -> None:
        """No item to show (an empty queue): say why."""
        self._shown = None
        self.query_one("#item-body", Static).update(Text(message, style="bold"))

    def on_resize(self, _event: Resize) -> None:
        if self._shown is not None and self._shown.width != self.content_width:
            self.show(self._shown)
        self.screen.refresh_bindings()  # the compare key is offered on narrow panels only
