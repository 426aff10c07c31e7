"""Who is ranked (coverage rule) and in what order (competition ranking with ties)."""

from __future__ import annotations

import numpy as np

# Scores equal after rounding to this many decimals are tied: rounding noise of a weighted
# mean (about 1e-13 on a 0-100 scale) must not split cities whose scores are the same.
TIE_DECIMALS = 9
# Coverage at the threshold counts as meeting it, despite float noise in e.g. 7 / 10.
COVERAGE_TOLERANCE = 1e-9


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, highest score first; ties share the better rank (1, 2, 2, 4).

    A city's rank is 1 + the number of cities with a strictly higher (rounded) score.
    """
    rounded = np.round(scores, TIE_DECIMALS)
    higher = rounded[..., np.newaxis, :] > rounded[..., :, np.newaxis]
    return 1 + higher.sum(axis=-1)


def coverage(available: np.ndarray, included: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(share, count) of the scored indicators each city has a value for."""
    count = available[:, included].sum(axis=1)
    scored = int(included.sum())
    share = count / scored if scored else np.zeros(available.shape[0])
    return share, count


def missing_domains(available: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """Cities x domains: True where the city has no value in any indicator of the domain."""
    return (available.astype(float) @ membership) == 0


def meets_threshold(share: np.ndarray, threshold: float) -> np.ndarray:
    return share + COVERAGE_TOLERANCE >= threshold


def percentile_ranks(ranks: np.ndarray, percent: float) -> np.ndarray:
    """Per column, the smallest rank r such that at least ``percent``% of runs rank <= r.

    This is the inverted empirical distribution function (Hyndman and Fan type 1), so the
    result is always a rank that occurred.
    """
    return np.percentile(ranks, percent, axis=0, method="inverted_cdf").astype(int)
