"""The sprint dashboard: progress by status, indicator, city and reviewer, today's
throughput, the current sprint, and the latest publication."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from db.types import utcnow
from verifier.presentation import dashboard as render
from verifier.tui.backend import ReviewBackend
from verifier.tui.bindings import FIRST_BINDINGS
from verifier.tui.errors import explain
from verifier.tui.messages import DashboardLoaded, LoadFailed


class DashboardScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *FIRST_BINDINGS,
        Binding("escape,d", "close", "Back to queue", id="dashboard_close"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh"),
        Binding("s", "sprint", "Sprint dashboard", id="dashboard_sprint"),
    ]

    def __init__(self, backend: ReviewBackend) -> None:
        super().__init__()
        self._backend = backend
        self._board: object | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard"):
            yield Static(Text("Counting…", style="dim"), id="dash-overall")
            yield Static(id="dash-sprint")
            yield Static(id="dash-today")
            yield Static(id="dash-publication")
            yield Static(id="dash-indicators")
            yield Static(id="dash-reviewers")
            yield Static(id="dash-cities")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Progress"
        self.watch(self.app, "bidi", lambda _: self._draw(), init=False)
        self.action_refresh()

    def action_refresh(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def _load(self) -> None:
        try:
            board = self._backend.dashboard()
        except Exception as error:  # shown, never fatal
            self.post_message(LoadFailed("the dashboard", explain(error, "counting").message))
            return
        self.post_message(DashboardLoaded(board))

    @on(DashboardLoaded)
    def loaded(self, message: DashboardLoaded) -> None:
        self._board = message.board
        self._draw()

    @on(LoadFailed)
    def failed(self, message: LoadFailed) -> None:
        self.app.notify(message.error, title="Dashboard", severity="error", markup=False)

    def _draw(self) -> None:
        board = self._board
        if not isinstance(board, render.Dashboard):
            return
        bidi = bool(getattr(self.app, "bidi", True))
        sections: dict[str, RenderableType] = {
            "overall": render.overall(board),
            "sprint": render.sprint(board.sprint, utcnow(), bidi),
            "today": render.today(board, bidi),
            "publication": render.publication(board),
            "indicators": render.by_indicator(board, bidi),
            "reviewers": render.by_reviewer(board, bidi),
            "cities": render.by_city(board, bidi),
        }
        for name, renderable in sections.items():
            self.query_one(f"#dash-{name}", Static).update(renderable)

    def action_sprint(self) -> None:
        from verifier.tui.screens.sprint_screen import SprintScreen

        self.app.push_screen(SprintScreen(self._backend))

    def action_close(self) -> None:
        self.dismiss(None)
