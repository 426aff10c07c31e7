"""Training and leave-one-country-out evaluation of the matcher's learned parts.

Shared by ``train_matching.py`` (which writes the parameter file) and ``bench_match.py``
(which reports the figures). Everything here uses the eleven dev countries only.

* ``fold_model(country)``: the transliteration model trained on the name pairs of the other
  ten dev countries (``None``: all eleven), cached under benchmarks/out/cache;
* ``run(...)``: every dev query of some countries matched in both directions, with and
  without the country hint, reduced to ``Outcome`` records that keep what the calibration
  reads;
* ``fit_calibration`` and ``choose_threshold``: the logistic calibration and its ``auto``
  threshold (precision target overall, a precision floor per country, no outsider in
  ``auto``).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from matching_devset import (
    DEV_COUNTRIES,
    DevSet,
    arabic_to_english,
    english_to_arabic,
    mixed_scripts,
    outside_cities,
    training_pairs,
)

from verifier.core.matching import Matcher, MatchResult
from verifier.core.matching.calibration import FEATURES, MONOTONE, Calibration
from verifier.core.matching.forms import analyse
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.learned.model import TransliterationModel
from verifier.core.matching.learned.parameters import MatchingParameters
from verifier.core.matching.learned.training import fit_similarity, train

CACHE = Path(__file__).resolve().parent / "out" / "cache"
TRADITION_TABLES = ("", "french", "english")
EM_ITERATIONS = 10
# Calibration target: precision of ``auto`` over all calibration countries, a little above
# the 0.99 goal to leave room, and a floor for each country with enough ``auto`` matches.
TARGET_PRECISION = 0.995
COUNTRY_FLOOR = 0.98
COUNTRY_MIN_AUTO = 20
# L2 penalty of the logistic calibration (per coefficient, on features of unit scale).
L2 = 1e-3
_VERSION = "learned-2"


@dataclass(frozen=True)
class Outcome:
    country: str
    direction: str  # "Ar→En" | "En→Ar" | "outsider"
    hint: bool
    correct: bool
    top3: bool
    score: float
    margin: float
    conflict: bool
    confidence: float
    features: dict[str, float]


# -- the transliteration model per fold ------------------------------------------------


def _pairs_for(countries: Iterable[str]) -> list:
    wanted = set(countries)
    return [pair for country, pair in _all_pairs() if country in wanted]


@lru_cache(maxsize=1)
def _all_pairs() -> tuple:
    return tuple(training_pairs())


def fold_model(held_out: str | None) -> TransliterationModel:
    """The model trained on the dev countries other than ``held_out`` (all when None),
    round-tripped through the parameter file format (what ships), cached on disk."""
    countries = [c for c in DEV_COUNTRIES if c != held_out]
    pairs = _pairs_for(countries)
    digest = hashlib.sha256(
        json.dumps(
            [
                _VERSION,
                EM_ITERATIONS,
                TRADITION_TABLES,
                [(p.arabic, p.latin, p.tradition) for p in pairs],
            ],
            ensure_ascii=False,
        ).encode()
    ).hexdigest()[:16]
    path = CACHE / f"transliteration-{held_out or 'all'}-{digest}.json"
    if path.exists():
        return TransliterationModel.load(path)
    model, _ = train(pairs, TRADITION_TABLES, EM_ITERATIONS)
    model.meta["trained_on"] = countries
    CACHE.mkdir(parents=True, exist_ok=True)
    model.save(path)
    return TransliterationModel.load(path)


# -- matching runs -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def devsets() -> tuple[DevSet, DevSet, DevSet]:
    """Ar→En and En→Ar (the accuracy figures), and labels in either script against both
    names (for the calibration of same-script matches)."""
    return arabic_to_english(), english_to_arabic(), mixed_scripts()


_matchers: dict[str, Matcher] = {}


def matcher_for(devset: DevSet, parameters: MatchingParameters) -> Matcher:
    base = _matchers.get(devset.name)
    if base is None:
        base = _matchers[devset.name] = Matcher.from_entries(devset.gazetteer, parameters)
    return base.with_parameters(parameters)


def outcome(result: MatchResult, devset: DevSet, truth: str, country: str, hint: bool) -> Outcome:
    ids = [c.city_id for c in result.candidates]
    top = result.top
    return Outcome(
        country=country,
        direction=devset.name,
        hint=hint,
        correct=bool(ids) and devset.correct(ids[0], truth),
        top3=any(devset.correct(i, truth) for i in ids[:3]),
        score=top.score if top else 0.0,
        margin=result.margin if result.margin is not None else math.inf,
        conflict=bool(top and top.country_match is False),
        confidence=result.confidence or 0.0,
        features=dict(result.features),
    )


def run(
    countries: Sequence[str], parameters: MatchingParameters, hints: Sequence[bool] = (False, True)
) -> list[Outcome]:
    """The dev queries of ``countries``, both directions, each hint setting."""
    outcomes: list[Outcome] = []
    wanted = set(countries)
    for devset in devsets():
        matcher = matcher_for(devset, parameters)
        queries = [q for q in devset.queries if q.country in wanted]
        for hint in hints:
            results = matcher.match_many(
                [(q.text, q.country if hint else None) for q in queries], top=3
            )
            outcomes.extend(
                outcome(r, devset, q.truth, q.country, hint)
                for q, r in zip(queries, results, strict=True)
            )
    return outcomes


def loco(parameters_for: callable, hints: Sequence[bool] = (False, True)) -> list[Outcome]:
    """Every dev country's outcomes under ``parameters_for(country)`` (parameters whose
    model never saw that country)."""
    outcomes: list[Outcome] = []
    for country in DEV_COUNTRIES:
        outcomes.extend(run([country], parameters_for(country), hints))
    return outcomes


def outsider_labels(gazetteer: list[GazetteerEntry]) -> tuple[list[str], int]:
    """Names of large non-League cities that are not homonyms of a gazetteer name (same
    normalised words or same phonetic key): no matcher can tell those apart without a
    country, and with one the country penalty keeps them out of ``auto``."""
    known: set[str] = set()
    for entry in gazetteer:
        for name in (entry.name_en, entry.name_ar, *entry.aliases):
            for form in analyse(name, guess_order=False) if name else ():
                known.add(form.plain)
                known.update(form.key_strings)
    labels, homonyms = [], 0
    for label, _ in outside_cities():
        forms = analyse(label, guess_order=False)
        if any(form.plain in known or form.key in known for form in forms):
            homonyms += 1
        else:
            labels.append(label)
    return labels, homonyms


def outsiders(parameters: MatchingParameters) -> list[tuple[str, MatchResult]]:
    """(gazetteer name, result) of every outsider label against both dev gazetteers."""
    found = []
    for devset in devsets():
        labels, _ = outsider_labels(devset.gazetteer)
        matcher = matcher_for(devset, parameters)
        for result in matcher.match_many([(label, None) for label in labels]):
            found.append((devset.name, result))
    return found


def outsider_outcomes(parameters: MatchingParameters) -> list[Outcome]:
    return [
        Outcome(
            "",
            "outsider",
            False,
            False,
            False,
            r.top.score if r.top else 0.0,
            r.margin if r.margin is not None else math.inf,
            False,
            r.confidence or 0.0,
            dict(r.features),
        )
        for _, r in outsiders(parameters)
    ]


# -- similarity curve ------------------------------------------------------------------------


def confusable_pairs(parameters: MatchingParameters) -> list[tuple[str, str, str, str, bool, bool]]:
    """(country, query text, candidate text, candidate's tradition, query is Arabic, same
    city) for each dev query and each of the rules' top five candidates in the other
    script: the true pairs and the wrong ones the rules find close, on which the similarity
    curves are fitted. Computed with the learned score switched off."""
    from verifier.core.matching import traditions

    rules_only = replace(parameters, learned_weight=0.0)
    found: list[tuple[str, str, str, str, bool, bool]] = []
    for devset in devsets():
        matcher = matcher_for(devset, rules_only)
        entries = {e.city_id: e for e in devset.gazetteer}
        results = matcher.match_many([(q.text, None) for q in devset.queries], top=5)
        for query, result in zip(devset.queries, results, strict=True):
            query_forms = analyse(query.text, guess_order=False)
            if not query_forms:
                continue
            for candidate in result.candidates:
                name_forms = analyse(candidate.matched_name, guess_order=False)
                if not name_forms or name_forms[0].script == query_forms[0].script:
                    continue
                found.append(
                    (
                        query.country,
                        query_forms[0].model_text,
                        name_forms[0].model_text,
                        traditions.primary(entries[candidate.city_id].country),
                        query_forms[0].script == "arabic",
                        devset.correct(candidate.city_id, query.truth),
                    )
                )
    return found


def fitted_similarity(
    model: TransliterationModel, pairs: Sequence[tuple[str, str, str, str, bool, bool]]
) -> TransliterationModel:
    """The model with each channel's similarity curve fitted on ``pairs``."""
    channels = {}
    for arabic_query in (True, False):
        chosen = [p for p in pairs if p[4] is arabic_query]
        channel = model.channel(arabic_query)
        ratios = channel.log_ratio(
            [p[2] for p in chosen], [p[1] for p in chosen], [p[3] for p in chosen]
        )
        truth = np.array([p[5] for p in chosen], dtype=bool)
        slope, centre = fit_similarity(ratios[truth], ratios[~truth])
        channels[arabic_query] = replace(channel, slope=slope, centre=centre)
    return replace(model, to_arabic=channels[True], to_latin=channels[False])


# -- calibration ---------------------------------------------------------------------------


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
        and outcome.score >= 70.0
    )


def operating_point(
    calibration: Calibration, outcomes: Sequence[Outcome], threshold: float
) -> Operating:
    p = confidences(calibration, outcomes)
    conflict = np.array([o.conflict for o in outcomes], dtype=bool)
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
    conflict = np.array([o.conflict for o in outcomes], dtype=bool)
    correct = np.array([o.correct for o in outcomes], dtype=bool)
    reviewable = np.array([o.score >= 70.0 for o in outcomes], dtype=bool)
    countries = np.array([o.country for o in outcomes])
    masks = [countries == c for c in sorted(set(countries.tolist()))]
    outsider_p = confidences(calibration, outsiders)
    outsider_ok = np.array([o.score >= 70.0 for o in outsiders], dtype=bool)
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
