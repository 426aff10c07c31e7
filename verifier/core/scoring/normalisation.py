"""Put every indicator on a common scale, higher = better, missing values kept as NaN.

Input and output are cities x indicators matrices. Columns of indicators that are left out
(no spread) must already be NaN; the statistics of a column use only the cities with a value.
"""

from __future__ import annotations

import warnings

import numpy as np

from verifier.core.scoring.options import Aggregation, Normalisation

# z-scores are shown as 50 + 10 z, so they read like the 0-100 min-max scale.
ZSCORE_CENTRE = 50.0
ZSCORE_SPREAD = 10.0
# Geometric aggregation needs positive inputs: the worst city of each indicator is put at 1.
GEOMETRIC_FLOOR = 1.0


class NonFiniteIntermediate(ArithmeticError):
    """A step of the normalisation gave a non-finite number for an indicator with values.

    It carries positions only (indicator column, the city whose value is the most extreme
    in that column, the step); ``verifier.core.scoring.finite`` turns it into an error
    that names the indicator, the city and the items.
    """

    def __init__(self, indicator: int, city: int, step: str) -> None:
        super().__init__(f"non-finite {step} in column {indicator}")
        self.indicator = indicator
        self.city = city
        self.step = step


def require_finite(
    values: np.ndarray, result: np.ndarray, statistics_finite: np.ndarray, step: str
) -> None:
    """Every cell with a value has a finite result, and every column's statistics are finite.

    Left-out indicators (all NaN) are not checked. A non-finite statistic (a range or a
    standard deviation that overflowed) would otherwise leave finite but meaningless cells.
    """
    available = ~np.isnan(values)
    broken = (available.any(axis=0) & ~statistics_finite) | (available & ~np.isfinite(result)).any(
        axis=0
    )
    if not broken.any():
        return
    column = int(np.flatnonzero(broken)[0])
    magnitude = np.where(available[:, column], np.abs(values[:, column]), -1.0)
    raise NonFiniteIntermediate(column, int(np.argmax(magnitude)), step)


def has_spread(column: np.ndarray) -> bool:
    """At least two cities have a value and the values are not all equal."""
    present = column[~np.isnan(column)]
    return present.size >= 2 and bool(present.max() > present.min())


def min_max(values: np.ndarray, higher_is_better: np.ndarray) -> np.ndarray:
    """0 for the worst city with a value, 100 for the best, linear in between."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns of left-out indicators
        low = np.nanmin(values, axis=0)
        high = np.nanmax(values, axis=0)
    with np.errstate(over="ignore", invalid="ignore"):
        span = high - low
        scaled = 100.0 * (values - low) / span
    require_finite(values, scaled, np.isfinite(span), "min-max")
    return np.where(higher_is_better, scaled, 100.0 - scaled)


def z_score(values: np.ndarray, higher_is_better: np.ndarray) -> np.ndarray:
    """50 + 10 z, z = (x - mean) / population sd, sign flipped when lower is better."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with np.errstate(over="ignore", invalid="ignore"):
            mean = np.nanmean(values, axis=0)
            spread = np.nanstd(values, axis=0)
            z = (values - mean) / spread
    require_finite(values, z, np.isfinite(mean) & np.isfinite(spread), "z-score")
    z = np.where(higher_is_better, z, -z)
    return ZSCORE_CENTRE + ZSCORE_SPREAD * z


def to_positive_scale(normalised: np.ndarray, normalisation: Normalisation) -> np.ndarray:
    """The inputs of geometric aggregation: every value >= 1, the worst city of each at 1.

    Min-max 0-100 is mapped linearly onto 1-100. z-scores (50 + 10 z) are shifted so the
    worst city is at 1, keeping 10 points per standard deviation.
    """
    if normalisation == "minmax":
        return GEOMETRIC_FLOOR + (100.0 - GEOMETRIC_FLOOR) / 100.0 * normalised
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        worst = np.nanmin(normalised, axis=0)
    return normalised - worst + GEOMETRIC_FLOOR


def normalise(
    values: np.ndarray,
    higher_is_better: np.ndarray,
    normalisation: Normalisation,
    aggregation: Aggregation,
) -> np.ndarray:
    """The matrix the chosen aggregation works on."""
    if normalisation == "minmax":
        normalised = min_max(values, higher_is_better)
    else:
        normalised = z_score(values, higher_is_better)
    if aggregation == "geometric":
        return to_positive_scale(normalised, normalisation)
    return normalised
