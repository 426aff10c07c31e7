"""The queue as a table: one page of rows at a time, asking for the next page at its edges.

Columns share the terminal's width: each has a minimum, and the text columns take the rest
in proportion (up to a maximum), so a wider terminal shows more of every label. Cells are
cut by ``display.layout`` at their logical end, so an Arabic name keeps its beginning and a
value keeps its number.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.events import Resize
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable

from verifier.core.review.queue import QueueRow
from verifier.presentation.display import layout_text
from verifier.presentation.evidence_marks import evidence_cell
from verifier.presentation.itemrender import status_text


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    least: int  # cells, always
    share: int  # of the width left over once every column has its least
    most: int


COLUMNS: list[Column] = [
    Column("id", "#", 5, 0, 5),
    Column("status", "status", 12, 0, 12),
    Column("city", "city", 13, 3, 32),
    Column("indicator", "indicator", 10, 1, 16),
    Column("value", "value", 10, 2, 24),
    Column("year", "year", 4, 0, 4),
    Column("evidence", "evidence", 9, 0, 9),  # the evidence check: ≠ value, ✓ match...
    Column("source", "source", 10, 6, 90),
    Column("reviewer", "reviewer", 8, 1, 18),
]
PADDING = 1  # DataTable's cell padding, each side


def column_widths(total: int) -> dict[str, int]:
    """Each column's width for a table ``total`` cells wide."""
    widths = {c.key: c.least for c in COLUMNS}
    spare = total - sum(widths.values()) - 2 * PADDING * len(COLUMNS)
    growing = [c for c in COLUMNS if c.share]
    while spare > 0 and growing:
        shares = sum(c.share for c in growing)
        given = 0
        for column in growing:
            extra = min(max(1, spare * column.share // shares), column.most - widths[column.key],
                        spare - given)  # fmt: skip
            widths[column.key] += extra
            given += extra
        spare -= given
        growing = [c for c in growing if widths[c.key] < c.most]
        if given == 0:
            break
    return widths


# A blind second review shows the reviewer's own decision, never the first one.
QA_PENDING = Text("◌ QA", style="bold cyan")
NOT_SHOWN = object()


def qa_cell(second: str | None) -> Text:
    """``◌ QA`` before the second decision, then its mark: ``✓ QA``, ``✗ QA``, ``⚑ QA``."""
    if second is None:
        return QA_PENDING.copy()
    mark = status_text(second)
    return Text(f"{mark.plain.split()[0]} QA", style=mark.style)


def row_cells(
    row: QueueRow, bidi: bool, widths: dict[str, int] | None = None, second: object = NOT_SHOWN
) -> list[Text]:
    """The cells of one row, all plain Text laid out to their column's width. ``second``:
    for an item drawn for this reviewer's blind review, their own second decision (None
    before they decide); its status and who decided it are then not shown."""
    blind = second is not NOT_SHOWN
    widths = widths or {c.key: c.most for c in COLUMNS}

    def cut(text: str, key: str, style: str = "", keep_number: bool = False) -> Text:
        return layout_text(text, bidi=bidi, width=widths[key], style=style,
                           keep_number=keep_number)  # fmt: skip

    room = widths["city"]
    if row.city_id:
        country = f" {row.city_country}" if row.city_country else ""
        city = layout_text(row.city_shown, bidi=bidi, width=max(4, room - len(country)))
        city.append(country, "dim")
    else:  # no city yet: the raw label, marked, with the mark outside the laid-out text
        city = Text("? ", "bold yellow")
        city.append_text(layout_text(row.raw_label, bidi=bidi, width=room - 2,
                                     style="italic yellow"))  # fmt: skip
    return [
        Text(str(row.id), style="dim"),
        qa_cell(second) if blind else status_text(row.status),  # type: ignore[arg-type]
        city,
        cut(row.indicator_code, "indicator"),
        cut(row.value_text, "value", keep_number=True),
        Text(str(row.year)),
        evidence_cell(row.evidence_status, row.evidence_stale),
        cut(row.source_title, "source"),
        Text("") if blind else cut(row.status_changed_by or "", "reviewer"),
    ]


class QueueTable(DataTable[Text]):
    """Rows are keyed by item id. Moving past the first or last row posts ``EdgeReached``
    so the screen can load the neighbouring page."""

    @dataclass
    class EdgeReached(Message):
        direction: int  # +1: past the last row, -1: before the first

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cell_padding=PADDING)
        self.widths = column_widths(100)
        self._rows: list[QueueRow] = []
        self._bidi = True
        # Item id -> own second decision, for the items drawn for this reviewer's blind review.
        self.blind: dict[int, str | None] = {}
        # Focus state -> the styles the rows were rendered with in it (notify_style_update).
        self._styles_seen: dict[frozenset[str], tuple[object, ...]] = {}

    def _cells(self, row: QueueRow, bidi: bool) -> list[Text]:
        if row.id in self.blind:
            return row_cells(row, bidi, self.widths, self.blind[row.id])
        return row_cells(row, bidi, self.widths)

    def notify_style_update(self) -> None:
        """Keep the rendered rows when only the focus moved and back (the document pane
        takes the focus and gives it back): DataTable forgets every rendered cell on any
        style update, though its caches are keyed by the focus state already, so the rows
        of the other state are still right. They are forgotten only when the styles of a
        state change (a theme)."""
        state = frozenset(self.get_pseudo_classes())
        try:
            styles = (
                self.rich_style,
                *(self.get_component_rich_style(name) for name in sorted(self.COMPONENT_CLASSES)),
            )
        except KeyError:  # not styled yet (mounting): nothing rendered to keep
            super().notify_style_update()
            return
        if self._styles_seen.get(state) == styles:
            Widget.notify_style_update(self)
            self.refresh()
            return
        self._styles_seen[state] = styles
        super().notify_style_update()

    def on_mount(self) -> None:
        for column in COLUMNS:
            self.add_column(column.header, key=column.key, width=self.widths[column.key])

    def on_resize(self, event: Resize) -> None:
        # The vertical scrollbar's own width, not a guess: a table one cell wider than the
        # room beside it scrolls sideways.
        room = event.size.width - self.styles.scrollbar_size_vertical
        widths = column_widths(max(room, 40))
        if widths == self.widths:
            return
        self.widths = widths
        for column in COLUMNS:
            self.columns[column.key].width = widths[column.key]  # type: ignore[index]
        if self._rows:
            self.show_rows(self._rows, self._bidi, self.cursor_row)
        else:
            self.refresh()

    def show_rows(self, rows: list[QueueRow], bidi: bool, cursor: int) -> None:
        self._rows, self._bidi = list(rows), bidi
        self.clear()
        for row in rows:
            self.add_row(*self._cells(row, bidi), key=str(row.id))
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1), animate=False)

    def update_row(self, row: QueueRow, bidi: bool) -> None:
        key = str(row.id)
        self._bidi = bidi
        self._rows = [row if r.id == row.id else r for r in self._rows]
        if key not in self.rows:
            return
        for column, value in zip(COLUMNS, self._cells(row, bidi), strict=True):
            self.update_cell(key, column.key, value)

    def select_item(self, item_id: int) -> bool:
        key = str(item_id)
        if key not in self.rows:
            return False
        self.move_cursor(row=self.get_row_index(key), animate=False)
        return True

    def current_item_id(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def action_cursor_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.EdgeReached(+1))
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.row_count and self.cursor_row <= 0:
            self.post_message(self.EdgeReached(-1))
            return
        super().action_cursor_up()
