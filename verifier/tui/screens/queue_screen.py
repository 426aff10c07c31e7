"""The review screen: the queue on top, the current item below, decisions one key each."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Vertical
from textual.widgets import Header, Input

from verifier.core.review.filter_choices import FilterChoices
from verifier.core.review.queue import QueueFilter
from verifier.core.review.saved_state import load_state
from verifier.tui.bindings import EVIDENCE_BINDINGS, FIRST_BINDINGS, QUEUE_BINDINGS
from verifier.tui.commands import QUICK_FILTERS, PaletteCommand, ReviewCommands
from verifier.tui.errors import explain
from verifier.tui.messages import LoadFailed
from verifier.tui.openers import desktop_can_open
from verifier.tui.screens.evidence_actions import EvidenceActions
from verifier.tui.widgets.evidence_pane import EvidencePane
from verifier.tui.widgets.filter_line import FilterLine
from verifier.tui.widgets.item_panel import ItemPanel
from verifier.tui.widgets.panel_switch import PanelSwitch
from verifier.tui.widgets.plain_input import PlainInput
from verifier.tui.widgets.queue_table import QueueTable
from verifier.tui.widgets.status_bar import StatusBar
from verifier.tui.widgets.steady_footer import SteadyFooter


class QueueScreen(EvidenceActions):
    BINDINGS: ClassVar[list[BindingType]] = [
        *FIRST_BINDINGS,
        *QUEUE_BINDINGS,
        *EVIDENCE_BINDINGS,
        Binding("escape", "back", "Back", id="close_search", show=False),
    ]
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ReviewCommands}

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterLine(id="filter-line")
        yield PlainInput(placeholder="Search labels, snippets, sources, cities…", id="search")
        with Vertical(id="panes"):
            yield QueueTable(id="queue")
            yield PanelSwitch(ItemPanel(id="item"), EvidencePane(id="evidence"), id="switch")
        yield StatusBar(id="status")
        yield SteadyFooter()

    def on_mount(self) -> None:
        # (ColleagueUpdates.on_mount runs too: Textual calls each class's handler.)
        state = load_state(self.state_path)
        self.filter = state.filter
        self._show_filter()
        self.query_one(QueueTable).focus()
        self.watch(self.app, "bidi", self._bidi_changed, init=False)
        self._load_page("around", state.item_id)

    # Searching and filtering ------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = self.filter.search
        self.set_class(True, "-searching")
        search.focus()

    def action_back(self) -> None:
        """Escape: out of the search box, else out of the document pane, else back to the
        filter an item was opened outside of."""
        if self.has_class("-searching"):
            self.close_search()
        elif self.evidence_open:
            self.close_evidence()
        elif self.outside_of is not None:  # back from an item opened outside the filter
            self.apply_filter(self.outside_of)

    def close_search(self) -> None:
        self.set_class(False, "-searching")
        self.query_one(QueueTable).focus()

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        self.close_search()
        if text.startswith("#") and text[1:].isdigit():
            self._open_number(int(text[1:]))
            return
        self.apply_filter(replace(self.filter, search=text))

    # #ID: any item of the edition, inside the filter or not ----------------------------

    def _open_number(self, item_id: int) -> None:
        if self.query_one(QueueTable).select_item(item_id):
            return  # on this page already
        self._locate(item_id, self.outside_of or self.filter)

    @work(thread=True, exclusive=True, group="locate", exit_on_error=False)
    def _locate(self, item_id: int, flt: QueueFilter) -> None:
        try:
            where = self.backend.locate(flt, item_id)
        except Exception as error:  # shown, never fatal
            self.post_message(LoadFailed(f"item #{item_id}", explain(error, "finding").message))
            return
        self.app.call_from_thread(self._located, item_id, flt, where)

    def _located(self, item_id: int, flt: QueueFilter, where: str) -> None:
        if where == "missing":
            self.app.notify(f"There is no item #{item_id} in this edition.", severity="warning")
        elif where == "inside":
            if self.outside_of is not None:
                self.outside_of = None
                self.filter = flt
                self._show_filter()
            self._go_to(item_id)
        else:
            self.app.notify(
                f"Item #{item_id} is outside the filter ({flt.describe()}): it is shown on "
                "its own. Escape goes back to the filter.",
                title="Outside the filter",
                severity="warning",
                timeout=8,
            )
            self.apply_filter(QueueFilter(search=f"#{item_id}"), outside_of=flt)

    # Narrow terminals: the item, or its comparisons ------------------------------------

    def action_compare(self) -> None:
        self.query_one(ItemPanel).toggle_pane()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "compare":  # wide panels show both: the key is not offered
            return not self.query_one(ItemPanel).wide
        allowed = self.evidence_key_allowed(action)
        return True if allowed is None else allowed

    def action_filters(self) -> None:
        self._fetch_choices()

    @work(thread=True, exclusive=True, group="choices", exit_on_error=False)
    def _fetch_choices(self) -> None:
        try:
            choices = self.backend.filter_choices()
        except Exception as error:  # shown, never fatal
            self.post_message(LoadFailed("the filters", explain(error, "listing").message))
            return
        self.app.call_from_thread(self._open_filters, choices)

    def _open_filters(self, choices: FilterChoices) -> None:
        from verifier.tui.screens.filter_dialog import FilterDialog  # see deferred.py

        dialog = FilterDialog(self.filter, choices, self.backend.user, self._bidi())
        self.app.push_screen(dialog, self._filters_chosen)

    def _filters_chosen(self, flt: QueueFilter | None) -> None:
        if flt is not None:
            self.apply_filter(flt)

    def apply_filter(self, flt: QueueFilter, outside_of: QueueFilter | None = None) -> None:
        """Show the items ``flt`` selects. ``outside_of``: the filter an item opened by its
        number lies outside of (Escape goes back to it)."""
        self.outside_of = outside_of
        self.filter = flt
        self.current_id = None
        self.view = None
        self._total = None
        self._show_filter()
        self._save_state()
        self._load_page("around", None)

    def palette_commands(self) -> list[PaletteCommand]:
        """Quick filters for the command palette, beside the named bindings."""
        commands: list[PaletteCommand] = [
            (name, help_text, partial(self.quick_filter, values))
            for name, help_text, values in QUICK_FILTERS
        ]
        commands.append(
            (
                "Show: assigned to me",
                "Toggle: only the items the current sprint assigns to you",
                self.toggle_mine,
            )
        )
        commands.append(
            (
                "QA: my blind second reviews",
                "Toggle: the items QA samples give you, without their first decision",
                self.toggle_blind,
            )
        )
        commands.append(
            (
                "QA: disagreements to adjudicate",
                "Toggle (leads): second decisions that differ from the first; v, r, f settle them",
                self.toggle_disputed,
            )
        )
        return commands

    def toggle_blind(self) -> None:
        if self.filter.blind:
            self.apply_filter(QueueFilter())
        else:
            self.apply_filter(QueueFilter(qa_for=self.backend.user))

    def toggle_disputed(self) -> None:
        self.apply_filter(QueueFilter(qa_disputed=not self.filter.qa_disputed))

    def quick_filter(self, values: dict[str, Any]) -> None:
        self.apply_filter(QueueFilter(**values))

    def toggle_mine(self) -> None:
        mine = None if self.filter.assigned_to else self.backend.user
        self.apply_filter(replace(self.filter, assigned_to=mine))

    def _show_filter(self) -> None:
        self.query_one(FilterLine).show(self.filter, self._bidi(), self.outside_of)

    # Other actions ---------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self._load_page("around", self.current_id)
        if self.current_id is not None:
            self.view = None

    def action_dashboard(self) -> None:
        if self._refuse_in_blind_queue("progress dashboard"):
            return
        from verifier.tui.screens.dashboard_screen import DashboardScreen  # see deferred.py

        self.app.push_screen(DashboardScreen(self.backend))

    def _refuse_in_blind_queue(self, board: str) -> bool:
        """A dashboard counts items by status (per indicator, city, reviewer): beside a blind
        queue's few items such counts tell their first decisions, so none opens from it."""
        if not self.filter.blind:
            return False
        self.app.notify(
            f"The {board} is not shown during a blind second review: its counts by status "
            "would reveal first decisions. Leave the blind queue (ctrl+p) to open it.",
            severity="warning",
            markup=False,
        )
        return True

    def action_provenance(self) -> None:
        if self.current_id is None:
            self.app.notify("No item selected.", severity="warning", markup=False)
            return
        from verifier.tui.screens.provenance_screen import ProvenanceScreen  # see deferred.py

        blind = self.current_id in self.backend.blind
        self.app.push_screen(ProvenanceScreen(self.backend, self.current_id, blind=blind))

    def action_sprint(self) -> None:
        if self._refuse_in_blind_queue("sprint dashboard"):
            return
        from verifier.tui.screens.sprint_screen import SprintScreen  # see deferred.py

        self.app.push_screen(SprintScreen(self.backend))

    def action_scroll_item(self, direction: int) -> None:
        panel = self.query_one(ItemPanel)
        if direction > 0:
            panel.scroll_page_down(animate=False)
        else:
            panel.scroll_page_up(animate=False)

    def action_open_source(self) -> None:
        view = self.view
        if view is None:
            return
        source = view.source
        if source.file_path and source.file_state in ("ok", "changed"):  # never a FIFO
            target = Path(source.file_path).as_uri()
        elif view.item_url.startswith(("http://", "https://")):
            target = view.item_url
        elif source.url.startswith(("http://", "https://")):
            target = source.url
        else:
            target = ""
        desktop = desktop_can_open()
        if source.stored and (not target or not desktop):
            self._open_in_pane("no desktop opener can show it here")
            return
        if not target:
            problem = source.file_problem or "This source has no URL or local file to open."
            self.app.notify(problem, severity="warning", markup=False)
            return
        if not desktop:  # a text browser would take the terminal over, or nothing shows
            self.app.notify(
                f"Nothing here can show it (no display, or over SSH); open it yourself: {target}",
                severity="warning", timeout=15, markup=False,
            )  # fmt: skip
            return
        if webbrowser.open(target) is False:
            if source.stored:
                self._open_in_pane("the desktop opener could not show it")
            else:
                self.app.notify(f"No browser could open {target}", severity="warning",
                                timeout=15, markup=False)  # fmt: skip
            return
        self.app.notify(f"Opening {target}", timeout=3, markup=False)

    def _open_in_pane(self, why: str) -> None:
        self.app.notify(f"Showing the stored document in the pane: {why}.", timeout=4)
        if not self.evidence_open:
            self.open_evidence()

    def _bidi_changed(self, _bidi: bool) -> None:
        table = self.query_one(QueueTable)
        for row in self.rows.values():
            table.update_row(row, self._bidi())
        if self.view is not None:
            self.query_one(ItemPanel).show_view(self.view, self._bidi())
        self._show_filter()
        self.show_evidence_again()
