"""The figures of a QA sample, as pure functions (docs/qa.md gives the formulas and a worked
example that the tests check by hand).

- Observed agreement: the share of reviewed items whose two decisions are the same.
- Cohen's kappa over the three decision statuses: agreement beyond what two reviewers
  deciding independently, each at their own rates, would reach by chance.
- The error rate of the verified data with a 95% Wilson score interval.

The normal quantile comes from the standard library's ``statistics.NormalDist``; the tests
check these functions against scipy's and scikit-learn's implementations. (Importing
``scipy.stats`` takes about a second, half of the time a report may take.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist

CATEGORIES = ("verified", "rejected", "flagged")
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def confusion(
    pairs: Iterable[tuple[str, str]], categories: Sequence[str] = CATEGORIES
) -> list[list[int]]:
    """Counts of (first, second) decisions: rows are the first decision, columns the second."""
    index = {category: n for n, category in enumerate(categories)}
    table = [[0] * len(categories) for _ in categories]
    for first, second in pairs:
        table[index[first]][index[second]] += 1
    return table


def observed_agreement(table: Sequence[Sequence[int]]) -> float | None:
    """Share of items on the diagonal; None when nothing was reviewed."""
    total = sum(map(sum, table))
    if total == 0:
        return None
    return sum(table[k][k] for k in range(len(table))) / total


def cohen_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """(p_o - p_e) / (1 - p_e), with p_e = sum over categories of the product of the two
    reviewers' shares of that category.

    None when it is undefined: nothing reviewed, or p_e = 1 (both reviewers used one and the
    same category for every item, so chance alone explains their agreement and the ratio is
    0/0). With perfect agreement over two or more categories kappa is 1.
    """
    total = sum(map(sum, table))
    if total == 0:
        return None
    size = len(table)
    observed = sum(table[k][k] for k in range(size)) / total
    first = [sum(table[k]) / total for k in range(size)]
    second = [sum(table[j][k] for j in range(size)) / total for k in range(size)]
    expected = sum(a * b for a, b in zip(first, second, strict=True))
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def wilson_interval(errors: int, total: int, confidence: float = CONFIDENCE) -> Interval:
    """The Wilson score interval of the proportion ``errors / total``.

    With z the normal quantile at (1 + confidence) / 2 and p = errors / total:
    centre = (p + z²/2n) / (1 + z²/n), half-width = z √(p(1-p)/n + z²/4n²) / (1 + z²/n).
    With no observation at all the proportion could be anything: [0, 1].
    """
    if not 0 <= errors <= total:
        raise ValueError(f"errors ({errors}) must lie between 0 and total ({total})")
    if total == 0:
        return Interval(0.0, 1.0)
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    p = errors / total
    z2n = z * z / total
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / total + z2n / (4 * total)) / (1 + z2n)
    # At the ends the exact bound is 0 (no error) or 1 (all errors); floating point would
    # leave rounding noise there.
    low = 0.0 if errors == 0 else max(0.0, centre - half)
    high = 1.0 if errors == total else min(1.0, centre + half)
    return Interval(low, high)
