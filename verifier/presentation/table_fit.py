"""How wide each column of a terminal table is, at the width the table is drawn at.

Short columns (numbers, ids, hashes, statuses, codes, years, dates: every cell at most
``SHORT`` cells wide, or a single word) keep their whole width: they are never wrapped or
cut. Long text (titles, labels, notes, quotes: some cell longer than that, with spaces
in it) takes the room the short columns leave and is cut with an ellipsis on one line,
so that a row stays one line tall. Only when even that does not fit are the short
columns of several words (a date and its time) wrapped between their words, and, last
of all, text is cut: long text and long names first, down to a letter, then the
widest. Numbers are never narrowed.

Columns named ``whole`` (a reason that must be read to the end) share the room as long
text does, but are wrapped rather than cut.

Columns named ``keep`` (identifiers, hashes, keys, file names: what a user copies to compare
or pass on) are never wrapped or cut, however long: every other column gives way first.
Only a table that cannot fit even then cuts them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from verifier.presentation.bidilayout import width_of
from verifier.presentation.display import BidiText, shown

Cell = Text | BidiText  # a cell of ours, or one of untrusted text

SHORT = 20  # cells: a column no wider than this is kept whole
LEAST_TEXT = 8  # cells long text keeps before headings wrap
NARROWEST = 6  # cells long text keeps before short columns wrap, and any text at last
# The last cuts, in order: (cells left, whether short columns too, or only long ones).
CUTS = ((LEAST_TEXT, False), (NARROWEST, False), (2, False), (NARROWEST, True), (1, True))


class Mode(StrEnum):
    KEEP = "keep"  # one line at its whole width
    CUT = "cut"  # one line, cut with an ellipsis at its logical end
    WRAP = "wrap"  # wrapped between words


@dataclass(frozen=True)
class Fit:
    widths: list[int]
    modes: list[Mode]
    natural: bool  # every column at its whole width (nothing to fit)
    short_kept: bool  # no short column had to be wrapped or cut


def fit_columns(
    headers: Sequence[str],
    cells: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    room: int,
    whole: Collection[str] = (),
    keep: Collection[str] = (),
) -> Fit:
    """Widths (content only) of columns whose cells show ``cells[column]``, within ``room``
    cells; see the module's description for who gives way, and in which order."""
    columns = list(zip(headers, cells, strict=True))
    natural = [max([width_of(name), *map(width_of, texts)]) for name, texts in columns]
    kept = [name in keep for name in headers]
    long_text = [
        not number and not intact
        and (name in whole or (size > SHORT and any(" " in t for t in texts)))
        for name, texts, size, number, intact
        in zip(headers, cells, natural, numeric, kept, strict=True)
    ]  # fmt: skip
    modes = [
        Mode.WRAP if name in whole else Mode.CUT if long else Mode.KEEP
        for name, long in zip(headers, long_text, strict=True)
    ]
    widths = list(natural)
    if sum(widths) <= room:
        return Fit(widths, modes, natural=True, short_kept=True)
    # Long text gives way first; then the headings wider than their columns' cells wrap.
    least = [
        min(size, max(LEAST_TEXT, _longest_word([name]))) if long else size
        for name, size, long in zip(headers, natural, long_text, strict=True)
    ]
    _narrow(widths, least, sum(widths) - room)
    if sum(widths) <= room:
        return Fit(widths, modes, natural=False, short_kept=True)
    for index, (name, texts) in enumerate(columns):
        if not long_text[index]:
            least[index] = widths[index] = max(_widest(texts), _longest_word([name]))
    widths = [
        size if long else widths[i]
        for i, (size, long) in enumerate(zip(natural, long_text, strict=True))
    ]
    _narrow(widths, least, sum(widths) - room)
    if sum(widths) <= room:
        return Fit(widths, modes, natural=False, short_kept=True)
    # Long text down to a few cells, so that a row stays one line tall.
    for index, (name, _) in enumerate(columns):
        if long_text[index] and name not in whole:
            least[index] = min(natural[index], max(NARROWEST, _longest_word([name])))
    _narrow(widths, least, sum(widths) - room)
    if sum(widths) <= room:
        return Fit(widths, modes, natural=False, short_kept=True)
    # The short columns must give way: first those of several words, between words.
    for index, texts in enumerate(cells):
        plain_short = not long_text[index] and not numeric[index] and not kept[index]
        if plain_short and any(" " in t for t in texts):
            least[index] = min(least[index], _longest_word([headers[index], *texts]))
    _narrow(widths, least, sum(widths) - room)
    for index, width in enumerate(widths):
        if not long_text[index] and width < _widest(cells[index]):
            modes[index] = Mode.WRAP
    # Last, text is cut: long text and names (a file's) first, down to a letter and its
    # ellipsis, then the widest of the rest; a column to keep whole only if nothing else can.
    before = list(widths)
    for limit, everyone in CUTS:
        least = [
            size if numeric[i] or kept[i] or (not everyone and natural[i] <= SHORT)
            else min(size, limit)
            for i, size in enumerate(widths)
        ]  # fmt: skip
        _narrow(widths, least, sum(widths) - room)
    least = [size if numeric[i] else min(size, NARROWEST) for i, size in enumerate(widths)]
    _narrow(widths, least, sum(widths) - room)
    for index, width in enumerate(widths):
        if width < before[index]:
            modes[index] = Mode.CUT
    return Fit(widths, modes, natural=False, short_kept=False)


