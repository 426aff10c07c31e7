"""The document pane's text: a page with the quote and the value highlighted, or a sheet's
cells as a grid with the located cell highlighted. Laid out through ``display`` (Arabic
shaped and ordered per the bidi setting); styles are spans on ``Text``, never markup, so
a document's text is always shown literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from verifier.core.evidence.listing import EvidenceResult
from verifier.core.evidence.locators import column_letters
from verifier.core.evidence.passage import Passage, Span
from verifier.core.evidence.reading import PageText
from verifier.presentation import bidilayout as bl
from verifier.presentation.display import BidiText, layout, layout_lines, preferences, styled
from verifier.presentation.evidence_marks import evidence_cell

QUOTE_STYLE = "bold black on yellow"
NUMBER_STYLE = "bold white on red"
CELL_STYLE = "bold black on yellow"
VALUE_CELL_STYLE = "bold white on red"


@dataclass(frozen=True)
class ShownPage:
    title: Text  # the document, the page, and where the quote is
    body: RenderableType  # the page's text, or the sheet's grid
    focus_line: int  # the body's line to scroll to (the quote's first line)
    width: int = 0  # the width it was laid out to


def shown_passage(
    passage: Passage, width: int, *, bidi: bool, evidence: EvidenceResult | None = None
) -> ShownPage:
    """The pane's title and body for ``passage``, laid out ``width`` cells wide; the title
    names the evidence check's result for the item when given."""
    title = _title(passage, width, bidi, evidence)
    if passage.region is not None:
        return ShownPage(title, _grid(passage, bidi), _grid_focus_line(passage), width)
    body, focus = _page_body(passage, width, bidi)
    return ShownPage(title, body, focus, width)


def _title(passage: Passage, width: int, bidi: bool, evidence: EvidenceResult | None) -> Text:
    page = passage.page
    label = page.label if page else "no pages"
    name = passage.original_name or passage.sha256[:12]
    first = Text.assemble(
        ("Source ", "dim"),
        layout(passage.source_key, bidi=bidi, width=max(8, width // 3)).text,
        ("  ·  ", "dim"),
        layout(name, bidi=bidi, width=max(8, width // 3)).text,
        ("  ·  ", "dim"),
        (layout(label, bidi=bidi).text, "bold"),
    )
    if evidence is not None:
        first.append("  ·  ", "dim")
        first.append_text(evidence_cell(evidence.status, evidence.stale))
    first.no_wrap, first.overflow = True, "ellipsis"
    moves = []
    if passage.has_previous:
        moves.append("[ previous")
    if passage.has_next:
        moves.append("] next")
    moves.append("Esc close")
    second = Text.assemble(
        (layout(passage.note, bidi=bidi).text, "italic"),
        ("  ", ""),
        (" · ".join(moves), "dim"),
    )
    return Text("\n").join([first, second])


def _page_body(passage: Passage, width: int, bidi: bool) -> tuple[Text, int]:
    page = passage.page
    if page is None or not page.text.strip():
        what = page.kind if page else "document"
        return Text(f"(this {what} has no text)", style="dim italic"), 0
    return _laid_out_page(page, passage.quote, passage.numbers, width, bidi, preferences())


@lru_cache(maxsize=128)
def _laid_out_page(
    page: PageText,
    quote: Span | None,
    numbers: tuple[Span, ...],
    width: int,
    bidi: bool,
    _preferences: tuple[bool, ...],
) -> tuple[Text, int]:
    """A page laid out with its highlights, kept per (page, highlights, width, bidi and
    display preferences): the pane opened again on an item, or paged back to, is not laid
    out again. (The ``Text`` is shared: callers only show it.)"""
    source = Text(page.text)
    if quote is not None:
        source.stylize(QUOTE_STYLE, *quote)
    for start, end in numbers:
        source.stylize(NUMBER_STYLE, start, end)
    lines = layout_lines(page.text, max(width, 8), bidi=bidi)
    block = max((bl.width_of(line.text) for line in lines), default=0)
    anchor = quote[0] if quote else (numbers[0][0] if numbers else None)
    result = Text(end="", no_wrap=True, overflow="crop")
    focus = 0
    found = anchor is None
    for index, line in enumerate(lines):
        if index:
            result.append("\n")
        if not found and anchor is not None and anchor in line.sources:
            focus, found = index, True
        if line.rtl and bidi:
            result.append(" " * (block - bl.width_of(line.text)))
        result.append_text(styled(source, line))
    return result, focus


def _grid(passage: Passage, bidi: bool) -> Table:
    region = passage.region
    assert region is not None
    focus = region.focus
    marked = set(passage.value_cells)
    table = Table(show_lines=False, pad_edge=False, box=None, header_style="bold dim",
                  title_justify="left")  # fmt: skip
    table.add_column("", justify="right", style="dim", no_wrap=True)
    for column in range(region.left, region.right + 1):
        table.add_column(column_letters(column), no_wrap=True, max_width=24)
    for r, row in enumerate(region.grid):
        number = region.top + r
        cells: list[RenderableType] = [str(number)]
        for c, value in enumerate(row):
            column = region.left + c
            style = ""
            if focus is not None and (focus.row, focus.column) == (number, column):
                style = CELL_STYLE
            elif (number, column) in marked:
                style = VALUE_CELL_STYLE
            cells.append(BidiText(value, bidi=bidi, style=style, no_wrap=True, keep_number=True))
        table.add_row(*cells)
    if focus is not None:
        table.caption = f"cell {focus.label} highlighted"
    elif marked:
        table.caption = "cells holding the item's value highlighted"
    return table


def _grid_focus_line(passage: Passage) -> int:
    region = passage.region
    if region is None or region.focus is None:
        return 0
    return max(0, region.focus.row - region.top)
