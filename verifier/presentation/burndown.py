"""The sprint burn-down drawn two ways: with block characters for a terminal, and as a small
self-contained SVG for the sprint report. Both show, per day, the items left (bars, up to
today) against the plan (a straight line from the items left at the start to none at the
end). Only numbers and dates are drawn: nothing here comes from people."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from verifier.core.review.sprint_steering import BurnDay

AHEAD_STYLE = "green"  # at or below the plan
BEHIND_STYLE = "yellow"
PLAN_STYLE = "bold cyan"


def _top(days: Sequence[BurnDay], at_start: int) -> int:
    seen = [d.remaining for d in days if d.remaining is not None]
    return max([at_start, 1, *seen])


def terminal_chart(
    days: Sequence[BurnDay], at_start: int, width: int = 72, height: int = 8
) -> Text:
    """Rows of blocks: one column group per day, the plan as ``•``; a legend underneath."""
    if not days:
        return Text("(the sprint has no day)", style="dim")
    top = _top(days, at_start)
    column = max(2, min(6, (width - 9) // len(days)))
    chart = Text(no_wrap=True, overflow="crop")
    for row in range(height, 0, -1):
        low, high = top * (row - 1) / height, top * row / height
        label = f"{round(high):>6,} " if row in (height, (height + 1) // 2) else " " * 7
        chart.append(label + "┤" if label.strip() else label + "│", style="dim")
        for day in days:
            cell = [" "] * column
            style = ""
            if day.remaining is not None and day.remaining > low:
                full = day.remaining >= high
                cell[: column - 1] = ["█" if full else "▄"] * (column - 1)
                style = AHEAD_STYLE if day.remaining <= day.planned else BEHIND_STYLE
            text = Text("".join(cell), style=style)
            if low < day.planned <= high or (row == 1 and day.planned == 0):
                text = Text.assemble(
                    text[: (column - 1) // 2], ("•", PLAN_STYLE), text[(column - 1) // 2 + 1 :]
                )
            chart.append_text(text)
        chart.append("\n")
    # The corner under the axis (column 7), the day numbers under their bars (from 8).
    chart.append("     0 └" + "─" * (column * len(days)) + "\n", style="dim")
    labels = "".join(f"{day.day:%d}".ljust(column) for day in days)
    chart.append(" " * 8 + labels + "\n", style="dim")
    first, last = days[0].day, days[-1].day
    chart.append(f"        {first:%Y-%m-%d} → {last:%Y-%m-%d}   ", style="dim")
    chart.append("█", style=AHEAD_STYLE)
    chart.append(" left, on plan  ", style="dim")
    chart.append("█", style=BEHIND_STYLE)
    chart.append(" left, behind  ", style="dim")
    chart.append("•", style=PLAN_STYLE)
    chart.append(" planned", style="dim")
    return chart


def svg_chart(days: Sequence[BurnDay], at_start: int, width: int = 720, height: int = 320) -> str:
    """An SVG burn-down: bars for the items left each day, a dashed line for the plan."""
    left, right, top_pad, bottom = 56, 16, 24, 48
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = _top(days, at_start)
    count = max(1, len(days))
    slot = plot_w / count

    def y(value: float) -> float:
        return top_pad + plot_h * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Sprint burn-down">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}" stroke="#555"/>',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" '
        f'y2="{top_pad + plot_h}" stroke="#555"/>',
    ]
    for tick in sorted({0, top // 2, top}):
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end" '
            f'font-family="sans-serif">{tick:,}</text>'
        )
    for n, day in enumerate(days):
        x = left + n * slot
        if day.remaining is not None:
            colour = "#3a9d5d" if day.remaining <= day.planned else "#d9a400"
            parts.append(
                f'<rect x="{x + slot * 0.15:.1f}" y="{y(day.remaining):.1f}" '
                f'width="{slot * 0.7:.1f}" height="{top_pad + plot_h - y(day.remaining):.1f}" '
                f'fill="{colour}"><title>{day.day:%Y-%m-%d}: {day.remaining:,} left, '
                f"{day.planned:,g} planned</title></rect>"
            )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{top_pad + plot_h + 16}" font-size="11" '
            f'text-anchor="middle" font-family="sans-serif">{day.day:%m-%d}</text>'
        )
    points = [(left, y(at_start))] + [
        (left + (n + 1) * slot, y(day.planned)) for n, day in enumerate(days)
    ]
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    parts.append(
        f'<polyline points="{path}" fill="none" stroke="#1f6fb2" stroke-width="2" '
        'stroke-dasharray="6 4"/>'
    )
    legend_y = height - 10
    parts += [
        f'<rect x="{left}" y="{legend_y - 9}" width="10" height="10" fill="#3a9d5d"/>',
        f'<text x="{left + 14}" y="{legend_y}" font-size="11" font-family="sans-serif">'
        "left, on plan</text>",
        f'<rect x="{left + 110}" y="{legend_y - 9}" width="10" height="10" fill="#d9a400"/>',
        f'<text x="{left + 124}" y="{legend_y}" font-size="11" font-family="sans-serif">'
        "left, behind plan</text>",
        f'<line x1="{left + 240}" y1="{legend_y - 4}" x2="{left + 262}" y2="{legend_y - 4}" '
        'stroke="#1f6fb2" stroke-width="2" stroke-dasharray="6 4"/>',
        f'<text x="{left + 268}" y="{legend_y}" font-size="11" font-family="sans-serif">'
        "planned</text>",
        "</svg>",
    ]
    return "\n".join(parts)
