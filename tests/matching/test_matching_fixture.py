"""Real-world variants of the LAS ranking's cities (fixtures/las2024), when present."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from verifier.core.matching import Matcher, load_gazetteer_csv

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "las2024"
CITIES, TRUTH = FIXTURE / "cities.csv", FIXTURE / "label-truth.csv"

pytestmark = pytest.mark.skipif(
    not (CITIES.exists() and TRUTH.exists()), reason="LAS fixture not generated"
)


def test_fixture_variants_match_and_outsiders_stay_out_of_auto() -> None:
    matcher = Matcher.from_entries(load_gazetteer_csv(CITIES))
    with TRUTH.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    results = matcher.match_many([(r["label"], r["country"] or None) for r in rows])
    inside = [(r, x) for r, x in zip(rows, results, strict=True) if r["city_id"]]
    right = [x.top is not None and x.top.city_id == r["city_id"] for r, x in inside]
    assert sum(right) / len(inside) >= 0.98
    auto_wrong = [
        r["label"] for (r, x), ok in zip(inside, right, strict=True) if x.band == "auto" and not ok
    ]
    assert auto_wrong == []
    outside_auto = [
        r["label"]
        for r, x in zip(rows, results, strict=True)
        if not r["city_id"] and x.band == "auto"
    ]
    assert outside_auto == []
