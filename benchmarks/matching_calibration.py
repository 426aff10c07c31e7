"""Band thresholds from measurements: precision/coverage of ``auto`` over a grid of
(minimum score, minimum margin), and leave-one-country-out calibration.

An outcome is one matched query reduced to what the band rule sees (best score, margin over
the next city, country conflict) and whether the best candidate was right.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

SCORE_GRID = np.arange(85.0, 100.01, 0.5)
MARGIN_GRID = np.arange(0.0, 14.01, 0.5)  # below the country penalty, see bands.py
TARGET_PRECISION = 0.995  # calibrate a little above the 0.99 goal, to leave room
# No single country may fall far below the goal either: each calibration country with at
# least COUNTRY_MIN_AUTO accepted matches must keep this precision.
COUNTRY_FLOOR = 0.98
COUNTRY_MIN_AUTO = 20


@dataclass(frozen=True)
class Outcome:
    country: str
    score: float
    margin: float  # inf when there is no other candidate
    conflict: bool  # the best candidate contradicts the country hint
    correct: bool


@dataclass(frozen=True)
class Operating:
    min_score: float
    min_margin: float
    precision: float
    coverage: float
    auto: int
    wrong: int
    total: int


def _arrays(outcomes: Sequence[Outcome]) -> tuple[np.ndarray, ...]:
    return (
        np.array([o.score for o in outcomes], dtype=float),
        np.array([o.margin for o in outcomes], dtype=float),
        np.array([o.conflict for o in outcomes], dtype=bool),
        np.array([o.correct for o in outcomes], dtype=bool),
    )


def operating_point(outcomes: Sequence[Outcome], min_score: float, min_margin: float) -> Operating:
    score, margin, conflict, correct = _arrays(outcomes)
    auto = (score >= min_score) & (margin >= min_margin) & ~conflict
    count = int(auto.sum())
    wrong = int((auto & ~correct).sum())
    precision = 1.0 if count == 0 else (count - wrong) / count
    coverage = count / max(len(outcomes), 1)
    return Operating(min_score, min_margin, precision, coverage, count, wrong, len(outcomes))


def choose(
    outcomes: Sequence[Outcome],
    outsiders: Sequence[Outcome] = (),
    target: float = TARGET_PRECISION,
) -> Operating:
    """The grid point with the largest ``auto`` share whose precision reaches ``target`` and
    that lets no outsider (a city absent from the gazetteer) into ``auto``; ties go to the
    stricter point."""
    score, margin, conflict, correct = _arrays(outcomes)
    out_score, out_margin, out_conflict, _ = _arrays(outsiders) if outsiders else _arrays([])
    countries = np.array([o.country for o in outcomes])
    masks = [countries == country for country in sorted(set(countries.tolist()))]
    best: Operating | None = None
    for min_score in SCORE_GRID:
        for min_margin in MARGIN_GRID:
            outsider_auto = (out_score >= min_score) & (out_margin >= min_margin) & ~out_conflict
            if outsider_auto.any():
                continue
            auto = (score >= min_score) & (margin >= min_margin) & ~conflict
            count = int(auto.sum())
            wrong = int((auto & ~correct).sum())
            precision = 1.0 if count == 0 else (count - wrong) / count
            if precision < target or not _countries_hold(auto, correct, masks):
                continue
            point = Operating(
                float(min_score),
                float(min_margin),
                precision,
                count / len(outcomes),
                count,
                wrong,
                len(outcomes),
            )
            if best is None or (point.auto, -point.min_score, -point.min_margin) > (
                best.auto,
                -best.min_score,
                -best.min_margin,
            ):
                best = point
    if best is None:
        return Operating(
            float(SCORE_GRID[-1]), float(MARGIN_GRID[-1]), 1.0, 0.0, 0, 0, len(outcomes)
        )
    return best


def _countries_hold(auto: np.ndarray, correct: np.ndarray, masks: list[np.ndarray]) -> bool:
    """Whether every country with enough accepted matches keeps COUNTRY_FLOOR precision."""
    for mask in masks:
        accepted = int((auto & mask).sum())
        if accepted >= COUNTRY_MIN_AUTO:
            wrong = int((auto & mask & ~correct).sum())
            if (accepted - wrong) / accepted < COUNTRY_FLOOR:
                return False
    return True


def leave_one_country_out(
    outcomes: Sequence[Outcome], outsiders: Sequence[Outcome], countries: Iterable[str]
) -> dict[str, tuple[Operating, Operating]]:
    """For each country: thresholds chosen on the other countries, and how they do on it."""
    figures = {}
    for country in countries:
        calibration = [o for o in outcomes if o.country != country]
        held_out = [o for o in outcomes if o.country == country]
        chosen = choose(calibration, outsiders)
        figures[country] = (chosen, operating_point(held_out, chosen.min_score, chosen.min_margin))
    return figures


def pooled(points: Iterable[Operating]) -> Operating:
    """Micro-average of per-country operating points (each with its own thresholds)."""
    points = list(points)
    auto = sum(p.auto for p in points)
    wrong = sum(p.wrong for p in points)
    total = sum(p.total for p in points)
    precision = 1.0 if auto == 0 else (auto - wrong) / auto
    return Operating(
        float("nan"), float("nan"), precision, auto / total if total else 0.0, auto, wrong, total
    )


def curve(outcomes: Sequence[Outcome], min_margin: float) -> list[Operating]:
    """Precision and coverage as the minimum score varies, at a fixed minimum margin."""
    return [operating_point(outcomes, float(s), min_margin) for s in SCORE_GRID]
