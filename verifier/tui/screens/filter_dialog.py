"""Choosing the queue's filters. Each list offers the values present in the edition, with
how many items have them; "any" leaves a filter off."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select

from verifier.core.errors import InvalidActionError
from verifier.core.review.filter_choices import Choice, FilterChoices
from verifier.core.review.queue import BAND_CHOICES, SCRIPT_CHOICES, QueueFilter
from verifier.presentation.display import shown
from verifier.presentation.evidence_marks import EVIDENCE_WORDS
from verifier.tui.widgets.logical_select import LogicalSelect
from verifier.tui.widgets.plain_input import PlainInput

STATUS_OPTIONS = [
    ("unverified", "unverified"),
    ("flagged", "flagged"),
    ("verified", "verified"),
    ("rejected", "rejected"),
    ("unverified,flagged", "open: unverified or flagged"),
    ("verified,rejected", "decided: verified or rejected"),
]
SCRIPT_LABELS = {"arab": "Arabic", "latn": "Latin", "mixed": "mixed", "other": "other"}
BAND_LABELS = {
    "auto": "auto (accepted by the matcher)",
    "review": "review (a person should look)",
    "none": "none (no plausible city)",
    "unmatched": "unmatched (never matched)",
}
# Filter field -> label in the dialog. Values are stored comma-joined in the Select.
FIELDS = [
    ("statuses", "Status"),
    ("indicators", "Indicator"),
    ("domains", "Domain"),
    ("cities", "City"),
    ("countries", "Country"),
    ("sources", "Source"),
    ("batches", "Import batch"),
    ("scripts", "Label script"),
    ("bands", "Match band"),
    ("years", "Year"),
    ("reviewers", "Last changed by"),
    ("evidence", "Evidence check"),
]
# The evidence check's results a reviewer takes first, as one choice.
DISAGREEMENTS = "value_differs,snippet_not_found,page_mismatch"


def _options(choices: list[Choice], bidi: bool) -> list[tuple[Text, str]]:
    return [(Text(f"{shown(c.label, bidi=bidi)}  ({c.count:,})"), c.value) for c in choices]


class FilterDialog(ModalScreen[QueueFilter | None]):
    """Returns the new filter, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="filters_cancel"),
        Binding("ctrl+s", "apply", "Apply", id="filters_apply"),
    ]

    def __init__(self, current: QueueFilter, choices: FilterChoices, user: str, bidi: bool):
        super().__init__()
        self._current = current
        self._choices = choices
        self._user = user
        self._bidi = bidi

    def _field_options(self, name: str) -> list[tuple[Text, str]]:
        if name == "statuses":
            return [(Text(label), value) for value, label in STATUS_OPTIONS]
        if name == "scripts":
            return [(Text(SCRIPT_LABELS.get(s, s)), s) for s in SCRIPT_CHOICES]
        if name == "bands":
            return [(Text(BAND_LABELS.get(b, b)), b) for b in BAND_CHOICES]
        if name == "evidence":
            return self._evidence_options()
        return _options(getattr(self._choices, name), self._bidi)

    def _search_text(self, name: str) -> dict[str, str]:
        """What type-to-search reads: the labels as stored (drawn, they may be reordered)."""
        if name in ("statuses", "scripts", "bands", "evidence"):
            return {}
        return {c.value: c.label for c in getattr(self._choices, name)}

    def _evidence_options(self) -> list[tuple[Text, str]]:
        counts = {c.value: c.count for c in self._choices.evidence}
        options = [
            (Text(f"{EVIDENCE_WORDS.get(value, value)}  ({counts.get(value, 0):,})"), value)
            for value in counts
        ]
        disagreeing = sum(counts.get(v, 0) for v in DISAGREEMENTS.split(","))
        options.insert(0, (Text(f"any disagreement with the document  ({disagreeing:,})"),
                           DISAGREEMENTS))  # fmt: skip
        return options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Label(Text("Queue filters", style="bold"), classes="dialog-title dialog-head")
            with VerticalScroll(id="filter-fields", classes="dialog-body"):
                for name, label in FIELDS:
                    with Horizontal(classes="filter-row"):
                        yield Label(Text(label), classes="filter-label")
                        yield LogicalSelect(
                            self._field_options(name),
                            search_text=self._search_text(name),
                            prompt="any",
                            value=self._initial(name),
                            id=f"filter-{name}",
                            type_to_search=True,
                            compact=True,
                        )
                with Horizontal(classes="filter-row"):
                    yield Label(Text("Search"), classes="filter-label")
                    yield PlainInput(self._current.search, id="filter-search", compact=True)
                yield Checkbox(
                    Text(f"Only items assigned to me ({self._user}) in the current sprint"),
                    self._current.assigned_to == self._user,
                    id="filter-mine",
                    compact=True,
                )
                yield Checkbox(
                    Text("QA: my blind second reviews (the first decision stays hidden; "
                         "no status or reviewer filter)"),
                    self._current.qa_for == self._user,
                    id="filter-blind",
                    compact=True,
                )  # fmt: skip
                yield Checkbox(
                    Text("QA: disagreements awaiting a lead's adjudication"),
                    self._current.qa_disputed,
                    id="filter-disputed",
                    compact=True,
                )
            with Vertical(classes="dialog-foot"):
                yield Label(Text(""), id="filter-error", classes="dialog-error")
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Apply", variant="primary", id="filter-apply", compact=True)
                    yield Button("Clear all", id="filter-clear", compact=True)
                    yield Button("Cancel", id="filter-cancel", compact=True)
                yield Label(Text("ctrl+s or Enter in Search: apply · Escape: cancel", style="dim"))
        yield Footer()

    def _initial(self, name: str) -> str | object:
        values = getattr(self._current, name)
        if not values:
            return Select.NULL
        joined = ",".join(str(v) for v in values)
        known = {value for _, value in self._field_options(name)}
        if joined in known:
            return joined
        return str(values[0]) if str(values[0]) in known else Select.NULL

    def _collect(self) -> QueueFilter:
        values: dict[str, tuple[str, ...] | tuple[int, ...]] = {}
        for name, _ in FIELDS:
            chosen = self.query_one(f"#filter-{name}", Select).value
            if chosen is Select.NULL or chosen is None:
                values[name] = ()
            elif name in ("batches", "years"):
                values[name] = tuple(int(v) for v in str(chosen).split(","))
            else:
                values[name] = tuple(str(chosen).split(","))
        mine = self.query_one("#filter-mine", Checkbox).value
        blind = self.query_one("#filter-blind", Checkbox).value
        disputed = self.query_one("#filter-disputed", Checkbox).value
        search = self.query_one("#filter-search", Input).value.strip()
        return replace(
            QueueFilter(),
            **values,  # type: ignore[arg-type]
            assigned_to=self._user if mine else None,
            search=search,
            qa_for=self._user if blind else None,
            qa_sample=self._current.qa_sample,
            qa_disputed=disputed,
        )

    @on(Button.Pressed, "#filter-apply")
    @on(Input.Submitted, "#filter-search")
    def action_apply(self) -> None:
        try:
            chosen = self._collect()
        except InvalidActionError as error:
            self.query_one("#filter-error", Label).update(Text(str(error), style="red"))
            return
        self.dismiss(chosen)

    @on(Button.Pressed, "#filter-clear")
    def clear_all(self) -> None:
        for name, _ in FIELDS:
            self.query_one(f"#filter-{name}", Select).clear()
        self.query_one("#filter-search", Input).value = ""
        self.query_one("#filter-mine", Checkbox).value = False
        self.query_one("#filter-blind", Checkbox).value = False
        self.query_one("#filter-disputed", Checkbox).value = False

    @on(Button.Pressed, "#filter-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
