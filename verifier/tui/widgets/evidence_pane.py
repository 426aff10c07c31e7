"""The document pane: the current item's source document, at the page its quote is on.

What it shows is laid out elsewhere (``presentation.evidence_pane``); the pane draws it (a
header that stays, and the page in a ``PageView``, which draws only the lines in view) and
scrolls to the quote. It binds no key: the focus stays on the queue while it is open, and
the screen's keys page and scroll it (``bindings.EVIDENCE_BINDINGS``), so v, r, f and the
others still decide the current item.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Resize
from textual.message import Message
from textual.widget import Widget

from verifier.tui.widgets.page_view import PageView

if TYPE_CHECKING:
    from verifier.presentation.evidence_pane import ShownPage


class PaneHeader(Widget):
    """The pane's header: two lines, each cut to the width (its height never changes, so a
    new header is drawn in place, with no layout of the screen)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.content = Text("")

    def update(self, content: Text) -> None:
        content.no_wrap, content.overflow = True, "ellipsis"
        self.content = content
        self.refresh()

    def render(self) -> Text:
        return self.content


class EvidencePane(Vertical):
    # Out of view (``PanelSwitch``: the item panel in its place): its page takes no focus.
    covered = True

    class LayoutWanted(Message):
        """The pane's width changed: the page should be laid out again to it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: ShownPage | None = None

    def compose(self) -> ComposeResult:
        yield PaneHeader(id="evidence-title")
        yield PageView(id="evidence-body")

    def allow_focus_children(self) -> bool:
        return super().allow_focus_children() and not self.covered

    @property
    def page(self) -> PageView:
        """The page itself: what scrolls (and takes the focus when clicked)."""
        return self.query_one(PageView)

    @property
    def content_width(self) -> int:
        page = self.page
        return max(20, page.scrollable_content_region.width or self.size.width or 100)

    @property
    def text(self) -> str:
        """What the pane shows, as plain text (title and page)."""
        title = self.query_one(PaneHeader).content
        return f"{_plain(title)}\n{_plain(self.page.content)}"

    def on_resize(self, event: Resize) -> None:
        if self.shown is not None and self.content_width != self.shown.width:
            self.post_message(self.LayoutWanted())

    def show(self, shown: ShownPage) -> None:
        self.shown = shown
        self._title(shown.title)
        # The quote's line a few lines down from the top, with what leads to it above (the
        # header stays above the page, outside what scrolls).
        self.page.update(shown.body, width=shown.width, top=max(0, shown.focus_line - 3))

    def show_message(self, message: str) -> None:
        self.shown = None
        self._title(Text("Document", style="bold"))
        self.page.update(Text(message, style="italic"), width=self.content_width)

    def _title(self, title: Text) -> None:
        self.query_one(PaneHeader).update(title)


def _plain(content: object) -> str:
    if isinstance(content, Text):
        return content.plain
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(content)
    return console.export_text()
