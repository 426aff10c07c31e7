"""Counts in the lead's status summary are written as everywhere else (3,013 items): with
thousands separators, at a terminal and piped; ids, years and CSV cells stay bare."""

from __future__ import annotations

import io

from rich.console import Console

from verifier.cli.commands.status_cmds import show
from verifier.cli.context import CliState
from verifier.cli.output import Count, table, write_csv
from verifier.core.review.summary import BatchLine, EditionLine, EditionSummary

STATUSES = {"unverified": 2_948, "verified": 64, "rejected": 0, "flagged": 1}


def _summary() -> EditionSummary:
    return EditionSummary(
        edition=EditionLine(1, "las2024", "LAS Smart City Ranking 2024"),
        total=3_013,
        by_status=dict(STATUSES),
        by_indicator=[("TRD-WATER", dict(STATUSES))],
        by_city=[("Baghdad IQ", dict(STATUSES))],
        by_band={"auto": 2_930, "review": 60, "none": 23},
        batches=[BatchLine(1, "01-yearbooks.csv", "rania", "2026-12-03 06:18", 1_237, 8, 0)],
        rejected_rows=[("01-yearbooks.csv", 1_240, "year 'n.d.' is not a year")],
        rejected_total=1,
    )


def _status(terminal: bool) -> str:
    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=terminal, color_system=None,
                      soft_wrap=True, emoji=False, highlight=False, markup=False)  # fmt: skip
    show(CliState(console=console), "sqlite:///ws.db", _summary(), True, cities=5)
    return out.getvalue()


def test_status_writes_counts_with_thousands_separators() -> None:
    for terminal in (True, False):
        text = _status(terminal)
        assert "By status: unverified 2,948  verified 64  rejected 0  flagged 1" in text
        assert "City match: auto 2,930  none 23  review 60" in text
        assert "2,948" in text.split("By indicator")[1].split("By city")[0]
        assert "3,013" in text.split("By city")[1]
        assert "1,237" in text  # a batch's accepted rows
        assert "1,240" not in text and "1240" in text  # a row number stays a number


def test_a_count_is_bare_in_csv() -> None:
    out = io.StringIO()
    write_csv(["city", "total"], [("Baghdad IQ", Count(3_013))], out)
    assert out.getvalue().splitlines()[1] == "Baghdad IQ,3013"


def test_counts_keep_their_width_in_a_compact_table() -> None:
    out = io.StringIO()
    console = Console(file=out, width=40, color_system=None)
    console.print(table("t", ["city", "total"], [("Baghdad IQ", Count(1_234_567))],
                        compact=True, width=40))  # fmt: skip
    assert "1,234,567" in out.getvalue()
