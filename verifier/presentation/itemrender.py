"""The item view as Rich renderables: the review UI's item panel and ``verifier item show``.

Every string that came from an import or a person goes through ``display.shown`` into a
``rich.text.Text``: never parsed as markup, controls stripped, Arabic reordered when bidi
is on. No Textual import here: the command line uses it too.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.core.review.itemview import ItemView
from verifier.core.text import clean_display
from verifier.presentation.bidiwrap import find_spans, value_needles
from verifier.presentation.display import is_rtl, shown, shown_pieces, wrap_lines

STATUS_STYLES = {
    "unverified": "",
    "verified": "bold green",
    "rejected": "bold red",
    "flagged": "bold yellow",
}
STATUS_MARKS = {"unverified": "·", "verified": "✓", "rejected": "✗", "flagged": "⚑"}
WARN = "bold yellow"
BAD = "bold red"
DIM = "dim"
HIGHLIGHT = "bold black on yellow"
LABEL_COLUMN = 13  # the facts' label column ("Indicator") and the gap after it


def plain(text: str | None, bidi: bool, style: str = "") -> Text:
    return Text(shown(text, bidi=bidi), style=style)


def status_text(status: str) -> Text:
    return Text(f"{STATUS_MARKS.get(status, '?')} {status}", style=STATUS_STYLES.get(status, ""))


def utc(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.6g}" if abs(value) < 1e15 else f"{value:.6g}"


def title_line(view: ItemView, bidi: bool) -> Text:
    line = Text.assemble(("Item ", "bold"), (f"#{view.id}", "bold"), "  ")
    line.append_text(status_text(view.status))
    if view.status_changed_by:
        line.append(" by ")
        line.append_text(plain(view.status_changed_by, bidi))
        line.append(f" {utc(view.status_changed_at)}", style=DIM)
    line.append(f"   batch {view.batch_id} row {view.row_number}", DIM)
    return line


def fitted(text: str, width: int, bidi: bool, style: str = "") -> Text:
    """Text that may be long and Arabic, wrapped to ``width`` before being reordered (so
    its lines stay in reading order), right-aligned when it reads right to left."""
    lines = wrap_lines(text, width, bidi=bidi)
    if bidi and is_rtl(clean_display(text)):
        lines = aligned_right(lines)
    return Text("\n".join(lines), style=style)


def aligned_right(lines: list[str]) -> list[str]:
    """Right-to-left lines flush right, against the longest of them (not the far edge:
    a short Arabic title stays beside its label)."""
    block = max((len(line) for line in lines), default=0)
    return [line.rjust(block) for line in lines]


def facts_table(view: ItemView, bidi: bool, width: int = 100) -> Table:
    """Label, city, indicator, value, year and source, one fact per line. ``width``: the
    space available, for wrapping long Arabic names in reading order."""
    room = max(20, width - LABEL_COLUMN)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("Label", _label(view, bidi))
    grid.add_row("City", _city(view, bidi))
    grid.add_row("Indicator", _indicator(view, bidi, room))
    grid.add_row("Value", _value(view, bidi))
    grid.add_row("Year", Text(str(view.year)))
    grid.add_row("Source", _source(view, bidi, room))
    grid.add_row("File", _file(view, bidi))
    grid.add_row("Locator", plain(view.locator, bidi) if view.locator else Text("—", DIM))
    extracted = Text.assemble(plain(view.extractor or "unknown", bidi), " ")
    extracted.append(f"{utc(view.extracted_at)} · {view.batch_file}", DIM)
    grid.add_row("Extracted", extracted)
    return grid


def _label(view: ItemView, bidi: bool) -> Text:
    label = plain(view.raw_label, bidi, "bold")
    label.append(f"   script {view.label_script or '?'}", DIM)
    if view.country_hint:
        label.append(f" · country hint {view.country_hint}", DIM)
    return label


def _city(view: ItemView, bidi: bool) -> Text:
    if view.city_id is None:
        line = Text("no city", WARN)
        if view.suggested_city_id:
            line.append(f"   suggested {view.suggested_city_id}", DIM)
    else:
        line = plain(view.city_name_en, bidi, "bold")
        if view.city_name_ar:
            line.append(" · ")
            line.append_text(plain(view.city_name_ar, bidi, "bold"))
        line.append(f"  ({view.city_id}, {view.city_country})")
    how = [f"band {view.stored_band or 'unmatched'}"]
    if view.stored_score is not None:
        how.append(f"score {view.stored_score:.1f}")
    if view.match_method:
        how.append(f"set {view.match_method}")
    line.append("   " + " · ".join(how), DIM)
    if view.match_confirmed_by:
        line.append(" by ", DIM)
        line.append_text(plain(view.match_confirmed_by, bidi, DIM))
    return line


def _indicator(view: ItemView, bidi: bool, room: int) -> Text:
    line = Text(view.indicator_code, "bold")
    line.append("  ")
    line.append_text(plain(view.indicator_name_en, bidi))
    if view.indicator_name_ar:
        line.append("\n")
        line.append_text(fitted(view.indicator_name_ar, room, bidi))
    unit = view.indicator_unit or "no unit"
    line.append(f"\nunit {unit} · valid {_range(view)} · {view.direction} is better", DIM)
    if view.domain_code:
        line.append(f" · domain {view.domain_code}", DIM)
    return line


def _range(view: ItemView) -> str:
    if view.min_value is None and view.max_value is None:
        return "any value"
    low = "−∞" if view.min_value is None else number(view.min_value)
    high = "∞" if view.max_value is None else number(view.max_value)
    return f"{low} to {high}"


def _value(view: ItemView, bidi: bool) -> Text:
    line = Text.assemble(("as written ", DIM), plain(view.value_text or "(empty)", bidi, "bold"))
    if view.unit_written:
        line.append(" unit ", DIM)
        line.append_text(plain(view.unit_written, bidi))
    line.append("   parsed ", DIM)
    line.append(number(view.value_number), "bold")
    line.append("   in indicator unit ", DIM)
    line.append(f"{number(view.value_normalized)} {view.indicator_unit}".rstrip(), "bold")
    if view.value_normalized is None:
        line.append("   no value: nothing to publish", WARN)
    elif view.in_range is False:
        line.append(f"   outside the valid range {_range(view)}", BAD)
    return line


def _source(view: ItemView, bidi: bool, room: int) -> Text:
    source = view.source
    line = fitted(source.title, room, bidi, "bold")
    details = Text()
    for detail in (source.publisher, source.language):
        if detail:  # each field reordered on its own: the line itself reads left to right
            if details:
                details.append(" · ", DIM)
            details.append_text(plain(detail, bidi, DIM))
    details.append(f"  [{source.key}]", DIM)
    line.append("\n")
    line.append_text(details)
    for url in dict.fromkeys(u for u in (view.item_url, source.url) if u):
        line.append("\n")
        line.append_text(plain(url, False, "underline"))
    return line


def _file(view: ItemView, bidi: bool) -> Text:
    source = view.source
    if source.file_state == "none":
        return Text("no local copy", DIM)
    line = plain(source.file_path, bidi)
    verdicts = {
        "ok": ("  ✓ present, sha256 matches" if source.recorded_sha256 else "  ✓ present", ""),
        "missing": ("  ✗ missing", BAD),
        "changed": ("  ✗ sha256 differs from the recorded one", BAD),
        "unreadable": ("  ✗ cannot be read", BAD),
    }
    words, style = verdicts.get(source.file_state, ("", ""))
    line.append(words, style or "green")
    return line


def snippet_text(view: ItemView, width: int, bidi: bool) -> tuple[Text, bool]:
    """The snippet wrapped to ``width`` with the value highlighted; and whether it was found."""
    lines = wrap_lines(view.snippet, width, bidi=bidi)
    if not lines:
        return Text("(no snippet)", DIM), False
    needles = value_needles(view.value_text, view.value_number, bidi=bidi)
    right = bidi and is_rtl(clean_display(view.snippet))
    found = False
    result = Text(no_wrap=True, overflow="crop")
    for n, (line, padded) in enumerate(
        zip(lines, aligned_right(lines) if right else lines, strict=True)
    ):
        if n:
            result.append("\n")
        shift = len(padded) - len(line)
        piece = Text(padded)
        for start, end in find_spans(line, needles):
            piece.stylize(HIGHLIGHT, start + shift, end + shift)
            found = True
        result.append_text(piece)
    return result, found


def candidates_table(view: ItemView, bidi: bool) -> Table:
    margin = "" if view.margin is None else f" · lead {view.margin:.1f} points"
    table = Table(
        title=Text(f"City candidates for this label — band {view.band}{margin}"),
        title_justify="left",
        expand=True,
        show_edge=False,
        pad_edge=False,
    )
    for header, justify in (("", "left"), ("city", "left"), ("names", "left")):
        table.add_column(header, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("why", overflow="fold", ratio=1)
    for rank, candidate in enumerate(view.candidates, start=1):
        names = Text()
        names.append_text(plain(candidate.name_en, bidi))
        if candidate.name_ar:
            names.append(" · ")
            names.append_text(plain(candidate.name_ar, bidi))
        table.add_row(
            Text(
                "●" if candidate.is_current else str(rank),
                "bold green" if candidate.is_current else DIM,
            ),
            Text(f"{candidate.city_id} {candidate.country}".strip()),
            names,
            Text(f"{candidate.score:.1f}"),
            Text(shown_pieces(candidate.explanation, bidi=bidi), style=DIM),
        )
    if not view.candidates:
        table.add_row("", Text("no plausible city", WARN), "", "", "")
    return table


def siblings_table(view: ItemView, bidi: bool) -> RenderableType:
    if view.city_id is None:
        return Text("Same city, indicator and year: match a city first.", DIM)
    others = view.sibling_total
    disagree = view.disagreements
    title = f"Same city, indicator and year — {others} other item{'s' * (others != 1)}"
    if disagree:
        title += f", {disagree} disagree"
    table = Table(title=Text(title), title_justify="left", expand=True, show_edge=False)
    for header in ("", "item", "as written", view.indicator_unit or "value", "status"):
        justify = "right" if header == "item" else "left"
        table.add_column(Text(header), no_wrap=True, justify=justify)  # type: ignore[arg-type]
    table.add_column(Text("source"), overflow="fold", ratio=1)
    table.add_row(
        Text("this", "bold"),
        Text(f"#{view.id}"),
        plain(view.value_text, bidi, "bold"),
        Text(number(view.value_normalized), "bold"),
        status_text(view.status),
        Text.assemble(plain(view.source.title, bidi), " ", plain(view.locator, bidi, DIM)),
    )
    for sibling in view.siblings:
        table.add_row(
            Text("≠", BAD) if sibling.disagrees else Text("=", "green"),
            Text(f"#{sibling.id}"),
            plain(sibling.value_text, bidi, BAD if sibling.disagrees else ""),
            Text(number(sibling.value_normalized), BAD if sibling.disagrees else ""),
            status_text(sibling.status),
            Text.assemble(
                plain(sibling.source_title, bidi), " ", plain(sibling.locator, bidi, DIM)
            ),
        )
    if others > len(view.siblings):
        table.add_row("", Text(f"… {others - len(view.siblings)} more", DIM), "", "", "", "")
    if view.resolution is None:
        return table
    chosen = view.resolution
    note = Text.assemble(
        (f"A lead chose item #{chosen.chosen_item_id} ", WARN),
        plain(f"({chosen.resolved_by}, {utc(chosen.resolved_at)}): {chosen.reason}", bidi, DIM),
    )
    return Group(table, note)


def history_table(view: ItemView, bidi: bool) -> RenderableType:
    if not view.events:
        return Text("History: no decision yet.", DIM)
    table = Table(
        title=Text(f"History — {len(view.events)} event{'s' * (len(view.events) != 1)}"),
        title_justify="left",
        expand=True,
        show_edge=False,
    )
    for header in ("when (UTC)", "who", "action", "status"):
        table.add_column(header, no_wrap=True)
    table.add_column("note / reason", overflow="fold", ratio=1)
    for event in view.events:
        change = Text()
        if event.old_status and event.new_status and event.old_status != event.new_status:
            change.append_text(status_text(event.old_status))
            change.append(" → ")
            change.append_text(status_text(event.new_status))
        words = Text()
        for label, value in (("note", event.note), ("reason", event.reason)):
            if value:
                if words:
                    words.append(" · ")
                words.append(f"{label}: ", DIM)
                words.append_text(plain(value, bidi))
        if event.detail:
            if words:
                words.append(" · ")
            words.append_text(plain(event.detail, bidi, DIM))
        table.add_row(
            Text(event.created_at.strftime("%Y-%m-%d %H:%M:%S")),
            plain(event.actor, bidi),
            Text(event.action),
            change,
            words,
        )
    return table


@dataclass(frozen=True)
class ShownItem:
    """An item view laid out for the panel, at a width and bidi setting."""

    view: ItemView
    text: Text
    width: int
    bidi: bool


def item_sections(view: ItemView, width: int, bidi: bool) -> list[RenderableType]:
    """The item view, top to bottom: what is needed to decide first, history last."""
    snippet, _ = snippet_text(view, max(width - 2, 8), bidi)
    sections: list[RenderableType] = [
        title_line(view, bidi),
        facts_table(view, bidi, width),
        Text(""),
        Text("Snippet", style="bold"),
        snippet,
    ]
    # Searched unwrapped, so a value broken across two lines still counts as found.
    if view.snippet and not snippet_text(view, 100_000, bidi)[1]:
        sections.append(Text("The value as written does not appear in the snippet.", WARN))
    for table in (
        candidates_table(view, bidi),
        siblings_table(view, bidi),
        history_table(view, bidi),
    ):
        sections += [Text(""), table]
    return sections


def laid_out(renderables: list[RenderableType], width: int) -> Text:
    """Renderables laid out at ``width`` as one Text: styles kept, nothing parsed as markup.

    Laying out Rich tables is the costly part of showing an item; done once here (in a
    worker thread, by the review UI), the panel only has to draw lines of text.
    """
    console = Console(width=width, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor")  # fmt: skip
    options = console.options.update_width(width)
    text = Text(no_wrap=True, overflow="crop", end="")
    for renderable in renderables:
        for line in console.render_lines(renderable, options, pad=False, new_lines=False):
            if text:
                text.append("\n")
            for segment in line:
                if not segment.control:
                    text.append(segment.text, segment.style)
    return text


def shown_item(view: ItemView, width: int, bidi: bool) -> ShownItem:
    return ShownItem(view, laid_out(item_sections(view, width, bidi), width), width, bidi)
