"""Training and leave-one-country-out evaluation of the matcher's learned parts.

Shared by ``train_matching.py`` (which writes the parameter file) and ``bench_match.py``
(which reports the figures). Everything here uses the eleven dev countries only.

* ``fold_model(country)``: the transliteration model trained on the name pairs of the other
  ten dev countries (``None``: all eleven), cached under benchmarks/out/cache;
* ``run(...)``: every dev query of some countries matched in both directions, with and
  without the country hint, reduced to ``Outcome`` records that keep what the calibration
  reads;
The calibration of the bands is fitted in ``matching_calibration.py``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Sequence
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
from verifier.core.matching.forms import analyse
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.learned.model import TransliterationModel
from verifier.core.matching.learned.parameters import MatchingParameters
from verifier.core.matching.learned.training import fit_similarity, train

CACHE = Path(__file__).resolve().parent / "out" / "cache"
TRADITION_TABLES = ("", "french", "english")
EM_ITERATIONS = 10
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
    # The label is also a large city's name elsewhere (foreign.py): kept out of ``auto``.
    abroad: bool = False


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
        abroad=bool(top and top.parts.get("foreign_homonym")),
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


def loco(
    parameters_for: Callable[[str | None], MatchingParameters],
    hints: Sequence[bool] = (False, True),
) -> list[Outcome]:
    """Every dev country's outcomes under ``parameters_for(country)`` (parameters whose
    model never saw that country)."""
    outcomes: list[Outcome] = []
    for country in DEV_COUNTRIES:
        outcomes.extend(run([country], parameters_for(country), hints))
    return outcomes


def outsider_labels(
    gazetteer: list[GazetteerEntry], skip: int = 0, count: int = 300
) -> tuple[list[str], list[str]]:
    """Names of the ``count`` most populous non-League cities after the ``skip`` largest
    that are not homonyms of a gazetteer name (same normalised words or same phonetic key):
    no matcher can tell those apart without a country, and with one the country penalty
    keeps them out of ``auto``."""
    known: set[str] = set()
    for entry in gazetteer:
        for name in (entry.name_en, entry.name_ar, *entry.aliases):
            for form in analyse(name, guess_order=False) if name else ():
                known.add(form.plain)
                known.update(form.key_strings)
    labels: list[str] = []
    homonyms: list[str] = []
    for label, _ in outside_cities(count, skip):
        forms = analyse(label, guess_order=False)
        if any(form.plain in known or form.key in known for form in forms):
            homonyms.append(label)
        else:
            labels.append(label)
    return labels, homonyms


def outsiders(
    parameters: MatchingParameters, homonyms: bool = False, skip: int = 0
) -> list[tuple[str, MatchResult]]:
    """(gazetteer name, result) of every outsider label against both dev gazetteers (with
    ``homonyms``: the labels spelled like a gazetteer name instead)."""
    found = []
    for devset in devsets():
        labels, alike = outsider_labels(devset.gazetteer, skip)
        matcher = matcher_for(devset, parameters)
        chosen = alike if homonyms else labels
        for result in matcher.match_many([(label, None) for label in chosen]):
            found.append((devset.name, result))
    return found


def outsider_outcome(r: MatchResult, confidence: float) -> Outcome:
    """A label from outside the gazetteer as the calibration sees it: never a correct match."""
    return Outcome(
        "",
        "outsider",
        False,
        False,
        False,
        r.top.score if r.top else 0.0,
        r.margin if r.margin is not None else math.inf,
        False,
        confidence,
        dict(r.features),
        bool(r.top and r.top.parts.get("foreign_homonym")),
    )


def outsider_outcomes(parameters: MatchingParameters) -> list[Outcome]:
    return [outsider_outcome(r, r.confidence or 0.0) for _, r in outsiders(parameters)]


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
