"""The line under the queue: where the reviewer is, and how far the filtered scope is."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from verifier.core.review.progress import Counts


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; padding: 0 1; background: $panel; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(""), id=id)
        self.position: int | None = None
        self.total: int | None = None
        self.counts: Counts | None = None
        self.qa: tuple[int, int] | None = None
        self.saving = False

    def set_position(self, position: int | None, total: int | None) -> None:
        self.position, self.total = position, total
        self._draw()

    def set_counts(self, counts: Counts, qa: tuple[int, int] | None = None) -> None:
        self.counts, self.qa = counts, qa
        self._draw()

    def set_saving(self, saving: bool) -> None:
        self.saving = saving
        self._draw()

    def _draw(self) -> None:
        line = Text()
        total = "…" if self.total is None else f"{self.total:,}"
        where = "…" if self.position is None else f"{self.position:,}"
        if self.total == 0:
            line.append("no item in the queue", "dim")
        else:
            line.append(f"item {where} of {total}", "bold")
        if self.qa is not None:
            reviewed, drawn = self.qa
            line.append("   blind second review ")
            line.append(f"{reviewed:,}/{drawn:,} reviewed by you", "bold cyan")
        elif self.counts is not None:
            line.append("   scope ")
            line.append(self.counts.line(), "bold green")
            if self.counts.flagged:
                line.append(f" · {self.counts.flagged:,} flagged", "yellow")
        if self.saving:
            line.append("   saving…", "bold yellow")
        self.update(line)
