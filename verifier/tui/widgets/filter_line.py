"""A one-line summary of the queue's filter, above the table."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from verifier.core.review.queue import QueueFilter
from verifier.presentation.display import shown


class FilterLine(Static):
    DEFAULT_CSS = """
    FilterLine { height: 1; padding: 0 1; background: $boost; }
    """

    def show(self, flt: QueueFilter, bidi: bool) -> None:
        line = Text("Filter: ", style="bold")
        # The search text is the user's own typing: shown as text, never as markup.
        line.append(shown(flt.describe(), bidi=bidi))
        self.update(line)
