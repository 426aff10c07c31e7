"""Reading what the review app shows, as plain text, for assertions."""

from __future__ import annotations

import html
import io
import re
from collections import defaultdict

from rich.console import Console
from textual.app import App
from textual.widgets import DataTable

from verifier.tui.widgets.item_panel import ItemPanel


def rendered(renderable: object, width: int = 200) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def panel_text(app: App[None]) -> str:
    """The item panel, as text."""
    return app.screen.query_one(ItemPanel).text.plain


def table_text(table: DataTable[object]) -> list[str]:
    """Each row of a DataTable as its cells' plain text joined by " | "."""
    lines = []
    for key in table.rows:
        cells = table.get_row(key)
        lines.append(" | ".join(getattr(c, "plain", str(c)) for c in cells))
    return lines


def screen_text(app: App[None]) -> str:
    """The whole screen as text lines (from the SVG screenshot)."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = defaultdict(list)
    for match in re.finditer(r'<text[^>]* x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        x, y, text = float(match.group(1)), float(match.group(2)), match.group(3)
        rows[y].append((x, html.unescape(text).replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(rows[y])) for y in sorted(rows))
