"""The QA statistics against hand-computed examples (docs/qa.md's worked example among
them), the degenerate cases, and two independent implementations."""

from __future__ import annotations

import math

import pytest

from verifier.core.qa.stats import cohen_kappa, confusion, observed_agreement, wilson_interval

Z = 1.959963984540054  # the normal quantile at 0.975
WORKED = [[12, 1, 1], [1, 5, 0], [0, 0, 0]]  # docs/qa.md: rows first, columns second


def test_the_worked_example_of_the_documentation() -> None:
    # Agreement: (12 + 5) / 20.
    assert observed_agreement(WORKED) == 0.85
    # Chance: first shares 0.70, 0.30, 0; second 0.65, 0.30, 0.05.
    p_e = 0.70 * 0.65 + 0.30 * 0.30 + 0.0 * 0.05
    assert p_e == pytest.approx(0.545, abs=1e-12)
    assert cohen_kappa(WORKED) == pytest.approx((0.85 - 0.545) / (1 - 0.545), abs=1e-12)
    assert round(cohen_kappa(WORKED) or 0, 4) == 0.6703
    # Error rate 2/14 with its Wilson interval, written out term by term.
    n, p = 14, 2 / 14
    z2n = Z * Z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + z2n)
    interval = wilson_interval(2, 14)
    assert (round(z2n, 6), round(centre, 6), round(half, 6)) == (0.27439, 0.219754, 0.17966)
    assert interval.low == pytest.approx(centre - half, abs=1e-12)
    assert interval.high == pytest.approx(centre + half, abs=1e-12)
    assert (round(interval.low, 4), round(interval.high, 4)) == (0.0401, 0.3994)
    # After the flagged item is upheld: 1 error in 14.
    after = wilson_interval(1, 14)
    assert (round(after.low, 4), round(after.high, 4)) == (0.0127, 0.3147)


def test_confusion_counts_pairs_in_category_order() -> None:
    pairs = [("verified", "verified")] * 3 + [("verified", "rejected"), ("rejected", "flagged")]
    assert confusion(pairs) == [[3, 1, 0], [0, 0, 1], [0, 0, 0]]


def test_all_items_agree_over_two_categories_is_kappa_one() -> None:
    table = [[7, 0, 0], [0, 3, 0], [0, 0, 0]]
    assert observed_agreement(table) == 1.0
    assert cohen_kappa(table) == 1.0


def test_one_category_only_leaves_kappa_undefined() -> None:
    table = [[9, 0, 0], [0, 0, 0], [0, 0, 0]]
    assert observed_agreement(table) == 1.0
    assert cohen_kappa(table) is None


def test_nothing_reviewed() -> None:
    empty = [[0] * 3 for _ in range(3)]
    assert observed_agreement(empty) is None
    assert cohen_kappa(empty) is None
    assert wilson_interval(0, 0) == wilson_interval(0, 0).__class__(0.0, 1.0)


def test_kappa_below_chance_is_negative() -> None:
    # Every verified first decision rejected the second time and the reverse: p_o = 0,
    # p_e = 0.5 * 0.5 + 0.5 * 0.5 = 0.5, kappa = -0.5 / 0.5 = -1.
    assert cohen_kappa([[0, 2, 0], [2, 0, 0], [0, 0, 0]]) == -1.0


def test_wilson_at_the_ends() -> None:
    none = wilson_interval(0, 20)
    assert none.low == 0.0
    assert none.high == pytest.approx(Z * Z / (20 + Z * Z), abs=1e-12)  # 0.1611
    assert round(none.high, 4) == 0.1611
    every = wilson_interval(10, 10)
    assert every.high == 1.0
    assert every.low == pytest.approx(10 / (10 + Z * Z), abs=1e-12)
    with pytest.raises(ValueError, match="between 0 and total"):
        wilson_interval(3, 2)


@pytest.mark.parametrize("errors,total", [(0, 1), (1, 14), (2, 14), (7, 40), (39, 40), (5, 500)])
def test_wilson_agrees_with_scipy(errors: int, total: int) -> None:
    from scipy.stats import binomtest

    expected = binomtest(errors, total).proportion_ci(confidence_level=0.95, method="wilson")
    found = wilson_interval(errors, total)
    assert found.low == pytest.approx(float(expected.low), abs=1e-12)
    assert found.high == pytest.approx(float(expected.high), abs=1e-12)


def test_kappa_agrees_with_scikit_learn() -> None:
    from sklearn.metrics import cohen_kappa_score

    labels = ["verified", "rejected", "flagged"]
    first = ["verified"] * 14 + ["rejected"] * 6
    second = ["verified"] * 12 + ["rejected", "flagged", "verified"] + ["rejected"] * 5
    expected = cohen_kappa_score(first, second, labels=labels)
    assert cohen_kappa(confusion(zip(first, second, strict=True))) == pytest.approx(expected)
