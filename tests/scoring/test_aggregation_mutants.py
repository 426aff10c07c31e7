"""Domain and overall scores (verifier.core.scoring.aggregation) on a small matrix by hand.

Three indicators: i0 and i1 in domain d0, i2 in d1. Cities: c0 has every value, c1 lacks
i0, c2 has only i0. Three weight sets: k0 = (.25, .75 | 1), k1 = (1, 0 | 1) and
k2 = (0, 0 | 1), so that k1 gives c1 only a zero-weight indicator in d0 and k2 gives every
city only zero weights in d0: both fall back to the plain mean of what the city has.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from verifier.core.scoring.aggregation import domain_scores, overall_scores

NAN = math.nan
NORMALISED = np.array([[20.0, 60.0, 10.0], [NAN, 40.0, 30.0], [80.0, NAN, NAN]])
WITHIN = np.array([[0.25, 0.75, 1.0], [1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
MEMBERSHIP = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])


def _same(actual: np.ndarray, expected: list[list[list[float]]]) -> None:
    np.testing.assert_allclose(actual, np.array(expected), rtol=1e-12, equal_nan=True)


def test_arithmetic_domain_scores_renormalise_over_what_the_city_has() -> None:
    scores = domain_scores(NORMALISED, WITHIN, MEMBERSHIP, "arithmetic")
    _same(
        scores,
        [
            # k0: c0 .25*20 + .75*60 = 50; c1 has i1 only: 40; c2 has i0 only: 80
            [[50.0, 10.0], [40.0, 30.0], [80.0, NAN]],
            # k1: c0 20; c1's only value in d0 weighs 0: plain mean 40; c2 80
            [[20.0, 10.0], [40.0, 30.0], [80.0, NAN]],
            # k2: zero weights in d0 everywhere: plain means (20+60)/2, 40, 80
            [[40.0, 10.0], [40.0, 30.0], [80.0, NAN]],
        ],
    )


def test_geometric_domain_scores_are_weighted_geometric_means() -> None:
    scores = domain_scores(NORMALISED, WITHIN, MEMBERSHIP, "geometric")
    _same(
        scores,
        [
            [[20**0.25 * 60**0.75, 10.0], [40.0, 30.0], [80.0, NAN]],
            [[20.0, 10.0], [40.0, 30.0], [80.0, NAN]],
            [[math.sqrt(20 * 60), 10.0], [40.0, 30.0], [80.0, NAN]],
        ],
    )


def test_overall_scores_weight_the_domains() -> None:
    by_domain = np.array([[[50.0, 10.0], [40.0, 30.0], [80.0, NAN]]])
    domain = np.array([[0.25, 0.75]])
    arithmetic = overall_scores(by_domain, domain, "arithmetic")
    # c0 .25*50 + .75*10 = 20; c1 .25*40 + .75*30 = 32.5; c2 misses d1: NaN
    np.testing.assert_allclose(arithmetic, [[20.0, 32.5, NAN]], rtol=1e-12, equal_nan=True)
    geometric = overall_scores(by_domain, domain, "geometric")
    np.testing.assert_allclose(
        geometric,
        [[50**0.25 * 10**0.75, 40**0.25 * 30**0.75, NAN]],
        rtol=1e-12,
        equal_nan=True,
    )


def test_a_domain_without_values_warns_nobody() -> None:
    # c2 has nothing in d1: its score there is NaN, without numpy's "invalid value"
    # warning reaching the user's terminal.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = domain_scores(NORMALISED, WITHIN, MEMBERSHIP, "arithmetic")
    assert np.isnan(scores[:, 2, 1]).all()
