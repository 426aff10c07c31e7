"""The dashboard's count tables on a 100-column terminal: names and bars give way, the
counts and their headers never do."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from rich.console import Console
from rich.text import Text

from verifier.core.review.progress import Counts, Dashboard
from verifier.presentation import dashboard as render
from verifier.presentation.dashboard import BAR_WIDTH, stacked_bar

HEADERS = ("progress", "decided", "verified", "rejected", "flagged", "unverified", "total")


def _counts(verified: int, rejected: int, flagged: int, unverified: int) -> Counts:
    return Counts(
        {"unverified": unverified, "verified": verified, "rejected": rejected,
         "flagged": flagged}
    )  # fmt: skip


def _board() -> Dashboard:
    big = _counts(1_234, 56, 7, 1_716)
    return Dashboard(
        edition_id=1,
        overall=big,
        by_indicator=[
            ("TRD-ROADDEATHS", "Road traffic deaths per 100k residents", big),
            ("DIG-BROADBAND", "Fixed broadband median download speed", _counts(0, 0, 0, 266)),
        ],
        by_city=[("Alexandria EG", big)],
        by_reviewer=[("nour.aziz", big)],
        today=[],
        day_start=datetime(2026, 12, 3, tzinfo=UTC),
    )


def _lines(renderable: object, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text().splitlines()


def test_counts_and_headers_are_whole_at_96_columns() -> None:
    lines = _lines(render.by_indicator(_board(), bidi=True), 96)
    header = lines[1]
    for word in HEADERS:
        assert word in header.split(), (word, header)
    assert "…" not in header
    first, second = lines[3], lines[4]
    assert first.startswith(" TRD-ROADD") and "…" in first  # the name gives way
    assert [cell.strip() for cell in first.split("│")[2:]] == [
        "1,290 · 42.8%", "1,234", "56", "7", "1,716", "3,013"
    ]  # fmt: skip
    assert second.split("│")[-1].strip() == "266"
    assert all(len(line) <= 96 for line in lines)


def test_the_bar_keeps_its_full_width_when_there_is_room() -> None:
    lines = _lines(render.by_city(_board(), bidi=True), 160)
    bar = lines[3].split("│")[1].strip()
    assert bar == stacked_bar(_board().overall).plain
    assert len(bar) == BAR_WIDTH


def test_a_narrow_bar_still_shows_the_shares() -> None:
    assert isinstance(stacked_bar(_counts(1, 0, 0, 1), 10), Text)
    assert stacked_bar(_counts(1, 0, 0, 1), 10).plain == "█" * 5 + "░" * 5
