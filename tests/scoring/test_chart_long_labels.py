"""A chart of cities with hostile, very long names lays out without matplotlib giving up
(the "axes sizes collapsed to zero" warning): each label is cut to a bounded width, in
logical order, by the one display layout."""

from __future__ import annotations

import warnings
from dataclasses import replace

import pytest

from tests.scoring.conftest import rehash
from verifier.core.scoring import ScoringOptions, parse_snapshot, score
from verifier.presentation.chart import LABEL_WIDTH, city_label, render_chart

MARKUP = "[@click=app.quit]x[/]"
HOSTILE = f'=HYPERLINK("http://x","y") {MARKUP} \x1b]0;x\x07\x1b[2J <img src=x> \u202eevil\u2066'


@pytest.fixture
def hostile_ranking(make_doc):
    names = [(f"c{n:02}", f"{HOSTILE} city {n}", f"{HOSTILE} مدينة {n}") for n in range(16)]
    values = {city: {"X": float(n)} for n, (city, _, _) in enumerate(names)}
    doc = make_doc([("X", "only", "higher")], values, {"E": ({"only": 1}, {"X": 1})},
                   cities=names)  # fmt: skip
    doc["edition"]["name"] = f"{HOSTILE} edition name " * 3
    return score(parse_snapshot(rehash(doc)), ScoringOptions(uncertainty_runs=20))


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_long_hostile_labels_do_not_collapse_the_chart(tmp_path, hostile_ranking, suffix):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_chart(hostile_ranking, tmp_path / f"ranking.{suffix}")
    assert [str(w.message) for w in caught if "collapsed" in str(w.message)] == []


def test_a_label_is_cut_at_its_logical_end_and_keeps_its_arabic(hostile_ranking):
    for city in hostile_ranking.ranked:
        label = city_label(city)
        assert len(label) <= LABEL_WIDTH and label.endswith("…")
        assert "\x1b" not in label and "\u202e" not in label
    tripoli = replace(hostile_ranking.ranked[0], name_en="Tripoli", country="LY",
                      name_ar="طرابلس")  # fmt: skip
    short = city_label(tripoli)
    assert short == "Tripoli LY · طرابلس"  # logical order: matplotlib shapes it
