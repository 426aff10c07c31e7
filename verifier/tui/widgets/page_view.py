"""A page of text that draws only the lines in view.

A document page can run to hundreds of lines. Given to a ``Static``, the whole page is
rendered to measure its height and laid out again on every update; here the page is kept as
lines and each is rendered when it first comes into view (and kept), so opening a page
costs what the screen shows, not what the page holds.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class PageView(ScrollView, can_focus=True):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.content: RenderableType = Text("")
        self._lines: list[Text] = []  # a text page, one Text per line
        self._strips: dict[int, Strip] = {}  # lines rendered so far
        self._block: list[Strip] | None = None  # anything else (a grid): rendered whole

    def update(self, content: RenderableType, *, width: int, top: int = 0) -> None:
        """Show ``content``, line ``top`` at the top: a ``Text`` of lines laid out ``width``
        cells wide (kept as lines), or another renderable (rendered whole, once)."""
        self.content = content
        self._strips = {}
        if isinstance(content, Text):
            self._lines = list(content.split("\n", allow_blank=True))
            self._block = None
            height = len(self._lines)
        else:
            self._lines = []
            options = self.app.console.options.update(width=width, height=None)
            rendered = self.app.console.render_lines(content, options, pad=False)
            self._block = [Strip(line) for line in rendered]
            height = len(self._block)
        self.virtual_size = Size(width, height)
        # At once, not after a refresh: the view is laid out already (it is never hidden),
        # so the first frame drawn is the right one.
        self.scroll_to(0, top, animate=False, immediate=True)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        style = self.rich_style
        strip = self._line(scroll_y + y)
        if strip is None:
            return Strip.blank(width, style)
        return strip.crop_extend(scroll_x, scroll_x + width, style).apply_style(style)

    def _line(self, index: int) -> Strip | None:
        if self._block is not None:
            return self._block[index] if 0 <= index < len(self._block) else None
        if not 0 <= index < len(self._lines):
            return None
        strip = self._strips.get(index)
        if strip is None:
            line = self._lines[index]
            segments = [s for s in line.render(self.app.console) if s.text != "\n"]
            strip = Strip(segments or [Segment("")], line.cell_len)
            self._strips[index] = strip
        return strip
