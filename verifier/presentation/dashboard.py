"""The progress dashboard as Rich renderables: stacked status bars and count tables.
No Textual import here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from verifier.core.review.progress import Counts, Dashboard
from verifier.core.review.sprints import SprintLine
from verifier.core.wording import percent
from verifier.presentation.display import BidiText, shown

BAR_WIDTH = 20
MIN_BAR_WIDTH = 8
SEGMENTS = [("verified", "green"), ("rejected", "red"), ("flagged", "yellow")]


def stacked_bar(counts: Counts, width: int = BAR_WIDTH) -> Text:
    """Verified, rejected and flagged shares as coloured blocks; the rest is still open."""
    bar = Text()
    if counts.total == 0:
        return Text("·" * width, style="dim")
    used = 0
    for status, style in SEGMENTS:
        cells = round(width * counts.by_status.get(status, 0) / counts.total)
        cells = min(cells, width - used)
        bar.append("█" * cells, style=style)
        used += cells
    bar.append("░" * (width - used), style="dim")
    return bar


def share_bar(done: int, total: int, width: int = BAR_WIDTH) -> Text:
    cells = round(width * done / total) if total else 0
    return Text.assemble(("█" * cells, "green"), ("░" * (width - cells), "dim"))


class _FittedBar:
    """A stacked bar as wide as its column can be (``BAR_WIDTH`` at most): on a narrow
    terminal the bar and the names give way, never the counts."""

    def __init__(self, counts: Counts) -> None:
        self.counts = counts

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(MIN_BAR_WIDTH, BAR_WIDTH).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        yield stacked_bar(self.counts, max(1, min(BAR_WIDTH, options.max_width)))


def _counts_table(title: str, rows: list[tuple[Text, Counts]], bidi: bool) -> Table:
    """``rows``: a name in logical order (laid out here, cut at its logical end) and counts.
    The name and the bar may shrink (Rich narrows wrappable columns first); the numbers
    never wrap."""
    table = Table(title=Text(title, style="bold"), title_justify="left", show_edge=False)
    table.add_column(Text(""), overflow="ellipsis", max_width=34)
    table.add_column(Text("progress"))
    for header in ("decided", "verified", "rejected", "flagged", "unverified", "total"):
        table.add_column(Text(header), justify="right", no_wrap=True)
    for name, counts in rows:
        table.add_row(
            BidiText(name, bidi=bidi, no_wrap=True, justify_rtl=False),
            _FittedBar(counts),
            Text(f"{counts.decided:,} · {percent(counts.share)}"),
            Text(f"{counts.by_status.get('verified', 0):,}"),
            Text(f"{counts.by_status.get('rejected', 0):,}"),
            Text(f"{counts.by_status.get('flagged', 0):,}"),
            Text(f"{counts.by_status.get('unverified', 0):,}"),
            Text(f"{counts.total:,}"),
        )
    return table


def overall(board: Dashboard) -> RenderableType:
    counts = board.overall
    line = Text.assemble(("All items  ", "bold"), stacked_bar(counts, 40), "  ")
    line.append(counts.line(), "bold green")
    line.append(
        "   " + " · ".join(f"{status} {n:,}" for status, n in counts.by_status.items()), "dim"
    )
    return line


def sprint(line: SprintLine | None, now: datetime, bidi: bool) -> RenderableType:
    if line is None:
        return Text("Sprint: none yet (a lead creates one with `verifier sprint create`).", "dim")
    state = line.state(now)
    head = Text.assemble(("Sprint ", "bold"), (shown(line.name, bidi=bidi), "bold"))
    when = f"  {line.starts_at:%Y-%m-%d %H:%M} → {line.ends_at:%Y-%m-%d %H:%M} UTC · {state}"
    head.append(when, "dim")
    if state == "active":
        left = line.ends_at - now
        head.append(f" · {left.days}d {left.seconds // 3600}h left", "yellow")
    table = Table(show_edge=False, show_header=True)
    table.add_column(Text("reviewer"))
    table.add_column(Text("progress"), no_wrap=True)
    table.add_column(Text("decided"), justify="right")
    table.add_column(Text("assigned"), justify="right")
    for reviewer, (assigned, decided) in line.reviewers.items():
        table.add_row(
            Text(shown(reviewer, bidi=bidi)),
            share_bar(decided, assigned),
            Text(f"{decided:,}"),
            Text(f"{assigned:,}"),
        )
    table.add_row(
        Text("all", style="bold"),
        share_bar(line.decided, line.assigned),
        Text(f"{line.decided:,}"),
        Text(f"{line.assigned:,}"),
    )
    return Group(head, table)


def today(board: Dashboard, bidi: bool) -> RenderableType:
    title = Text.assemble(
        ("Today", "bold"), (f"  since {board.day_start:%Y-%m-%d %H:%M %Z}".rstrip(), "dim")
    )
    if not board.today:
        return Group(title, Text("No decision yet today.", "dim"))
    table = Table(show_edge=False)
    for header in ("reviewer", "decisions", "city matches", "notes"):
        table.add_column(Text(header), justify="left" if header == "reviewer" else "right")
    for line in board.today:
        table.add_row(
            Text(shown(line.reviewer, bidi=bidi)),
            Text(f"{line.decisions:,}"),
            Text(f"{line.matches:,}"),
            Text(f"{line.notes:,}"),
        )
    return Group(title, table)


def publication(board: Dashboard) -> RenderableType:
    """Reads only what the publishing module reports; nothing here is made up."""
    title = Text("Publication", style="bold")
    if board.publication is None:
        return Group(title, Text(board.publication_error or "not available", "yellow"))
    summary: Any = board.publication
    latest = getattr(summary, "latest", None)
    conflicts = getattr(summary, "open_conflicts", None)
    lines = [title]
    if latest is None:
        lines.append(Text("No publication yet.", "dim"))
    else:
        created = getattr(latest, "created_at", None)
        when = f"{created:%Y-%m-%d %H:%M} UTC" if isinstance(created, datetime) else str(created)
        coverage = getattr(latest, "coverage", None)
        covered = percent(coverage) if isinstance(coverage, int | float) else str(coverage)
        lines.append(
            Text(
                f"Latest: #{getattr(latest, 'number', '?')} of {when} · "
                f"{getattr(latest, 'value_count', '?')} values · coverage {covered}"
            )
        )
    if conflicts is not None:
        style = "bold yellow" if conflicts else "green"
        lines.append(Text(f"Open conflicts: {conflicts}", style=style))
    return Group(*lines)


def by_indicator(board: Dashboard, bidi: bool) -> Table:
    rows = [
        (Text.assemble((code, "bold"), " ", name), counts)
        for code, name, counts in board.by_indicator
    ]
    return _counts_table("By indicator", rows, bidi)


def by_city(board: Dashboard, bidi: bool) -> Table:
    rows = [(Text(name), counts) for name, counts in board.by_city]
    return _counts_table("By city", rows, bidi)


def by_reviewer(board: Dashboard, bidi: bool) -> RenderableType:
    if not board.by_reviewer:
        return Text("By reviewer: nobody has decided anything yet.", "dim")
    rows = [(Text(name), counts) for name, counts in board.by_reviewer]
    return _counts_table("By reviewer (who set the current status)", rows, bidi)
