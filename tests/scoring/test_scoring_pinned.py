"""Behaviours that change what a ranking says, each pinned with numbers computed by hand:
the mean (not the median) of five experts' weights, ties at floating-point noise and no
coarser, the coverage threshold applied exactly, the fallback of all-zero weights and the
percentile rule behind the rank intervals."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.scoring.conftest import build_doc
from verifier.core.scoring import ScoringOptions, parse_snapshot, score
from verifier.core.scoring.ranking import percentile_ranks


def scored(doc: dict[str, Any], **options: Any) -> Any:
    return score(parse_snapshot(doc), ScoringOptions(**{"uncertainty_runs": 0, **options}))


# Five experts over two one-indicator domains p and q. Their normalised p shares are
# .5, .25, .75, .2, .9: mean .52, median .5 (q is the complement: mean .48, median .5).
FIVE_EXPERTS = {
    "E1": ({"p": 1, "q": 1}, {"P1": 1, "Q1": 1}),
    "E2": ({"p": 1, "q": 3}, {"P1": 1, "Q1": 1}),
    "E3": ({"p": 3, "q": 1}, {"P1": 1, "Q1": 1}),
    "E4": ({"p": 1, "q": 4}, {"P1": 1, "Q1": 1}),
    "E5": ({"p": 9, "q": 1}, {"P1": 1, "Q1": 1}),
}
TWO_DOMAINS = [("P1", "p", "higher"), ("Q1", "q", "higher")]
# Min-max: a scores 100 on P1 and 0 on Q1, b the reverse, c 50 on both.
OPPOSITES = {"a": {"P1": 10, "Q1": 0}, "b": {"P1": 0, "Q1": 10}, "c": {"P1": 5, "Q1": 5}}


def test_the_default_is_the_mean_of_five_experts_not_their_median() -> None:
    doc = build_doc(TWO_DOMAINS, OPPOSITES, FIVE_EXPERTS)
    ranking = scored(doc)
    assert {d.code: d.weight for d in ranking.domains} == pytest.approx({"p": 0.52, "q": 0.48})
    # a: .52 * 100 = 52; c: 50; b: .48 * 100 = 48.
    assert [ranking.city(c).overall for c in "acb"] == pytest.approx([52.0, 50.0, 48.0])
    assert [ranking.city(c).rank for c in "acb"] == [1, 2, 3]

    median = scored(doc, expert_weights="median")
    assert {d.code: d.weight for d in median.domains} == pytest.approx({"p": 0.5, "q": 0.5})
    assert [median.city(c).overall for c in "acb"] == pytest.approx([50.0, 50.0, 50.0])
    assert [median.city(c).rank for c in "acb"] == [1, 1, 1]


ONE_INDICATOR = [("X", "d", "higher")]
ONE_EXPERT = {"E1": ({"d": 1}, {"X": 1})}


def ranks_of(values: dict[str, float]) -> dict[str, int | None]:
    doc = build_doc(ONE_INDICATOR, {city: {"X": v} for city, v in values.items()}, ONE_EXPERT)
    ranking = scored(doc)
    return {city: ranking.city(city).rank for city in values}


def test_scores_equal_up_to_floating_point_noise_tie() -> None:
    # On 0..100 the two middle cities are 50 and 50 + 1e-12: the same score.
    ranks = ranks_of({"lo": 0.0, "a": 50.0, "b": 50.0 + 1e-12, "hi": 100.0})
    assert ranks == {"hi": 1, "a": 2, "b": 2, "lo": 4}


@pytest.mark.parametrize("gap", [0.01, 1e-6])
def test_scores_a_little_apart_do_not_tie(gap: float) -> None:
    ranks = ranks_of({"lo": 0.0, "a": 50.0, "b": 50.0 + gap, "hi": 100.0})
    assert ranks == {"hi": 1, "b": 2, "a": 3, "lo": 4}


TEN = [(f"X{n}", "d", "higher") for n in range(10)]
TEN_EXPERT = {"E1": ({"d": 1}, {code: 1 for code, _, _ in TEN})}


def coverage_doc(counts: dict[str, int]) -> dict[str, Any]:
    """Cities with a value for their first ``count`` of ten indicators; "lo" and "hi" give
    every indicator its spread."""
    values: dict[str, dict[str, float]] = {
        "lo": {code: 0.0 for code, _, _ in TEN},
        "hi": {code: 10.0 for code, _, _ in TEN},
    }
    for city, count in counts.items():
        values[city] = {code: 5.0 for code, _, _ in TEN[:count]}
    return build_doc(TEN, values, TEN_EXPERT)


def test_a_city_exactly_at_the_threshold_is_ranked_and_one_indicator_under_is_not() -> None:
    # 7 / 10 is 0.7000000000000001 or 0.7 depending on the arithmetic: at 0.7 it counts.
    ranking = scored(coverage_doc({"at": 7, "under": 6}), coverage_threshold=0.7)
    at, under = ranking.city("at"), ranking.city("under")
    assert at.ranked and at.rank == 2 and at.coverage == pytest.approx(0.7)
    assert not under.ranked and under.rank is None and under.coverage == pytest.approx(0.6)
    assert under.not_ranked_because

    # The same cities under a threshold one indicator higher: "at" is now one under.
    stricter = scored(coverage_doc({"at": 7, "under": 6}), coverage_threshold=0.8)
    assert not stricter.city("at").ranked


def test_experts_who_all_give_zero_fall_back_to_equal_weights() -> None:
    zero = {
        "E1": ({"p": 0, "q": 0}, {"P1": 0, "Q1": 0}),
        "E2": ({"p": 0, "q": 0}, {"P1": 0, "Q1": 0}),
    }
    ranking = scored(build_doc(TWO_DOMAINS, OPPOSITES, zero))
    assert {d.code: d.weight for d in ranking.domains} == pytest.approx({"p": 0.5, "q": 0.5})
    assert [ranking.city(c).overall for c in "abc"] == pytest.approx([50.0, 50.0, 50.0])
    assert {w.kind for w in ranking.warnings} >= {"expert_weights_empty"}


def test_rank_percentiles_are_the_smallest_rank_reached_by_that_share_of_runs() -> None:
    # One city ranked 1, 2, 3 and 10 in four runs. The q-th percentile is the smallest r
    # with at least q% of the runs at r or better: 5 % -> 1 (1 of 4 runs is 25 %),
    # 50 % -> 2 (2 of 4), 60 % -> 3 (3 of 4 = 75 %), 95 % -> 10 (3.8 runs needed: all 4).
    # Linear interpolation would give 1, 2, 2 and 8.
    runs = np.array([[1], [2], [3], [10]])
    assert [int(percentile_ranks(runs, q)[0]) for q in (5, 50, 60, 95)] == [1, 2, 3, 10]
    # Ranks stay whole numbers (a report must say 3, not 3.0).
    assert percentile_ranks(runs, 50).dtype.kind == "i"


def test_rank_intervals_come_from_the_runs_by_that_rule() -> None:
    doc = build_doc(TWO_DOMAINS, OPPOSITES, FIVE_EXPERTS)
    ranking = scored(doc, uncertainty_runs=200, seed=7)
    uncertainty = ranking.uncertainty
    assert uncertainty is not None
    for column, city_id in enumerate(uncertainty.city_ids):
        runs = sorted(int(r) for r in uncertainty.ranks[:, column])
        # By hand: the rank at position ceil(q/100 * n) - 1 of the sorted runs.
        p5, p95 = runs[int(np.ceil(0.05 * len(runs))) - 1], runs[int(np.ceil(0.95 * len(runs))) - 1]
        median = runs[int(np.ceil(0.5 * len(runs))) - 1]
        city = ranking.city(city_id)
        assert (city.p5_rank, city.median_rank, city.p95_rank) == (p5, median, p95)
