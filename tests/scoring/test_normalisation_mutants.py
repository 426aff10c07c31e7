"""Normalisation (verifier.core.scoring.normalisation) per indicator, by hand.

Two indicators over three cities: x = 10, 30, 50 (higher is better) and y = 2, -, 8 (lower
is better, one city without a value). Every option works column by column.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from verifier.core.scoring.normalisation import (
    NonFiniteIntermediate,
    has_spread,
    min_max,
    normalise,
    require_finite,
    to_positive_scale,
    z_score,
)

NAN = math.nan
VALUES = np.array([[10.0, 2.0], [30.0, NAN], [50.0, 8.0]])
HIGHER = np.array([True, False])
# z of x: mean 30, population sd sqrt(800/3) = 16.3299..., z = -1.2247..., 0, +1.2247...
Z = 20 / math.sqrt(800 / 3)


def _same(actual: np.ndarray, expected: list[list[float]]) -> None:
    np.testing.assert_allclose(actual, np.array(expected), rtol=1e-12, equal_nan=True)


def test_min_max_is_per_indicator_and_flips_lower_is_better() -> None:
    _same(min_max(VALUES, HIGHER), [[0.0, 100.0], [50.0, NAN], [100.0, 0.0]])


def test_z_scores_are_per_indicator_with_the_population_sd() -> None:
    # y: mean 5, sd 3, z = -1, +1, flipped because lower is better: 60, 40
    _same(
        z_score(VALUES, HIGHER),
        [[50.0 - 10 * Z, 60.0], [50.0, NAN], [50.0 + 10 * Z, 40.0]],
    )


def test_the_positive_scale_puts_the_worst_city_at_one() -> None:
    minmax = np.array([[0.0, 100.0], [50.0, NAN], [100.0, 0.0]])
    _same(to_positive_scale(minmax, "minmax"), [[1.0, 100.0], [50.5, NAN], [100.0, 1.0]])
    z = np.array([[37.0, 60.0], [50.0, NAN], [63.0, 40.0]])
    _same(to_positive_scale(z, "zscore"), [[1.0, 21.0], [14.0, NAN], [27.0, 1.0]])


def test_normalise_under_every_option() -> None:
    _same(
        normalise(VALUES, HIGHER, "minmax", "arithmetic"),
        [[0.0, 100.0], [50.0, NAN], [100.0, 0.0]],
    )
    _same(
        normalise(VALUES, HIGHER, "minmax", "geometric"),
        [[1.0, 100.0], [50.5, NAN], [100.0, 1.0]],
    )
    _same(
        normalise(VALUES, HIGHER, "zscore", "arithmetic"),
        [[50.0 - 10 * Z, 60.0], [50.0, NAN], [50.0 + 10 * Z, 40.0]],
    )
    # shifted so each column's worst is 1: x -10Z..+10Z -> 1, 1 + 10Z, 1 + 20Z; y 40..60
    _same(
        normalise(VALUES, HIGHER, "zscore", "geometric"),
        [[1.0, 21.0], [1.0 + 10 * Z, NAN], [1.0 + 20 * Z, 1.0]],
    )


@pytest.mark.parametrize(
    ("column", "spread"),
    [
        ([3.0, 4.0], True),
        ([NAN, 3.0, 4.0], True),
        ([3.0, 3.0], False),
        ([NAN, 3.0], False),
        ([3.0], False),
        ([NAN, NAN], False),
    ],
)
def test_spread_needs_two_different_values(column: list[float], spread: bool) -> None:
    assert has_spread(np.array(column)) is spread


def test_a_left_out_column_is_not_checked() -> None:
    values = np.array([[NAN, 1.0], [NAN, 2.0]])
    result = np.array([[NAN, 0.0], [NAN, 100.0]])
    require_finite(values, result, np.array([False, True]), "min-max")  # no exception


def test_an_overflowing_range_names_the_column_and_the_most_extreme_city() -> None:
    # column 1: 1e308 - (-1.5e308) overflows; the largest magnitude is city 2's
    values = np.array([[1.0, 1e308], [2.0, NAN], [3.0, -1.5e308]])
    with pytest.raises(NonFiniteIntermediate) as raised:
        min_max(values, np.array([True, True]))
    assert (raised.value.indicator, raised.value.city, raised.value.step) == (1, 2, "min-max")
    assert str(raised.value) == "non-finite min-max in column 1"


def test_an_overflowing_spread_is_refused_for_z_scores() -> None:
    values = np.array([[1.0, -1.7e308], [2.0, 1.6e308], [3.0, 0.0]])
    with pytest.raises(NonFiniteIntermediate) as raised:
        z_score(values, np.array([True, True]))
    assert (raised.value.indicator, raised.value.city, raised.value.step) == (1, 0, "z-score")


def test_a_non_finite_cell_is_refused_even_with_finite_statistics() -> None:
    values = np.array([[1.0, 5.0], [2.0, NAN], [3.0, 7.0]])
    result = np.array([[0.0, 0.0], [50.0, NAN], [100.0, math.inf]])
    with pytest.raises(NonFiniteIntermediate) as raised:
        require_finite(values, result, np.array([True, True]), "min-max")
    assert (raised.value.indicator, raised.value.city) == (1, 2)


def test_the_most_extreme_city_is_one_with_a_value_even_when_values_are_small() -> None:
    # Magnitudes below 1: a city without a value must never look more extreme.
    values = np.array([[0.5, 1.0], [NAN, 2.0], [0.25, 3.0]])
    result = np.array([[0.0, 0.0], [NAN, 50.0], [math.inf, 100.0]])
    with pytest.raises(NonFiniteIntermediate) as raised:
        require_finite(values, result, np.array([True, True]), "min-max")
    assert (raised.value.indicator, raised.value.city) == (0, 0)


def test_left_out_columns_and_overflow_warn_nobody() -> None:
    # A left-out indicator (all NaN) and an overflowing range are handled without a numpy
    # warning reaching the user's terminal.
    left_out = np.array([[NAN, 10.0], [NAN, 30.0], [NAN, 50.0]])
    higher = np.array([True, True])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _same(min_max(left_out, higher), [[NAN, 0.0], [NAN, 50.0], [NAN, 100.0]])
        _same(
            to_positive_scale(min_max(left_out, higher), "zscore"),
            [[NAN, 1.0], [NAN, 51.0], [NAN, 101.0]],
        )
        z = z_score(left_out, higher)
        assert np.isnan(z[:, 0]).all()
        with pytest.raises(NonFiniteIntermediate):
            min_max(np.array([[1e308], [-1.5e308]]), np.array([True]))
        with pytest.raises(NonFiniteIntermediate):
            z_score(np.array([[1.7e308], [-1.7e308], [1.7e308]]), np.array([True]))
