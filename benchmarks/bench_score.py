"""Time the scorer on a publication the size of the LAS ranking: 62 cities x 11 indicators.

The publication is synthetic (seeded): 3 domains, 18 experts, about 8% of values missing.
Each measurement is repeated and the median reported, because single timings are noisy.

    .venv/bin/python benchmarks/bench_score.py [--repeat 7] [--runs 1000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import time
from typing import Any

import numpy as np

from verifier.core.scoring import ScoringOptions, parse_snapshot, score

DOMAINS = {"traditional": 4, "digital": 4, "institutional": 3}


def synthetic_publication(
    cities: int = 62, experts: int = 18, missing_share: float = 0.08, seed: int = 7
) -> dict[str, Any]:
    """A valid ``verifier.publication/1`` document with random values and weights."""
    rng = np.random.default_rng(seed)
    indicators = [
        {
            "code": f"{domain[:3].upper()}-{n + 1}",
            "domain": domain,
            "name_en": f"{domain} indicator {n + 1}",
            "name_ar": f"مؤشر {n + 1}",
            "unit": "%",
            "direction": "lower" if n == 0 else "higher",
            "min": 0,
            "max": 100,
        }
        for domain, count in DOMAINS.items()
        for n in range(count)
    ]
    city_ids = [f"c{c:03d}" for c in range(cities)]
    values = [
        {
            "city": city,
            "indicator": indicator["code"],
            "value": round(float(rng.uniform(0, 100)), 2),
            "year": 2023,
            "unit": "%",
            "evidence": [int(rng.integers(1, 10_000))],
        }
        for city in city_ids
        for indicator in indicators
        if rng.random() >= missing_share
    ]
    doc: dict[str, Any] = {
        "format": "verifier.publication/1",
        "edition": {"code": "bench", "name": "Benchmark edition", "name_ar": "نسخة"},
        "publication": {
            "id": 1,
            "number": 1,
            "parent_id": None,
            "created_by": "bench",
            "created_at": "2026-01-01T00:00:00Z",
            "note": None,
            "value_count": len(values),
            "coverage": round(len(values) / (cities * len(indicators)), 4),
        },
        "domains": [{"code": d, "name_en": d.title(), "name_ar": "مجال"} for d in DOMAINS],
        "indicators": indicators,
        "cities": [
            {"id": city, "name_en": f"City {city}", "name_ar": "مدينة", "country": "XX"}
            for city in city_ids
        ],
        "experts": [
            {
                "code": f"E{e + 1:02d}",
                "domain_weights": {d: int(rng.integers(10, 50)) for d in DOMAINS},
                "indicator_weights": {ind["code"]: int(rng.integers(5, 40)) for ind in indicators},
            }
            for e in range(experts)
        ],
        "values": values,
    }
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    doc["publication"]["sha256"] = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return doc


def median_seconds(task: Any, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        task()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    doc = synthetic_publication()
    snapshot = parse_snapshot(doc)
    nominal = ScoringOptions(uncertainty_runs=0)
    with_runs = ScoringOptions(uncertainty_runs=args.runs)
    score(snapshot, with_runs)  # warm-up: imports and first-call allocations

    parse_time = median_seconds(lambda: parse_snapshot(doc), args.repeat)
    nominal_time = median_seconds(lambda: score(snapshot, nominal), args.repeat)
    full_time = median_seconds(lambda: score(snapshot, with_runs), args.repeat)
    ranked = len(score(snapshot, nominal).ranked)
    print(
        f"publication: {len(snapshot.cities)} cities x {len(snapshot.indicators)} indicators, "
        f"{len(snapshot.experts)} experts, {len(snapshot.values)} values, {ranked} ranked"
    )
    print(f"median of {args.repeat} repeats:")
    print(f"  parse snapshot                 {parse_time * 1000:8.2f} ms")
    print(f"  nominal scoring                {nominal_time * 1000:8.2f} ms")
    print(f"  scoring + {args.runs:>5} Monte Carlo runs {full_time * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
