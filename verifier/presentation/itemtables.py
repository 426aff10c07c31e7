"""The item view's tables: the city candidates for the label, the other items for the same
city, indicator and year, and the item's history. Every cell of untrusted text is laid out
by ``display`` (wrapped in logical order, cut at its logical end)."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.core.review.item_peers import SIBLINGS_COUNTED
from verifier.core.review.itemview import ItemView
from verifier.presentation.display import BidiText, layout_text, shown_pieces
from verifier.presentation.styles import BAD, DIM, WARN  # re-exported: the item view's styles

STATUS_STYLES = {
    "unverified": "",
    "verified": "bold green",
    "rejected": "bold red",
    "flagged": "bold yellow",
    "hidden": "dim",  # a blind second review (verifier.core.qa.blind)
}
STATUS_MARKS = {"unverified": "·", "verified": "✓", "rejected": "✗", "flagged": "⚑", "hidden": "◌"}


def plain(text: str | None, bidi: bool, style: str = "", *, keep_number: bool = False) -> Text:
    """One line of untrusted text, laid out (no width: the caller's container cuts it)."""
    return layout_text(text, bidi=bidi, style=style, keep_number=keep_number)


def status_text(status: str) -> Text:
    return Text(f"{STATUS_MARKS.get(status, '?')} {status}", style=STATUS_STYLES.get(status, ""))


def utc(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.6g}" if abs(value) < 1e15 else f"{value:.6g}"


def _table(title: str) -> Table:
    return Table(
        title=Text(title), title_justify="left", expand=True, show_edge=False, pad_edge=False
    )


def candidates_table(view: ItemView, bidi: bool, limit: int | None = None) -> RenderableType:
    """The matcher's candidates for the label, best first (the first ``limit`` of them)."""
    if view.candidates_pending:  # the review UI's first item: they follow in a moment
        table = _table("City candidates for this label")
        table.add_column("")
        table.add_row(Text("finding the candidates…", DIM))
        return table
    margin = "" if view.margin is None else f" · lead {view.margin:.1f} points"
    shown = view.candidates if limit is None else view.candidates[:limit]
    table = _table(f"City candidates for this label — band {view.band}{margin}")
    table.add_column("", no_wrap=True)
    table.add_column("city", no_wrap=True)
    table.add_column("names", ratio=1, min_width=12)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("why", ratio=2, min_width=16)
    for rank, candidate in enumerate(shown, start=1):
        names = Text(candidate.name_en)
        if candidate.name_ar:
            names.append(" · ")
            names.append(candidate.name_ar)
        table.add_row(
            Text(
                "●" if candidate.is_current else str(rank),
                "bold green" if candidate.is_current else DIM,
            ),
            Text(f"{candidate.city_id} {candidate.country}".strip()),
            BidiText(names, bidi=bidi, justify_rtl=False),
            Text(f"{candidate.score:.1f}"),
            # Already laid out, name by name: wrapped as a left-to-right sentence.
            BidiText(shown_pieces(candidate.explanation, bidi=bidi), bidi=False, style=DIM),
        )
    if not view.candidates:
        table.add_row("", Text("no plausible city", WARN), "", "", "")
    hidden = len(view.candidates) - len(shown)
    if hidden > 0:
        more = Text(f"… {hidden} more (c: cities and values)", DIM)
        return Group(table, more)
    return table


def siblings_table(view: ItemView, bidi: bool) -> RenderableType:
    """The other items for the same city, indicator and year; those that disagree first
    marked ≠, and a lead's resolution if there is one."""
    if view.city_id is None:
        return Text("Same city, indicator and year: match a city first.", DIM)
    others = view.sibling_total
    disagree = view.disagreements
    many = "+" if others >= SIBLINGS_COUNTED else ""
    title = f"Same city, indicator and year — {others:,}{many} other item{'s' * (others != 1)}"
    if disagree:
        title += f", {disagree} disagree"
    table = _table(title)
    table.add_column(Text(""), no_wrap=True)
    table.add_column(Text("item"), no_wrap=True, justify="right")
    table.add_column(Text("as written"), max_width=24)
    table.add_column(Text(view.indicator_unit or "value"), no_wrap=True, justify="right")
    table.add_column(Text("status"), no_wrap=True)
    table.add_column(Text("source · locator"), ratio=1, min_width=16)
    table.add_row(
        Text("this", "bold"),
        Text(f"#{view.id}"),
        BidiText(view.value_text, bidi=bidi, style="bold", no_wrap=True, keep_number=True),
        Text(number(view.value_normalized), "bold"),
        status_text(view.status),
        _source_cell(view.source.title, view.locator, bidi),
    )
    for sibling in view.siblings:
        style = BAD if sibling.disagrees else ""
        table.add_row(
            Text("≠", BAD) if sibling.disagrees else Text("=", "green"),
            Text(f"#{sibling.id}"),
            BidiText(sibling.value_text, bidi=bidi, style=style, no_wrap=True, keep_number=True),
            Text(number(sibling.value_normalized), style),
            status_text(sibling.status),
            _source_cell(sibling.source_title, sibling.locator, bidi),
        )
    if others > len(view.siblings):
        table.add_row("", Text(f"… {others - len(view.siblings)} more", DIM), "", "", "", "")
    if view.resolution is None:
        return table
    chosen = view.resolution
    note = Text(f"A lead chose item #{chosen.chosen_item_id} ", WARN)
    note.append(f"({chosen.resolved_by}, {utc(chosen.resolved_at)}): ", DIM)
    note.append(chosen.reason, DIM)
    return Group(table, BidiText(note, bidi=bidi, base="ltr"))


def _source_cell(title: str, locator: str, bidi: bool) -> RenderableType:
    """The source's title and the locator, each laid out on its own line: a Latin title
    and an Arabic locator must not be reordered as one sentence."""
    parts: list[RenderableType] = [BidiText(title, bidi=bidi, no_wrap=True, justify_rtl=False)]
    if locator:
        parts.append(BidiText(locator, bidi=bidi, style=DIM, no_wrap=True, justify_rtl=False))
    return Group(*parts)


def history_table(view: ItemView, bidi: bool) -> RenderableType:
    if view.status == "hidden":
        return Text("History: hidden during a blind second review.", DIM)
    if not view.events:
        return Text("History: no decision yet.", DIM)
    count = len(view.events)
    table = _table(f"History — {count} event{'s' * (count != 1)}")
    for header in ("when (UTC)", "who", "action", "status"):
        table.add_column(header, no_wrap=True)
    table.add_column("note / reason", ratio=1, min_width=16)
    for event in view.events:
        change = Text()
        if event.old_status and event.new_status and event.old_status != event.new_status:
            change.append_text(status_text(event.old_status))
            change.append(" → ")
            change.append_text(status_text(event.new_status))
        words = Text()
        for label, value in (("note", event.note), ("reason", event.reason), ("", event.detail)):
            if value:
                if words:
                    words.append(" · ")
                if label:
                    words.append(f"{label}: ", DIM)
                words.append(value, "" if label else DIM)
        table.add_row(
            Text(event.created_at.strftime("%Y-%m-%d %H:%M:%S")),
            plain(event.actor, bidi),
            Text(event.action),
            change,
            BidiText(words, bidi=bidi, base="ltr"),
        )
    return table
