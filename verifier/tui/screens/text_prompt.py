"""Asking for a reason or a note: one line of text, required unless said otherwise."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from verifier.presentation.display import BidiText
from verifier.tui.widgets.plain_input import PlainInput


class TextPrompt(ModalScreen[str | None]):
    """Enter submits, Escape cancels. Returns the stripped text, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt_cancel")
    ]

    def __init__(self, title: str, explanation: Text | str = "", placeholder: str = "") -> None:
        super().__init__()
        self._title = title
        self._explanation = explanation if isinstance(explanation, Text) else Text(explanation)
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        bidi = bool(getattr(self.app, "bidi", True))
        with Vertical(classes="dialog"):
            yield Label(Text(self._title, style="bold"), classes="dialog-title")
            if self._explanation.plain:
                explanation = BidiText(self._explanation, bidi=bidi, base="ltr")
                yield Static(explanation, classes="dialog-text")
            yield PlainInput(placeholder=self._placeholder, id="prompt-input")
            yield Label(Text(""), id="prompt-error", classes="dialog-error")
            yield Label(Text("Enter to save · Escape to cancel", style="dim"))
        yield Footer()

    @on(Input.Changed)
    def typing(self, event: Input.Changed) -> None:
        """A complaint about the last attempt goes as soon as the user types again."""
        self.query_one("#prompt-error", Label).update(Text(""))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one("#prompt-error", Label).update(Text("This cannot be empty.", "red"))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