def _widest(texts: Sequence[str]) -> int:
    return max(map(width_of, texts), default=0)


def _longest_word(texts: Sequence[str]) -> int:
    return max((width_of(word) for text in texts for word in text.split()), default=0)


def _narrow(widths: list[int], least: Sequence[int], excess: int) -> None:
    """Take ``excess`` cells (or as many as ``least`` allows) from the widest columns
    first: each column narrowed to a common limit, never below its ``least``."""
    if excess <= 0:
        return

    def taken(limit: int) -> int:
        return sum(max(0, w - max(limit, low)) for w, low in zip(widths, least, strict=True))

    low, high = 0, max(widths)  # the highest limit that takes enough
    while low < high:
        middle = (low + high + 1) // 2
        if taken(middle) >= excess:
            low = middle
        else:
            high = middle - 1
    limit = low
    spare = taken(limit) - excess  # cells taken beyond the excess go back, left to right
    for index, width in enumerate(widths):
        narrowed = min(width, max(limit, least[index]))
        if spare > 0 and narrowed < width:
            narrowed += 1
            spare -= 1
        widths[index] = narrowed


class FittedTable(Table):
    """A table of laid-out cells (``BidiText``) whose columns are fitted to the width it is
    drawn at (:func:`fit_columns`). Framed while its short columns keep their whole width
    inside the frame; else drawn without one, two cells between columns, as a long listing
    is (a frame costs three cells a column)."""

    def __init__(
        self,
        title: str | Text | None,
        cells: Sequence[Sequence[str]],
        numeric: Sequence[bool],
        whole: Collection[str] = (),
        keep: Collection[str] = (),
        **options: Any,
    ) -> None:
        heading = None  # a table drawn under a heading of its own
        if title is not None:
            heading = title.copy() if isinstance(title, Text) else Text(title)
            heading.end = "\n"  # a laid-out title ends without one: it would run into the head
        super().__init__(title=heading, title_justify="left", show_lines=False,
                         box=box.HEAVY_HEAD, padding=(0, 1), **options)  # fmt: skip
        self._texts, self._numeric, self._whole, self._keep = cells, numeric, whole, keep

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        self.box, self.pad_edge, self.header_style = box.HEAVY_HEAD, True, "table.header"
        fit = self._fit(options.max_width)
        if not fit.short_kept:
            self.box, self.pad_edge, self.header_style = None, False, "bold"
            fit = self._fit(options.max_width)
        for column, width, mode in zip(self.columns, fit.widths, fit.modes, strict=True):
            column.width = None if fit.natural else width
            for cell in column.cells:
                if isinstance(cell, BidiText):
                    cell.no_wrap = not fit.natural and mode != Mode.WRAP
        yield from super().__rich_console__(console, options)

    def keeps_short_columns(self, width: int) -> bool:
        """Whether, drawn ``width`` cells wide, no short column is wrapped or cut."""
        self.box = box.HEAVY_HEAD
        return self._fit(width).short_kept or self._fit_frameless(width).short_kept

    def _fit_frameless(self, width: int) -> Fit:
        framed = self.box, self.pad_edge
        self.box, self.pad_edge = None, False
        try:
            return self._fit(width)
        finally:
            self.box, self.pad_edge = framed

    def _fit(self, width: int) -> Fit:
        chrome = self._extra_width + sum(map(self._get_padding_width, range(len(self.columns))))
        headers = [getattr(column.header, "plain", str(column.header))
                   for column in self.columns]  # fmt: skip
        return fit_columns(headers, self._texts, self._numeric, width - chrome, self._whole,
                           self._keep)  # fmt: skip


def fitted_table(
    title: str | Text | None,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    numeric: Sequence[bool],
    *,
    right: Collection[str] = (),
    whole: Collection[str] = (),
    keep: Collection[str] = (),
) -> FittedTable:
    """A :class:`FittedTable` of cells already made (``Text`` of ours, ``BidiText`` of
    untrusted text), each column measured by its cells' text. Numbers and the columns named
    in ``right`` are right-aligned."""
    cells = [[_as_laid_out(row[index]) for row in rows] for index in range(len(headers))]
    texts = [[shown(cell.source.plain, bidi=False) for cell in column] for column in cells]
    table = FittedTable(title, texts, numeric, whole, keep)
    for name, number in zip(headers, numeric, strict=True):
        table.add_column(Text(name), justify="right" if number or name in right else "left")
    for index in range(len(rows)):
        table.add_row(*(column[index] for column in cells))
    return table


def _as_laid_out(value: Cell) -> BidiText:
    """A cell the table can cut on one line (a plain ``Text`` would wrap instead)."""
    return value if isinstance(value, BidiText) else BidiText(value, bidi=False)
