"""The queue as a table: one page of rows at a time, asking for the next page at its edges."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from verifier.core.review.queue import QueueRow
from verifier.presentation.display import shown
from verifier.presentation.itemrender import status_text

COLUMNS: list[tuple[str, str, int]] = [
    # key, header, width
    ("id", "#", 6),
    ("status", "status", 12),
    ("city", "city", 22),
    ("indicator", "indicator", 15),
    ("value", "value", 14),
    ("year", "year", 4),
    ("source", "source", 34),
    ("reviewer", "reviewer", 12),
]


def row_cells(row: QueueRow, bidi: bool) -> list[Text]:
    """The cells of one row, all plain Text: imported strings are never markup."""

    def cut(text: str, style: str = "") -> Text:
        return Text(shown(text, bidi=bidi), style=style, no_wrap=True, overflow="ellipsis")

    if row.city_id:
        city = cut(row.city_shown)
    else:  # no city yet: the raw label, marked, with the mark outside the reordered text
        city = Text.assemble(("? ", "bold yellow"), cut(row.raw_label, "italic yellow"))
        city.no_wrap, city.overflow = True, "ellipsis"
    return [
        Text(str(row.id), style="dim"),
        status_text(row.status),
        city,
        cut(row.indicator_code),
        cut(row.value_text),
        Text(str(row.year)),
        cut(row.source_title),
        cut(row.status_changed_by or ""),
    ]


class QueueTable(DataTable[Text]):
    """Rows are keyed by item id. Moving past the first or last row posts ``EdgeReached``
    so the screen can load the neighbouring page."""

    @dataclass
    class EdgeReached(Message):
        direction: int  # +1: past the last row, -1: before the first

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for key, header, width in COLUMNS:
            self.add_column(header, key=key, width=width)

    def show_rows(self, rows: list[QueueRow], bidi: bool, cursor: int) -> None:
        self.clear()
        for row in rows:
            self.add_row(*row_cells(row, bidi), key=str(row.id))
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1), animate=False)

    def update_row(self, row: QueueRow, bidi: bool) -> None:
        key = str(row.id)
        if key not in self.rows:
            return
        for (column, _, _), value in zip(COLUMNS, row_cells(row, bidi), strict=True):
            self.update_cell(key, column, value)

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
