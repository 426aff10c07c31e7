"""The sprint dashboard as Rich renderables, for ``verifier sprint show`` and the review UI's
sprint screen: the burn-down, throughput per reviewer per day, the sprint's QA figures and
the items each reviewer still has. No Textual import here."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.text import Text

from verifier.core.qa.figures import Figures
from verifier.core.review.sprint_steering import SprintOverview
from verifier.core.wording import agree, count, percent, percent_interval
from verifier.presentation.burndown import terminal_chart
from verifier.presentation.display import cell, shown
from verifier.presentation.table_fit import Cell, fitted_table

IDS_SHOWN = 12


def header(overview: SprintOverview, now: datetime, bidi: bool) -> Text:
    line = overview.sprint
    head = Text.assemble(("Sprint ", "bold"), (shown(line.name, bidi=bidi), "bold"))
    starts, ends = line.starts_at.astimezone(), line.ends_at.astimezone()
    head.append(
        f"  {starts:%Y-%m-%d %H:%M} → {ends:%Y-%m-%d %H:%M} · {line.state(now)}", style="dim"
    )
    head.append(
        f"\n{line.decided:,} of {count(line.assigned, 'item')} decided · "
        f"{overview.remaining:,} left"
        f" · {overview.at_start:,} left at the start"
    )
    today = next((d for d in overview.days if d.day == overview.today), None)
    if today is not None and today.remaining is not None:
        gap = today.remaining - today.planned
        style = "green" if gap <= 0 else "yellow"
        words = "on plan" if gap <= 0 else f"{gap:,.0f} behind plan"
        head.append(f" · today {today.remaining:,} left against {today.planned:,.0f} planned: ")
        head.append(words, style=style)
    return head


def burndown(overview: SprintOverview, width: int = 72) -> RenderableType:
    return Group(
        Text("Burn-down (items left at the end of each day)", style="bold"),
        terminal_chart(overview.days, overview.at_start, width=width),
    )


def throughput(overview: SprintOverview, bidi: bool, max_days: int = 14) -> RenderableType:
    title = Text("Throughput: decisions per reviewer per day", style="bold")
    days = [d.day for d in overview.days if d.day <= overview.today][-max_days:]
    if not overview.throughput:
        return Group(title, Text("No decision on the sprint's items yet.", style="dim"))
    headers = ["reviewer", *(f"{day:%m-%d}" for day in days), "total"]
    rows: list[list[Cell]] = [
        [cell(reviewer, bidi=bidi),
         *(Text(str(by_day.get(day, 0)) if by_day.get(day) else "·") for day in days),
         Text(f"{sum(by_day.values()):,}")]
        for reviewer, by_day in overview.throughput.items()
    ]  # fmt: skip
    # A day's cell is a count or a dot: short, right-aligned, and never narrowed either.
    numeric = [False, *[True] * (len(headers) - 1)]
    return Group(title, fitted_table(None, headers, rows, numeric, keep=("reviewer",)))


def qa_figures(figures: Figures, bidi: bool) -> RenderableType:
    title = Text("QA: blind second reviews of the sprint's items", style="bold")
    if figures.size == 0:
        return Group(title, Text("No item of this sprint is in a QA sample yet.", style="dim"))
    kappa = "undefined" if figures.kappa is None else f"{figures.kappa:.3f}"
    lines = Text(
        f"{figures.reviewed} of {figures.size} drawn {agree(figures.size, 'item')} reviewed · "
        f"agreement "
        f"{percent(figures.agreement)} · kappa {kappa}\n"
        f"error rate {percent(figures.error_rate)} ({figures.errors} of "
        f"{figures.verified_reviewed} verified {agree(figures.verified_reviewed, 'item')}), "
        f"95% interval {percent_interval(figures.error_ci.low, figures.error_ci.high)}"
    )
    if figures.disagreements:
        ids = ", ".join(map(str, figures.disagreements[:IDS_SHOWN]))
        more = " …" if len(figures.disagreements) > IDS_SHOWN else ""
        lines.append(f"\n{len(figures.disagreements)} awaiting adjudication: {ids}{more}", "yellow")
    return Group(title, lines)


def loads(overview: SprintOverview, bidi: bool) -> RenderableType:
    title = Text("What each reviewer still has", style="bold")
    rows: list[list[Cell]] = []
    for load in overview.loads:
        ids = ", ".join(map(str, load.remaining[:IDS_SHOWN]))
        if load.left > IDS_SHOWN:
            ids += f" … ({load.left - IDS_SHOWN} more)"
        rows.append([
            cell(load.reviewer, bidi=bidi),
            Text(f"{load.assigned:,}"),
            Text(f"{load.decided:,}"),
            Text(f"{load.left:,}", style="bold" if load.left else "green"),
            Text(f"{load.flagged:,}", style="yellow" if load.flagged else ""),
            Text(ids or "—", style="dim"),
        ])  # fmt: skip
    headers = ["reviewer", "assigned", "decided", "left", "flagged", "items left"]
    table = fitted_table(None, headers, rows, [False, True, True, True, True, False],
                         keep=("reviewer",))  # fmt: skip
    return Group(title, table)


def board(
    overview: SprintOverview, figures: Figures, now: datetime, bidi: bool, width: int = 100
) -> list[RenderableType]:
    """The whole dashboard, top to bottom."""
    return [
        header(overview, now, bidi),
        burndown(overview, width=min(width, 100)),
        throughput(overview, bidi),
        qa_figures(figures, bidi),
        loads(overview, bidi),
    ]
