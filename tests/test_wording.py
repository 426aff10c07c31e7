"""Counts in messages agree with their number: "1 item", "2 items", never "1 items" or
"item(s)". One helper writes them; no message in the code falls back to "(s)"."""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

import pytest

from verifier.core.wording import agree, count

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
