"""The ranking table at a terminal fits its width as every table does: the rank and the
names never collapse, and the title is a line of its own, at a terminal and piped."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from tests.scoring.conftest import rehash
from verifier.core.scoring import ScoringOptions, parse_snapshot, score
from verifier.presentation.ranking import ranking_table

DOMAINS = {
    "traditional": "Traditional infrastructure",
    "digital": "Digital infrastructure",
    "institutional": "Institutional infrastructure",
}
CITIES = [
    ("a", "Doha", "الدوحة"),
    ("b", "Abu Dhabi", "أبوظبي"),
    ("c", "Al Rayyan", "الريان"),
]


@pytest.fixture
def ranking(make_doc):
    indicators = [(f"I-{code}", code, "higher") for code in DOMAINS]
    values = {
        city: {code: float(index + rank) for index, (code, _, _) in enumerate(indicators)}
        for rank, (city, _, _) in enumerate(CITIES)
    }
    weights = dict.fromkeys(DOMAINS, 1)
    doc = make_doc(indicators, values, {"E": (weights, {c: 1 for c, _, _ in indicators})},
                   cities=CITIES)  # fmt: skip
    for domain in doc["domains"]:
        domain["name_en"] = DOMAINS[domain["code"]]
    return score(parse_snapshot(rehash(doc)), ScoringOptions(uncertainty_runs=20))


def drawn(ranking, width: int, *, terminal: bool, bidi: bool) -> list[str]:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=terminal)
    console.print(ranking_table(ranking, bidi=bidi, compact=not terminal))
    return buffer.getvalue().splitlines()


@pytest.mark.parametrize("bidi", [True, False])
@pytest.mark.parametrize(("width", "terminal"), [(100, True), (160, True), (80, False)])
def test_the_title_is_a_line_of_its_own(ranking, width, terminal, bidi):
    lines = drawn(ranking, width, terminal=terminal, bidi=bidi)
    assert lines[0].rstrip() == "Test ranking — publication 2"


@pytest.mark.parametrize("bidi", [True, False])
@pytest.mark.parametrize("width", [100, 160])
def test_at_a_terminal_every_city_is_ranked_and_named_whole_on_one_line(ranking, width, bidi):
    lines = drawn(ranking, width, terminal=True, bidi=bidi)
    assert max(len(line) for line in lines) <= width
    for city in ranking.ranked:
        [line] = [line for line in lines if f"{city.name_en} XX" in line]
        assert line.lstrip(" │").startswith(str(city.rank))
        arabic = city.name_ar if not bidi else None
        assert arabic is None or arabic in line
    head = next(line for line in lines if "Rank" in line)
    assert "المدينة" in head or "ﺔﻨﻳﺪﻤﻟﺍ" in head  # the Arabic heading, whole
    assert "…" not in "\n".join(lines[:-3])  # nothing cut (the caption may wrap)


def test_domains_are_named_where_there_is_room_and_coded_where_not(ranking):
    assert "Institutional" in "\n".join(drawn(ranking, 160, terminal=True, bidi=True))
    narrow = "\n".join(drawn(ranking, 100, terminal=True, bidi=True))
    assert "Institutional" not in narrow and "institutional" in narrow
