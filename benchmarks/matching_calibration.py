"""The calibration of the bands, fitted on ``matching_learning`` outcomes: a logistic model of
correctness (``fit_calibration``) and its ``auto`` threshold (``choose_threshold``: precision
target overall, a precision floor per country, no outsider in ``auto``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matching_learning import Outcome

from verifier.core.matching.calibration import FEATURES as SHIPPED_FEATURES
from verifier.core.matching.calibration import MONOTONE, Calibration

# The features fitted: the shipped ones (matching_calibration_data tries one more).
FEATURES: tuple[str, ...] = SHIPPED_FEATURES

# Calibration target: precision of ``auto`` over all calibration countries, a little above
# the 0.99 goal to leave room, and a floor for each country with enough ``auto`` matches.
TARGET_PRECISION = 0.995
COUNTRY_FLOOR = 0.98
COUNTRY_MIN_AUTO = 20
# L2 penalty of the logistic calibration (per coefficient, on features of unit scale).
L2 = 1e-3


def _matrix(outcomes: Sequence[Outcome]) -> np.ndarray:
    return np.array([[o.features.get(name, 0.0) for name in FEATURES] for o in outcomes])


def fit_calibration(outcomes: Sequence[Outcome], threshold: float = 0.5) -> Calibration:
    """Logistic regression of correctness on FEATURES (Newton's method, L2), with the
    MONOTONE features' coefficients kept non-negative (refitted without any that come out
    negative)."""
    x = _matrix(outcomes)
    y = np.array([o.correct for o in outcomes], dtype=float)
    free = list(range(len(FEATURES)))
    while True:
        weights, intercept = _newton(x[:, free], y)
        negative = [
            column
            for column, weight in zip(free, weights, strict=True)
            if FEATURES[column] in MONOTONE and weight < 0
        ]
        if not negative:
            break
        free = [column for column in free if column not in negative]
    coefficients = dict.fromkeys(FEATURES, 0.0)
    for column, weight in zip(free, weights, strict=True):
        coefficients[FEATURES[column]] = float(weight)
    return Calibration(float(intercept), coefficients, threshold)


def _newton(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], L2 * len(x))
    penalty[-1] = 0.0
    for _ in range(100):
        z = design @ beta
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
        gradient = design.T @ (p - y) + penalty * beta
        curvature = p * (1 - p)
        hessian = design.T @ (design * curvature[:, None]) + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-9:
            break
    return beta[:-1], float(beta[-1])


def confidences(calibration: Calibration, outcomes: Sequence[Outcome]) -> np.ndarray:
    return np.array([calibration.probability(o.features) for o in outcomes])


@dataclass(frozen=True)
class Operating:
    threshold: float
    precision: float
    coverage: float
    auto: int
    wrong: int
    total: int


def is_auto(calibration: Calibration, outcome: Outcome, threshold: float) -> bool:
    return (
        calibration.probability(outcome.features) >= threshold
        and not outcome.conflict
        and not outcome.abroad
        and outcome.score >= 70.0
    )


def operating_point(
    calibration: Calibration, outcomes: Sequence[Outcome], threshold: float
) -> Operating:
    p = confidences(calibration, outcomes)
    conflict = np.array([o.conflict or o.abroad for o in outcomes], dtype=bool)
    correct = np.array([o.correct for o in outcomes], dtype=bool)
    reviewable = np.array([o.score >= 70.0 for o in outcomes], dtype=bool)
    auto = (p >= threshold) & ~conflict & reviewable
    count, wrong = int(auto.sum()), int((auto & ~correct).sum())
    return Operating(
        threshold,
        1.0 if count == 0 else (count - wrong) / count,
        count / max(len(outcomes), 1),
        count,
        wrong,
        len(outcomes),
    )


def choose_threshold(
    calibration: Calibration, outcomes: Sequence[Outcome], outsiders: Sequence[Outcome]
) -> Operating:
    """The threshold with the most ``auto`` matches whose precision reaches
    TARGET_PRECISION, whose every country with COUNTRY_MIN_AUTO or more ``auto`` matches
    keeps COUNTRY_FLOOR, and above every outsider's probability."""
    p = confidences(calibration, outcomes)
    conflict = np.array([o.conflict or o.abroad for o in outcomes], dtype=bool)
    correct = np.array([o.correct for o in outcomes], dtype=bool)
    reviewable = np.array([o.score >= 70.0 for o in outcomes], dtype=bool)
    countries = np.array([o.country for o in outcomes])
    masks = [countries == c for c in sorted(set(countries.tolist()))]
    outsider_p = confidences(calibration, outsiders)
    outsider_ok = np.array([o.score >= 70.0 and not o.abroad for o in outsiders], dtype=bool)
    floor = float(outsider_p[outsider_ok].max()) if outsider_ok.any() else 0.0
    best: Operating | None = None
    for threshold in np.unique(p):
        if threshold <= floor:
            continue
        auto = (p >= threshold) & ~conflict & reviewable
        count = int(auto.sum())
        wrong = int((auto & ~correct).sum())
        precision = 1.0 if count == 0 else (count - wrong) / count
        if precision < TARGET_PRECISION:
            continue
        if not all(
            (a := int((auto & m).sum())) < COUNTRY_MIN_AUTO
            or (a - int((auto & m & ~correct).sum())) / a >= COUNTRY_FLOOR
            for m in masks
        ):
            continue
        point = Operating(
            float(threshold), precision, count / len(outcomes), count, wrong, len(outcomes)
        )
        if best is None or point.auto > best.auto:
            best = point
    if best is None:
        return Operating(1.0, 1.0, 0.0, 0, 0, len(outcomes))
    return best
