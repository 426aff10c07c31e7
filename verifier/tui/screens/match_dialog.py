"""Choosing an item's city: the matcher's candidates, or a search of the gazetteer in
either script (scored by the edition's matcher, then names and aliases containing the text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from verifier.core.review.itemview import ItemView
from verifier.presentation.display import layout_text, shown, shown_pieces
from verifier.tui.backend import ReviewBackend
from verifier.tui.errors import explain
from verifier.tui.widgets.plain_input import PlainInput

if TYPE_CHECKING:  # the search (and the matcher) load when the dialog searches
    from verifier.core.cities.search import CityHit


def _prompt(
    city_id: str,
    names: tuple[str, str],
    country: str,
    score: float | None,
    why: str,
    bidi: bool,
    current: bool,
) -> Text:
    line = Text("● " if current else "  ", style="bold green")
    line.append(f"{city_id:<16}", style="bold")
    line.append(shown(" · ".join(n for n in names if n), bidi=bidi))
    line.append(f" ({country})" if country else "")
    line.append(f"  {score:5.1f}" if score is not None else "     —", style="bold")
    line.append(f"  {shown_pieces(why, bidi=bidi)}", style="dim")
    return line


class MatchDialog(ModalScreen[str | None]):
    """Returns the chosen city id, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="match_cancel"),
        Binding("down", "focus_options", "Candidates", id="match_focus_options", show=False),
    ]

    @dataclass
    class CitiesFound(Message):
        text: str
        hits: list[CityHit]

    def __init__(self, backend: ReviewBackend, view: ItemView, bidi: bool, title: str) -> None:
        super().__init__()
        self._backend = backend
        self._view = view
        self._bidi = bidi
        self._title = title

    def compose(self) -> ComposeResult:
        label = Text(self._title + " ", style="bold")
        label.append_text(
            layout_text(self._view.raw_label, bidi=self._bidi, width=80, style="bold yellow")
        )
        with Vertical(classes="dialog dialog-wide"):
            yield Label(label, classes="dialog-title")
            yield PlainInput(
                placeholder="Search the gazetteer: a name in Arabic or Latin script",
                id="match-search",
            )
            yield OptionList(id="match-options")
            yield Label(
                Text("Type to search · ↓ to the list · Enter to choose · Escape to cancel", "dim")
            )
        yield Footer()

    def on_mount(self) -> None:
        self._show_candidates()
        self.query_one(Input).focus()

    def _show_candidates(self) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        for c in self._view.candidates:
            prompt = _prompt(
                c.city_id,
                (c.name_en, c.name_ar),
                c.country,
                c.score,
                c.explanation,
                self._bidi,
                c.is_current,
            )
            options.add_option(Option(prompt, id=c.city_id))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#match-search")
    def search_changed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self._search(event.value)
        else:
            self._show_candidates()

    @work(thread=True, exclusive=True, group="city-search", exit_on_error=False)
    def _search(self, text: str) -> None:
        try:
            hits = self._backend.search_cities(text)
        except Exception as error:  # reported, never fatal
            self.app.notify(
                explain(error, "searching cities").message, severity="error", markup=False
            )
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.CitiesFound(text, hits))

    @on(CitiesFound)
    def show_hits(self, message: CitiesFound) -> None:
        if message.text != self.query_one(Input).value:
            return  # the user typed on; a newer search is coming
        options = self.query_one(OptionList)
        options.clear_options()
        for hit in message.hits:
            prompt = _prompt(
                hit.city_id,
                (hit.name_en, hit.name_ar),
                hit.country,
                hit.score,
                hit.why,
                self._bidi,
                hit.city_id == self._view.city_id,
            )
            options.add_option(Option(prompt, id=hit.city_id))
        if options.option_count:
            options.highlighted = 0
        else:
            options.add_option(Option(Text("No city found.", "dim"), disabled=True))

    @on(Input.Submitted, "#match-search")
    def choose_highlighted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id and not option.disabled:
                self.dismiss(option.id)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    def action_focus_options(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
