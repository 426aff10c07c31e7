"""Choosing whose remaining sprint items go to whom: one reviewer's items, to one or more
others, split balanced (a source's items stay together) or round-robin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from verifier.presentation.display import shown
from verifier.tui.widgets.plain_input import PlainInput


@dataclass(frozen=True)
class Reassignment:
    source: str
    targets: list[str]
    split: str


class ReassignDialog(ModalScreen[Reassignment | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="reassign_cancel"),
    ]

    def __init__(self, sprint: str, loads: list[tuple[str, int]], bidi: bool) -> None:
        super().__init__()
        self._sprint = sprint
        self._loads = loads
        self._bidi = bidi

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = Text.assemble("Reassign remaining items of sprint ",
                                  (shown(self._sprint, bidi=self._bidi), "bold"))  # fmt: skip
            yield Label(title, classes="dialog-title")
            options = [
                (Text(f"{shown(who, bidi=self._bidi)}  ({left:,} left)"), who)
                for who, left in self._loads
                if left
            ]
            with Horizontal(classes="filter-row"):
                yield Label(Text("From"), classes="filter-label")
                yield Select(options, prompt="whose items", id="reassign-from", compact=True)
            with Horizontal(classes="filter-row"):
                yield Label(Text("To"), classes="filter-label")
                yield PlainInput(placeholder="reviewers, comma-separated", id="reassign-to",
                                 compact=True)  # fmt: skip
            with Horizontal(classes="filter-row"):
                yield Label(Text("Split"), classes="filter-label")
                yield Select(
                    [(Text("balanced: a source's items stay together"), "balanced"),
                     (Text("round-robin: one each in turn"), "round-robin")],
                    value="balanced", allow_blank=False, id="reassign-split", compact=True,
                )  # fmt: skip
            yield Label(Text(""), id="reassign-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Reassign", variant="primary", id="reassign-apply", compact=True)
                yield Button("Cancel", id="reassign-cancel", compact=True)

    @on(Button.Pressed, "#reassign-apply")
    @on(Input.Submitted, "#reassign-to")
    def apply(self) -> None:
        source = self.query_one("#reassign-from", Select).value
        targets = [
            name.strip()
            for name in self.query_one("#reassign-to", Input).value.split(",")
            if name.strip()
        ]
        split = self.query_one("#reassign-split", Select).value
        error = self.query_one("#reassign-error", Label)
        if not isinstance(source, str):
            error.update(Text("Choose whose items to reassign.", style="red"))
            return
        if not targets:
            error.update(Text("Name who takes them over.", style="red"))
            return
        self.dismiss(Reassignment(source, targets, str(split)))

    @on(Button.Pressed, "#reassign-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
