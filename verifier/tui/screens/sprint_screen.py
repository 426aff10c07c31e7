"""The sprint dashboard: burn-down, throughput per reviewer per day, the sprint's QA figures
and what each reviewer still has. A lead reassigns someone's remaining items from here."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Select, Static

from db.types import utcnow
from verifier.core.qa.figures import Figures
from verifier.core.review.sprint_steering import SprintOverview
from verifier.core.wording import count
from verifier.presentation.display import shown
from verifier.presentation.sprint_board import board
from verifier.tui.backend import ReviewBackend
from verifier.tui.bindings import FIRST_BINDINGS
from verifier.tui.errors import explain
from verifier.tui.messages import LoadFailed, SprintLoaded
from verifier.tui.screens.reassign_dialog import ReassignDialog, Reassignment


class SprintScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *FIRST_BINDINGS,
        # Back to the queue or to the progress dashboard, whichever opened it.
        Binding("escape,s", "close", "Back", id="sprint_close"),
        Binding("r", "reassign", "Reassign", id="sprint_reassign",
                tooltip="Give a reviewer's remaining items to others (leads)"),
        Binding("ctrl+r", "refresh", "Refresh", id="sprint_refresh"),
    ]  # fmt: skip

    def __init__(self, backend: ReviewBackend) -> None:
        super().__init__()
        self._backend = backend
        self._names: list[str] = []
        self._shown: tuple[SprintOverview, Figures] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="sprint-bar"):
            yield Label(Text("Sprint ", style="bold"))
            yield Select([], prompt="no sprint yet", id="sprint-choice", compact=True,
                         allow_blank=True)  # fmt: skip
        with VerticalScroll(id="sprint-board"):
            yield Static(Text("Loading the sprint…", style="dim"), id="sprint-body")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Sprint dashboard"
        self.watch(self.app, "bidi", lambda _: self._draw(), init=False)
        self._list()

    @work(thread=True, exclusive=True, group="sprint-list", exit_on_error=False)
    def _list(self) -> None:
        try:
            names = self._backend.sprint_names()
        except Exception as error:  # shown, never fatal
            self.post_message(LoadFailed("the sprints", explain(error, "listing").message))
            return
        self.app.call_from_thread(self._listed, names)

    def _listed(self, names: list[str]) -> None:
        self._names = names
        select = self.query_one("#sprint-choice", Select)
        bidi = bool(getattr(self.app, "bidi", True))
        select.set_options([(Text(shown(name, bidi=bidi)), name) for name in names])
        if not names:
            self.query_one("#sprint-body", Static).update(
                Text("No sprint yet: a lead creates one with `verifier sprint create`.", "dim")
            )
            return
        select.value = names[0]  # the current sprint comes first

    @on(Select.Changed, "#sprint-choice")
    def chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._load(event.value)

    def current(self) -> str | None:
        value = self.query_one("#sprint-choice", Select).value
        return value if isinstance(value, str) else None

    def action_refresh(self) -> None:
        name = self.current()
        if name is not None:
            self._load(name)

    @work(thread=True, exclusive=True, group="sprint", exit_on_error=False)
    def _load(self, name: str) -> None:
        try:
            overview, figures = self._backend.sprint_board(name)
        except Exception as error:  # shown, never fatal
            self.post_message(LoadFailed(f"sprint {name}", explain(error, "reading").message))
            return
        self.post_message(SprintLoaded(overview, figures))

    @on(SprintLoaded)
    def loaded(self, message: SprintLoaded) -> None:
        self._shown = (message.overview, message.figures)
        self._draw()

    @on(LoadFailed)
    def failed(self, message: LoadFailed) -> None:
        self.app.notify(message.error, title="Sprint", severity="error", markup=False)

    def _draw(self) -> None:
        if self._shown is None:
            return
        overview, figures = self._shown
        bidi = bool(getattr(self.app, "bidi", True))
        width = max(40, self.size.width - 4)
        parts = board(overview, figures, utcnow(), bidi, width)
        spaced = [p for part in parts for p in (part, Text(""))]
        self.query_one("#sprint-body", Static).update(Group(*spaced))

    def action_reassign(self) -> None:
        if self._shown is None:
            self.app.notify(
                "No sprint to reassign from yet: a lead creates one with "
                "`verifier sprint create`." if not self._names else "The sprint is loading.",
                severity="warning", markup=False,
            )  # fmt: skip
            return
        overview, _ = self._shown
        loads = [(load.reviewer, load.left) for load in overview.loads]
        if not any(left for _, left in loads):
            self.app.notify("Nobody has items left in this sprint.", markup=False)
            return
        name = overview.sprint.name
        bidi = bool(getattr(self.app, "bidi", True))
        self.app.push_screen(ReassignDialog(name, loads, bidi), self._reassign)

    def _reassign(self, choice: Reassignment | None) -> None:
        if choice is not None and self._shown is not None:
            self._save_reassignment(self._shown[0].sprint.name, choice)

    @work(thread=True, group="reassign", exit_on_error=False)
    def _save_reassignment(self, sprint: str, choice: Reassignment) -> None:
        try:
            shares = self._backend.reassign(sprint, choice.source, choice.targets, choice.split)
        except Exception as error:  # every failure becomes a notification
            problem = explain(error, "reassigning")
            self.app.call_from_thread(
                self.app.notify, problem.message, title="Not reassigned",
                severity=problem.severity, markup=False,
            )  # fmt: skip
            return
        moved = ", ".join(f"{who} {n:,}" for who, n in shares.items())
        self.app.call_from_thread(
            self.app.notify,
            f"{count(sum(shares.values()), 'item')} of {choice.source} reassigned: {moved}.",
            markup=False,
        )
        self.app.call_from_thread(self.action_refresh)

    def action_close(self) -> None:
        self.dismiss(None)
