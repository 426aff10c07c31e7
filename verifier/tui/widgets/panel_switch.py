"""The item panel and the document pane in one place, one of them in view.

Textual lays the whole screen out again when a widget is hidden or shown (``display``,
``visibility``, a ``ContentSwitcher``), sends every widget that appears a resize, and then
repaints far more than the panel: that was most of what opening the document pane cost.
Here both panels stay mounted, laid out once in the same place on two layers, and the one
out of view is moved aside by an offset of its own width (outside the switch, which clips
it). A new offset changes no widget's size: no panel is resized or laid out again, and
only the switch's own region is drawn again. The panel out of view takes no focus (Tab
never lands in it) and is not drawn while it changes (the item, as decisions move on).
"""

from __future__ import annotations

from textual.containers import Container

from verifier.tui.widgets.evidence_pane import EvidencePane
from verifier.tui.widgets.item_panel import ItemPanel


class PanelSwitch(Container):
    def __init__(self, item: ItemPanel, document: EvidencePane, *, id: str | None = None) -> None:
        super().__init__(item, document, id=id)
        self._item = item
        self._document = document
        self.document_shown = False
        self._place()

    def show_document(self, shown: bool) -> None:
        """The document pane in view (True) or the item panel (False)."""
        if shown != self.document_shown:
            self.document_shown = shown
            self._place()

    def _place(self) -> None:
        shown = self.document_shown
        self._item.covered = shown
        self._document.covered = not shown
        # Whichever is out of view is moved aside (clipped): nothing is drawn behind the
        # other, and a panel that changes out of view is not drawn at all.
        self._item.styles.offset = ("-100%", 0) if shown else (0, 0)
        self._document.styles.offset = (0, 0) if shown else ("100%", 0)
