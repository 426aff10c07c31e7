"""An Input that shows Arabic as the rest of the screen does, and follows the app's
cursor-blink setting (off in tests, for stable snapshots).

With bidi on, what is typed is shown shaped and in visual order (``display.layout_typed``),
while the value, which is what is stored, stays in logical order. The cursor is drawn on
the character it stands before, wherever the layout put that character; at the end of a
right-to-left text it stands at the left.
"""

from __future__ import annotations

from rich.text import Text
from textual.strip import Strip
from textual.widgets import Input

from verifier.presentation.bidilayout import needs_bidi
from verifier.presentation.display import layout_typed


class PlainInput(Input):
    def on_mount(self) -> None:
        self.cursor_blink = bool(getattr(self.app, "cursor_blink", True))
        self.watch(self.app, "bidi", self._bidi_changed, init=False)

    def _bidi_changed(self, _bidi: bool) -> None:
        self.refresh()

    def _laid_out(self) -> bool:
        bidi = bool(getattr(self.app, "bidi", False))
        return bidi and not self.password and needs_bidi(self.value)

    @property
    def shown_text(self) -> str:
        """What the input shows (visual order when bidi is on)."""
        if not self._laid_out():
            return self.value
        return layout_typed(self.value, bidi=True).text

    def render_line(self, y: int) -> Strip:
        if y != 0 or not self.value or not self._laid_out():
            return super().render_line(y)
        line = layout_typed(self.value, bidi=True)
        text = Text(line.text, end="", no_wrap=True)
        at_end = self.cursor_position >= len(self.value)
        if self.has_focus and not self.selection.is_empty:
            start, end = sorted(self.selection)
            selected = self.get_component_rich_style("input--selection")
            for index, source in enumerate(line.sources):
                if start <= source < end:
                    text.stylize_before(selected, index, index + 1)
        cursor_cell = self._cursor_cell(line.sources, line.rtl, at_end)
        if at_end:
            if line.rtl:
                text = Text(" ", end="") + text
            else:
                text.append(" ")
        if self.has_focus and self._cursor_visible:
            text.stylize(self.get_component_rich_style("input--cursor"), cursor_cell,
                         cursor_cell + 1)  # fmt: skip
        width = self.scrollable_content_region.width
        console = self.app.console
        segments = list(console.render(text, self.app.console_options.update_width(10_000)))
        strip = Strip(segments)
        # Keep the cursor in view: show the window of the line that holds it.
        start = max(0, min(cursor_cell - width + 1, strip.cell_length - width))
        if line.rtl and strip.cell_length > width:
            start = max(0, min(cursor_cell, strip.cell_length - width))
        strip = strip.crop(start, start + width + 1).extend_cell_length(width + 1)
        return strip.apply_style(self.rich_style)

    def _cursor_cell(self, sources: tuple[int, ...], rtl: bool, at_end: bool) -> int:
        """The cell the cursor is drawn on: the character at the cursor's position (or the
        nearest one after it); at the end, past the text's last character."""
        after = [(source, index) for index, source in enumerate(sources)
                 if source >= self.cursor_position]  # fmt: skip
        if at_end or not after:
            return 0 if rtl else len(sources)
        return min(after)[1]
