"""The sprint burn-down in a terminal: one axis, its corner under it, the day numbers under
their bars, and counts written as everywhere else (1,102)."""

from __future__ import annotations

from datetime import date, timedelta

from verifier.core.review.sprint_steering import BurnDay
from verifier.presentation.burndown import svg_chart, terminal_chart

START = date(2026, 11, 30)


def _days() -> list[BurnDay]:
    total, count = 1_102, 12
    return [
        BurnDay(
            day=START + timedelta(days=n),
            planned=total * (count - n - 1) / count,
            remaining=total - 40 * n if n < 4 else None,
            decided=40 if n else 0,
        )
        for n in range(count)
    ]


def test_the_axis_and_its_corner_are_in_one_column() -> None:
    lines = terminal_chart(_days(), 1_102).plain.splitlines()
    axis = [line for line in lines if line[7:8] in ("┤", "│", "└")]
    assert len(axis) == 9  # eight rows and the corner
    assert lines[8].startswith("     0 └")
    assert lines[0].startswith(" 1,102 ┤")  # the top count, with its thousands separator
    first_bar = lines[0].index("█")
    assert first_bar == 8
    assert lines[9][first_bar:].startswith("30")  # the first day under its bar


def test_the_svg_writes_counts_with_separators() -> None:
    svg = svg_chart(_days(), 1_102)
    assert ">1,102</text>" in svg
    assert "1,102 left" in svg
