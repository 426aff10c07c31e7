"""Every key of the review UI, as currently mapped, and what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from verifier.tui.bindings import (
    APP_BINDINGS,
    DESCRIPTIONS,
    EVIDENCE_BINDINGS,
    QUEUE_BINDINGS,
    keys_for,
)

INTRO = (
    "Each decision is saved the moment it is made, under your name, and the next item "
    "opens. Rejecting asks for a reason, flagging for a note; changing a verified or "
    "rejected item asks for a reason too. ctrl+p opens the command palette with the same "
    'actions. Keys can be remapped in the config file: [keymap] verify = "v,enter".\n\n'
    "QA (ctrl+p, QA): in your blind second reviews the item shows no first decision; v, r "
    "and f record your own, which never changes the item. Leads settle disagreements in the "
    "adjudication queue with the same keys."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help_close")
    ]

    def __init__(self, keymap: dict[str, str]) -> None:
        super().__init__()
        self._keymap = keymap

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Label(Text("Keys", style="bold"), classes="dialog-title dialog-head")
            with VerticalScroll(id="help-body", classes="dialog-body"):
                yield Static(Group(Text(INTRO), Text(""), self._table()), id="help-table")
            yield Label(Text("Escape to close", style="dim"), classes="dialog-foot")
        yield Footer()

    def _keys(self, binding: Binding) -> str:
        keys = keys_for(binding, self._keymap).split(",")
        return "  ".join(self.app.get_key_display(Binding(key.strip(), "")) for key in keys)

    def _table(self) -> Table:
        table = Table(expand=True, show_edge=False, pad_edge=False)
        table.add_column(Text("key"), no_wrap=True, style="bold")
        table.add_column(Text("action"), no_wrap=True)
        table.add_column(Text("what it does"), ratio=1)
        for group, bindings in (
            ("Queue", QUEUE_BINDINGS),
            ("Document pane", EVIDENCE_BINDINGS),
            ("Everywhere", APP_BINDINGS),
        ):
            table.add_row(Text(group, style="bold underline"), Text(""), Text(""))
            for binding in bindings:
                table.add_row(
                    Text(self._keys(binding)),
                    Text(binding.id or binding.action, style="dim"),
                    Text(DESCRIPTIONS.get(binding.id or "", binding.description)),
                )
        return table

    def action_close(self) -> None:
        self.dismiss(None)
