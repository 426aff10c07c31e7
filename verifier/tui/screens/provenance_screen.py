"""An item's provenance, as an analyst would read it: where its value comes from, who
checked it, how its city was matched, and whether (and where) it is published."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from verifier.core.provenance.model import ProvenanceReport
from verifier.core.review.itemview import ItemView
from verifier.presentation.blind_provenance import blind_provenance_renderables
from verifier.presentation.provenance import provenance_renderables
from verifier.tui.backend import ReviewBackend
from verifier.tui.bindings import FIRST_BINDINGS
from verifier.tui.errors import explain
from verifier.tui.messages import LoadFailed, ProvenanceLoaded


class ProvenanceScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *FIRST_BINDINGS,
        Binding("escape,p", "close", "Back to queue", id="provenance_close"),
    ]

    def __init__(self, backend: ReviewBackend, item_id: int, *, blind: bool = False) -> None:
        super().__init__()
        self._backend = backend
        self._item_id = item_id
        self.report: ProvenanceReport | None = None
        # A blind second review: the source, extraction and city match only, no review log.
        self._blind = blind
        self.blind_view: ItemView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="provenance"):
            # Every field is laid out by presentation.display: never markup, Arabic in
            # its own direction.
            yield Static(Text("Gathering the provenance…", "italic"), id="provenance-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Provenance of item {self._item_id}"
        self.watch(self.app, "bidi", lambda _: self._draw(), init=False)
        self._load()

    @work(thread=True, exclusive=True, group="provenance", exit_on_error=False)
    def _load(self) -> None:
        from verifier.core.provenance import build_report

        try:
            if self._blind:
                view = self._backend.blind_item_view(self._item_id)
                self.post_message(ProvenanceLoaded(self._item_id, view))
                return
            with self._backend.workspace.reading() as session:
                report = build_report(session, item_id=self._item_id)
        except Exception as error:  # shown, never fatal
            what = f"item {self._item_id}'s provenance"
            self.post_message(LoadFailed(what, explain(error, "reading").message))
            return
        self.post_message(ProvenanceLoaded(self._item_id, report))

    @on(ProvenanceLoaded)
    def loaded(self, message: ProvenanceLoaded) -> None:
        if isinstance(message.report, ItemView):
            self.blind_view = message.report
        else:
            self.report = message.report
        self._draw()

    @on(LoadFailed)
    def failed(self, message: LoadFailed) -> None:
        self.query_one("#provenance-text", Static).update(Text(message.error, "bold red"))
        self.app.notify(message.error, title="Provenance", severity="error", markup=False)

    def _draw(self) -> None:
        bidi = bool(getattr(self.app, "bidi", True))
        if self.blind_view is not None:
            parts = blind_provenance_renderables(self.blind_view, bidi)
        elif self.report is not None:
            parts = provenance_renderables(self.report, bidi)
        else:
            return
        self.query_one("#provenance-text", Static).update(Group(*parts))

    def action_close(self) -> None:
        self.dismiss(None)
