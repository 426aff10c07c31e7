"""The document pane: the current item's source document, at the page its quote is on.

What it shows is laid out elsewhere (``presentation.evidence_pane``); the pane draws it (a
header that stays, and the page in a ``PageView``, which draws only the lines in view),
scrolls to the quote, and asks the screen for the previous or next page. It binds no
decision key: v, r, f and the others still decide the current item while it is open.
"""

from __future__ import annotations

import io
from typing import ClassVar

from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Resize
from textual.message import Message
from textual.widget import Widget

from verifier.presentation.evidence_pane import ShownPage
from verifier.tui.bindings import EVIDENCE_BINDINGS
from verifier.tui.widgets.page_view import PageView


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
    BINDINGS: ClassVar[list[BindingType]] = [
        *EVIDENCE_BINDINGS,
        Binding("escape", "close", "Close", id="close_evidence", show=False),
    ]

    class PageWanted(Message):
        """The reviewer asked for the page ``step`` away from the one shown."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class CloseWanted(Message):
        pass

    class LayoutWanted(Message):
        """The pane's width changed: the page should be laid out again to it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: ShownPage | None = None

    def compose(self) -> ComposeResult:
        yield PaneHeader(id="evidence-title")
        yield PageView(id="evidence-body")

    @property
    def page(self) -> PageView:
        """The page itself: what scrolls, and what has the focus while the pane is open."""
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
        page = self.page
        page.update(shown.body, width=shown.width)
        # The quote's line a few lines down from the top, with what leads to it above (the
        # header stays above the page, outside what scrolls).
        target = max(0, shown.focus_line - 3)
        if target:
            page.call_after_refresh(page.scroll_to, y=target, animate=False)

    def show_message(self, message: str) -> None:
        self.shown = None
        self._title(Text("Document", style="bold"))
        self.page.update(Text(message, style="italic"), width=self.content_width)

    def _title(self, title: Text) -> None:
        self.query_one(PaneHeader).update(title)

    def action_page(self, step: int) -> None:
        self.post_message(self.PageWanted(step))

    def action_close(self) -> None:
        self.post_message(self.CloseWanted())


def _plain(content: object) -> str:
    if isinstance(content, Text):
        return content.plain
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(content)
    return console.export_text()
