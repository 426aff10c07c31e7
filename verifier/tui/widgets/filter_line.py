"""A one-line summary of the queue's filter, above the table."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from verifier.core.review.queue import QueueFilter
from verifier.presentation.display import layout_text


class FilterLine(Static):
    DEFAULT_CSS = """
    FilterLine { height: 1; padding: 0 1; background: $boost; }
    """

    def show(self, flt: QueueFilter, bidi: bool, outside_of: QueueFilter | None = None) -> None:
        # The search text is the user's own typing: laid out as text, never markup.
        width = max(20, self.size.width - 12)
        if outside_of is not None:
            line = Text(f"{flt.search.strip()} ", style="bold")
            line.append("outside the filter ", "bold yellow")
            line.append_text(layout_text(outside_of.describe(), bidi=bidi, width=width - 40))
            line.append("  (Escape: back to it)", "dim")
        else:
            line = Text("Filter: ", style="bold")
            line.append_text(layout_text(flt.describe(), bidi=bidi, width=width))
        self.update(line)
