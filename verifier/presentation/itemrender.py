"""The item view as Rich renderables: the review UI's item panel and ``verifier item show``.

Every string that came from an import or a person is laid out by ``display`` (controls and
invisible marks removed, Arabic shaped and reordered when bidi is on, cut or wrapped in
logical order) into a ``rich.text.Text``: never parsed as markup. No Textual import here.

Two layouts: wide (two columns: the item and its snippet on the left, the city candidates
and the other values for the same city, indicator and year on the right), and narrow, where
the item panel shows one pane at a time: ``item`` (value, snippet, facts) or ``compare``
(candidates, values, history).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.core.review.itemview import ItemView
from verifier.presentation.bidiwrap import find_spans, value_needles
from verifier.presentation.display import layout_block, layout_text
from verifier.presentation.evidence_marks import evidence_line
from verifier.presentation.itemtables import (  # re-exported: the item view's parts
    BAD,
    DIM,
    STATUS_MARKS,
    STATUS_STYLES,
    WARN,
    candidates_table,
    history_table,
    number,
    plain,
    siblings_table,
    status_text,
    utc,
)

__all__ = [
    "STATUS_MARKS",
    "STATUS_STYLES",
    "ShownItem",
    "candidates_table",
    "facts_table",
    "full_sections",
    "history_table",
    "item_sections",
    "laid_out",
    "shown_item",
    "siblings_table",
    "snippet_text",
    "status_text",
    "title_line",
]


HIGHLIGHT = "bold black on yellow"
LABEL_COLUMN = 13  # the facts' label column ("Indicator") and the gap after it
WIDE = 140  # from this width on, the item and its comparisons side by side
TOP_CANDIDATES = 3
Pane = Literal["item", "compare"]


def title_line(view: ItemView, bidi: bool) -> Text:
    line = Text.assemble(("Item ", "bold"), (f"#{view.id}", "bold"), "  ")
    line.append_text(status_text(view.status))
    if view.status_changed_by:
        line.append(" by ")
        line.append_text(plain(view.status_changed_by, bidi))
        line.append(f" {utc(view.status_changed_at)}", style=DIM)
    line.append(f"   batch {view.batch_id} row {view.row_number}", DIM)
    return line


def facts_table(view: ItemView, bidi: bool, width: int = 100, snippet: bool = False) -> Table:
    """Value, label, city, indicator, source and the rest, one fact per line (the snippet
    too, right under the value, when ``snippet``). ``width``: the space available."""
    room = max(20, width - LABEL_COLUMN)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("Value", _value(view, bidi, room))
    grid.add_row("Evidence", evidence_line(view.evidence, view.value_number, bidi, room))
    if snippet:
        text, found = snippet_text(view, room, bidi)
        grid.add_row("Snippet", text)
        if view.snippet and not found:
            grid.add_row("", Text("The value as written does not appear in the snippet.", WARN))
    grid.add_row("Label", _label(view, bidi, room))
    grid.add_row("City", _city(view, bidi, room))
    grid.add_row("Indicator", _indicator(view, bidi, room))
    grid.add_row("Source", _source(view, bidi, room))
    grid.add_row("File", _file(view, bidi, room))
    grid.add_row("Locator", _fitted(view.locator, room, bidi) if view.locator else Text("—", DIM))
    extracted = Text(view.extractor or "unknown")
    extracted.append(f" {utc(view.extracted_at)} · {view.batch_file}", DIM)
    grid.add_row("Extracted", _fitted(extracted, room, bidi, base="ltr"))
    return grid


def _fitted(text: str | Text, room: int, bidi: bool, style: str = "", base: str = "auto") -> Text:
    return layout_block(text, room, bidi=bidi, style=style, base=base)  # type: ignore[arg-type]


def _label(view: ItemView, bidi: bool, room: int) -> Text:
    label = layout_text(view.raw_label, bidi=bidi, style="bold", width=room)
    label.append(f"   script {view.label_script or '?'}", DIM)
    if view.country_hint:
        label.append(f" · country hint {view.country_hint}", DIM)
    return label


def _city(view: ItemView, bidi: bool, room: int) -> Text:
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
    line.append_text(layout_text(view.indicator_name_en, bidi=bidi, width=room - 12))
    if view.indicator_name_ar:
        line.append("\n")
        line.append_text(_fitted(view.indicator_name_ar, room, bidi))
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


def _value(view: ItemView, bidi: bool, room: int) -> Text:
    written = layout_text(
        view.value_text or "(empty)", bidi=bidi, style="bold", width=max(12, room // 2),
        keep_number=True,
    )  # fmt: skip
    line = Text.assemble(("as written ", DIM), written)
    if view.unit_written:
        line.append(" unit ", DIM)
        line.append_text(layout_text(view.unit_written, bidi=bidi, width=16))
    line.append("  → parsed ", DIM)
    line.append(number(view.value_number), "bold")
    line.append("  → ", DIM)
    line.append(f"{number(view.value_normalized)} {view.indicator_unit}".rstrip(), "bold")
    line.append(f"   year {view.year}", DIM)
    if view.value_normalized is None:
        line.append("   no value: nothing to publish", WARN)
    elif view.in_range is False:
        line.append(f"   outside the valid range {_range(view)}", BAD)
    return line


def _source(view: ItemView, bidi: bool, room: int) -> Text:
    source = view.source
    line = _fitted(source.title, room, bidi, "bold")
    details = Text()
    for detail in (source.publisher, source.language):
        if detail:  # each field laid out on its own: the line itself reads left to right
            if details:
                details.append(" · ", DIM)
            details.append_text(plain(detail, bidi, DIM))
    details.append(f"  [{source.key}]", DIM)
    line.append("\n")
    line.append_text(details)
    for url in dict.fromkeys(u for u in (view.item_url, source.url) if u):
        line.append("\n")
        line.append_text(layout_text(url, bidi=False, style="underline", width=room))
    return line


def _file(view: ItemView, bidi: bool, room: int) -> Text:
    source = view.source
    if source.file_state == "none":
        return Text("no local copy", DIM)
    line = layout_text(source.file_path, bidi=bidi, width=max(12, room - 36))
    verdicts = {
        "ok": ("  ✓ present, sha256 matches" if source.recorded_sha256 else "  ✓ present", ""),
        "stored": ("  ✓ stored in the workspace", ""),
        "missing": ("  ✗ missing", BAD),
        "changed": ("  ✗ sha256 differs from the recorded one", BAD),
        "unreadable": ("  ✗ cannot be read", BAD),
    }
    words, style = verdicts.get(source.file_state, ("", ""))
    line.append(words, style or "green")
    return line


def snippet_text(view: ItemView, width: int, bidi: bool) -> tuple[Text, bool]:
    """The snippet wrapped to ``width`` with the value highlighted; and whether it was found.

    The value is looked for in the stored (logical) text, so the highlight follows the
    characters wherever the layout puts them."""
    if not view.snippet:
        return Text("(no snippet)", DIM), False
    source = Text(view.snippet)
    needles = value_needles(view.value_text, view.value_number, bidi=False)
    spans = find_spans(view.snippet, needles)
    for start, end in spans:
        source.stylize(HIGHLIGHT, start, end)
    return layout_block(source, width, bidi=bidi), bool(spans)


Extra = tuple[RenderableType, ...]


def item_sections(
    view: ItemView, width: int, bidi: bool, pane: Pane = "item", extra: Extra = ()
) -> list[RenderableType]:
    """The item view, top to bottom. Wide: item and comparisons side by side, history
    under them. Narrow: the pane asked for. ``extra``: sections under the title (a QA
    sample's two decisions, or the notice of a blind second review)."""
    if width >= WIDE:
        left = max(40, (width - 3) // 2)
        right = width - left - 3
        grid = Table.grid(padding=(0, 3), expand=True)
        grid.add_column(width=left)
        grid.add_column(width=right)
        comparisons = Group(
            candidates_table(view, bidi, TOP_CANDIDATES), Text(""), siblings_table(view, bidi)
        )
        grid.add_row(Group(title_line(view, bidi), *extra, facts_table(view, bidi, left, True)),
                     comparisons)  # fmt: skip
        return [grid, Text(""), history_table(view, bidi)]
    if pane == "compare":
        return [
            title_line(view, bidi),
            *extra,
            Text(""),
            candidates_table(view, bidi),
            Text(""),
            siblings_table(view, bidi),
            Text(""),
            history_table(view, bidi),
        ]
    hint = Text("c: city candidates, values for the same city, indicator and year", DIM)
    return [
        title_line(view, bidi),
        *extra,
        facts_table(view, bidi, width, True),
        hint,
        Text(""),
        history_table(view, bidi),
    ]


def full_sections(
    view: ItemView, width: int, bidi: bool, extra: Extra = ()
) -> list[RenderableType]:
    """Everything, in one column (``verifier item show``, ``verifier qa show``)."""
    return [
        title_line(view, bidi),
        *extra,
        facts_table(view, bidi, width, True),
        Text(""),
        candidates_table(view, bidi),
        Text(""),
        siblings_table(view, bidi),
        Text(""),
        history_table(view, bidi),
    ]


@dataclass(frozen=True)
class ShownItem:
    """An item view laid out for the panel, at a width, bidi setting and pane."""

    view: ItemView
    text: Text
    width: int
    bidi: bool
    pane: Pane = "item"
    extra: Extra = ()


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


def shown_item(
    view: ItemView, width: int, bidi: bool, pane: Pane = "item", extra: Extra = ()
) -> ShownItem:
    text = laid_out(item_sections(view, width, bidi, pane, extra), width)
    return ShownItem(view, text, width, bidi, pane, extra)
