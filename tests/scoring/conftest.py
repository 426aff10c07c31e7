"""Publication documents for the scorer's tests, built from compact tables.

``worked_example`` is the example of docs/scoring.md; the expected numbers in the tests are
derived from it by hand there and in the test comments.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer

from verifier.cli.app import VerifierGroup, root
from verifier.cli.commands import score_cmd

Values = dict[str, dict[str, float]]
DocBuilder = Callable[..., dict[str, Any]]


Weights = dict[str, tuple[dict[str, float], dict[str, float]]]


def build_doc(
    indicators: list[tuple[str, str, str]],
    values: Values,
    experts: Weights,
    cities: list[tuple[str, str, str]] | None = None,
) -> dict[str, Any]:
    """A hashed ``verifier.publication/1`` document.

    indicators: (code, domain, "higher"|"lower"); domains follow in order of first use.
    values: city id -> indicator code -> value. cities: (id, name_en, name_ar); by default
    one per key of ``values``, named after its id.
    """
    domains = list(dict.fromkeys(domain for _, domain, _ in indicators))
    if cities is None:
        cities = [(city, city.title(), f"مدينة {city}") for city in values]
    value_rows = [
        {
            "city": city,
            "indicator": code,
            "value": value,
            "year": 2023,
            "unit": None,
            "evidence": [1],
        }
        for city in sorted(values)
        for code, value in sorted(values[city].items())
    ]
    doc: dict[str, Any] = {
        "format": "verifier.publication/1",
        "edition": {"code": "test", "name": "Test ranking", "name_ar": "تصنيف تجريبي"},
        "publication": {
            "id": 7,
            "number": 2,
            "parent_id": 6,
            "created_by": "lead",
            "created_at": "2026-11-28T15:00:00Z",
            "note": None,
            "value_count": len(value_rows),
            "coverage": round(len(value_rows) / (len(cities) * len(indicators)), 4),
        },
        "domains": [{"code": d, "name_en": d.title(), "name_ar": f"مجال {d}"} for d in domains],
        "indicators": [
            {
                "code": code,
                "domain": domain,
                "name_en": code,
                "name_ar": code,
                "unit": None,
                "direction": direction,
                "min": None,
                "max": None,
            }
            for code, domain, direction in indicators
        ],
        "cities": [
            {"id": city_id, "name_en": name_en, "name_ar": name_ar, "country": "XX"}
            for city_id, name_en, name_ar in sorted(cities)
        ],
        "experts": [
            {"code": code, "domain_weights": dw, "indicator_weights": iw}
            for code, (dw, iw) in sorted(experts.items())
        ],
        "values": value_rows,
    }
    return rehash(doc)


def rehash(doc: dict[str, Any]) -> dict[str, Any]:
    """Set publication.sha256 as the format prescribes (written out here, independently)."""
    doc["publication"].pop("sha256", None)
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    doc["publication"]["sha256"] = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return doc


# The worked example of docs/scoring.md. Indicator ranges (min..max over cities with a
# value): T1 10..50, T2 0..8 (lower is better), T3 0..1, D1 100..300; D2 is 5 everywhere.
WORKED_INDICATORS = [
    ("T1", "trad", "higher"),
    ("T2", "trad", "lower"),
    ("T3", "trad", "higher"),
    ("D1", "digi", "higher"),
    ("D2", "digi", "higher"),
]
WORKED_VALUES: Values = {
    "a": {"T1": 50, "T2": 2, "T3": 0.75, "D1": 300, "D2": 5},
    "b": {"T1": 30, "T2": 4, "T3": 0.5, "D1": 250, "D2": 5},
    "c": {"T1": 50, "T2": 0, "T3": 1.0, "D1": 100},
    "d": {"T1": 10, "T2": 4, "D1": 200},
    "e": {"T1": 20, "D1": 150, "D2": 5},
    "f": {"T1": 40, "T2": 8, "T3": 0, "D2": 5},
}
WORKED_CITIES = [
    ("a", "Alpha", "ألفا"),
    ("b", "Bravo", "برافو"),
    ("c", "Charlie", "تشارلي"),
    ("d", "Delta", "دلتا"),
    ("e", "Echo", "إيكو"),
    ("f", "Foxtrot", "فوكستروت"),
]
WORKED_EXPERTS: Weights = {
    "E1": ({"trad": 70, "digi": 30}, {"T1": 2, "T2": 1, "T3": 1, "D1": 1}),
    "E2": ({"trad": 1, "digi": 1}, {"T1": 1, "T2": 1, "T3": 2, "D1": 1, "D2": 1}),
}


@pytest.fixture
def worked_example() -> dict[str, Any]:
    return build_doc(WORKED_INDICATORS, WORKED_VALUES, WORKED_EXPERTS, WORKED_CITIES)


@pytest.fixture
def make_doc() -> DocBuilder:
    return build_doc


def random_doc(cities: int, experts: int, seed: int) -> dict[str, Any]:
    """A mid-size random publication; city "top" is best and "bottom" worst everywhere."""
    rng = np.random.default_rng(seed)
    indicators = [
        (f"{domain}{n}", domain, "lower" if n == 0 else "higher")
        for domain in ("x", "y", "z")
        for n in range(3)
    ]
    values: Values = {}
    for c in range(cities):
        values[f"c{c:02d}"] = {
            code: round(float(rng.uniform(10, 90)), 3)
            for code, _, _ in indicators
            if rng.random() > 0.05
        }
    values["top"] = {code: 0.0 if d == "lower" else 100.0 for code, _, d in indicators}
    values["bottom"] = {code: 100.0 if d == "lower" else 0.0 for code, _, d in indicators}
    weights = {
        f"E{e:02d}": (
            {d: float(rng.integers(1, 10)) for d in ("x", "y", "z")},
            {code: float(rng.integers(1, 10)) for code, _, _ in indicators},
        )
        for e in range(experts)
    }
    return build_doc(indicators, values, weights)


@pytest.fixture
def random_publication() -> Callable[[int, int, int], dict[str, Any]]:
    return random_doc


@pytest.fixture
def score_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> typer.Typer:
    """``verifier score`` alone on the root callback; settings never come from the
    developer's own config file or environment."""
    monkeypatch.setenv("VERIFIER_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("VERIFIER_DB", raising=False)
    cli = typer.Typer(cls=VerifierGroup)
    cli.callback()(root)
    score_cmd.register(cli)
    return cli


@pytest.fixture
def snapshot_file(tmp_path: Path, worked_example: dict[str, Any]) -> Path:
    """The worked example as a publication snapshot file."""
    path = tmp_path / "publication.json"
    path.write_text(json.dumps(worked_example, ensure_ascii=False), encoding="utf-8")
    return path
