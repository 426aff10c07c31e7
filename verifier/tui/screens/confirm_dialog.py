"""Yes or no, before an action that touches many items."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from verifier.presentation.display import BidiText


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, title: str, question: Text) -> None:
        """``question``: in logical order (it may quote Arabic): laid out when drawn."""
        super().__init__()
        self._title = title
        self._question = question

    def compose(self) -> ComposeResult:
        bidi = bool(getattr(self.app, "bidi", True))
        with Vertical(classes="dialog"):
            yield Label(Text(self._title, style="bold"), classes="dialog-title")
            # Wrapped in logical order, so the lines of a long Arabic label read in order.
            yield Static(BidiText(self._question, bidi=bidi, base="ltr"), classes="dialog-text")
            yield Label(Text("y / Enter: yes · n / Escape: no", style="dim"))
        yield Footer()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
