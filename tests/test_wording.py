"""Counts in messages agree with their number: "1 item", "2 items", never "1 items" or
"item(s)". One helper writes them; no message in the code falls back to "(s)"."""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

import pytest

from verifier.cli.commands.items_cmds import decision_summary
from verifier.core.wording import agree, count, percent, percent_interval, rate

ROOT = Path(__file__).parent.parent / "verifier"


@pytest.mark.parametrize(
    ("number", "written"),
    [(0, "0 items"), (1, "1 item"), (2, "2 items"), (1234, "1,234 items")],
)
def test_a_count_agrees_with_its_number(number: int, written: str) -> None:
    assert count(number, "item") == written


def test_irregular_plurals_and_verbs() -> None:
    assert count(1, "city", "cities") == "1 city"
    assert count(3, "city", "cities") == "3 cities"
    assert count(2, "item or batch", "items or batches") == "2 items or batches"
    assert [agree(n, "has", "have") for n in (0, 1, 2)] == ["have", "has", "have"]
    assert agree(1, "publication") == "publication" and agree(2, "trigger") == "triggers"


def test_no_message_in_the_code_counts_with_a_bracketed_plural() -> None:
    # A word followed by "(s)" or "(es)" in a string literal: the form this helper replaces.
    bracketed = re.compile(r"[a-z]\((s|es)\)")
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        with path.open("rb") as source:
            for token in tokenize.tokenize(source.readline):
                text = token.string
                if token.type == tokenize.STRING and bracketed.search(text.replace("http(s)", "")):
                    found.append(f"{path.relative_to(ROOT.parent)}:{token.start[0]}")
    assert found == ["verifier/core/wording.py:1"]  # the docstring naming the form


def test_a_share_is_written_one_way() -> None:
    assert percent(0.063) == "6.3%" and percent(1) == "100.0%" and percent(0) == "0.0%"
    assert percent(None) == "—"
    assert percent_interval(0.0, 0.278) == "0.0%–27.8%"


def test_no_other_code_formats_a_percentage() -> None:
    # A format spec ending in "%" ({x:.0%}), or "95 %" with a space: the dashboard, the
    # command line and the reports each had their own.
    ad_hoc = re.compile(r":[^{}]*%\}|95 %")
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        with path.open("rb") as source:
            for token in tokenize.tokenize(source.readline):
                if token.type == tokenize.STRING and ad_hoc.search(token.string):
                    found.append(f"{path.relative_to(ROOT.parent)}:{token.start[0]}")
    assert found == [
        "verifier/core/scoring/inputs.py:85",  # a reason written in the ranking's CSV and JSON
        "verifier/core/wording.py:21",  # percent() itself
    ]


@pytest.mark.parametrize(
    ("rows", "seconds", "written"),
    [
        (1, 1.12, "0.9 rows/s"),
        (1, 1.0, "1 row/s"),
        (5, 2.0, "2.5 rows/s"),
        (12_802, 1.0, "12,802 rows/s"),
        (0, 0.0, "0 rows/s"),
    ],
)
def test_a_rate_agrees_with_its_figure(rows: int, seconds: float, written: str) -> None:
    assert rate(rows, seconds, "row") == written


def test_the_decisions_summary_writes_every_number_with_separators() -> None:
    counts = {"decided": 1_153, "stale": 2, "refused": 0, "failed": 0}
    assert decision_summary(1_155, counts) == "1,155 items: 1,153 decided, 2 stale."
