"""Normalisation is per indicator, under every option: each indicator's own minimum and
maximum (min-max) or mean and population standard deviation (z-score), over every city
with a value, ranked or not; and geometric aggregation on each option's positive scale.
Expected numbers are worked out by hand below (docs/scoring.md, steps 4 and 5).

Two indicators on very different scales, one domain, equal weights:

    city   X (higher)   Y (lower)
    p       0           100
    q       5           400
    r      10           --       (1 of 2 values: 50 % < 75 %, not ranked)
    s       5           250

Min-max: X 0..10 (r's 10 counts though r is not ranked): p 0, q 50, r 100, s 50.
         Y 100..400, reversed: p 100, q 0, s 50.
z-score: X mean 5, sd sqrt(50/4) = sqrt(12.5): z p -sqrt 2, q 0, r sqrt 2, s 0.
         Y mean 250, sd sqrt(45000/3) = sqrt(15000): z p -sqrt 1.5, q sqrt 1.5, s 0,
         reversed (lower is better): p sqrt 1.5, q -sqrt 1.5, s 0. Shown as 50 + 10 z.
Geometric inputs: min-max 1 + .99 x; z-score shifted so the indicator's worst city is at 1:
         X worst p (50 - 10 sqrt 2), Y worst q (50 - 10 sqrt 1.5).
"""

from __future__ import annotations

from math import sqrt

import pytest

from tests.scoring.conftest import build_doc
from verifier.core.scoring import ScoringOptions, parse_snapshot, score

VALUES = {
    "p": {"X": 0, "Y": 100},
    "q": {"X": 5, "Y": 400},
    "r": {"X": 10},
    "s": {"X": 5, "Y": 250},
}
R2, R15 = 10 * sqrt(2), 10 * sqrt(1.5)  # one standard deviation of z, as shown (10 z)
# option -> (overall of p, q, s; r's domain score, from X alone; ranks of p, q, s)
EXPECTED = {
    ("minmax", "arithmetic"): (
        {"p": (0 + 100) / 2, "q": (50 + 0) / 2, "s": (50 + 50) / 2}, 100.0, [1, 3, 1]
    ),
    ("zscore", "arithmetic"): (
        {"p": ((50 - R2) + (50 + R15)) / 2, "q": (50 + (50 - R15)) / 2, "s": 50.0},
        50 + R2,
        [2, 3, 1],
    ),
    ("minmax", "geometric"): (
        {"p": sqrt(1 * 100), "q": sqrt(50.5 * 1), "s": sqrt(50.5 * 50.5)}, 100.0, [2, 3, 1]
    ),
    ("zscore", "geometric"): (
        {"p": sqrt(1 * (1 + 2 * R15)), "q": sqrt((1 + R2) * 1), "s": sqrt((1 + R2) * (1 + R15))},
        1 + 2 * R2,
        [2, 3, 1],
    ),
}  # fmt: skip


@pytest.mark.parametrize(("normalisation", "aggregation"), list(EXPECTED))
def test_each_indicator_is_normalised_on_its_own(normalisation: str, aggregation: str) -> None:
    doc = build_doc(
        [("X", "only", "higher"), ("Y", "only", "lower")],
        VALUES,
        {"E": ({"only": 1}, {"X": 1, "Y": 1})},
    )
    options = ScoringOptions(  # type: ignore[arg-type]
        normalisation=normalisation, aggregation=aggregation, uncertainty_runs=0
    )
    ranking = score(parse_snapshot(doc), options)
    overall, r_domain, ranks = EXPECTED[(normalisation, aggregation)]
    assert {c.id: c.overall for c in ranking.ranked} == pytest.approx(overall, rel=1e-12)
    assert [ranking.city(x).rank for x in "pqs"] == ranks
    r = ranking.city("r")
    assert (r.rank, r.overall) == (None, None)
    assert r.domain_scores == pytest.approx({"only": r_domain}, rel=1e-12)
