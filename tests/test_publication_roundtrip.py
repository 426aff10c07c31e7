"""Export -> recompute: the default ranking is reproduced from the exported JSON alone, with
an independent implementation of docs/scoring.md's default method."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.cli.app import app
from verifier.core.cities.decisions import set_item_city
from verifier.core.editions import load_edition
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace

VALUES = {  # city: (TRD-WATER %, TRD-DEATHS per 100k (lower is better), DIG-BROADBAND Mbps)
    "sa-riyadh": ("99.1", "12", "210"),
    "eg-cairo": ("97.5", "18", "75"),
    "ly-tripoli": ("88", "21", "n/a"),
    "lb-tripoli": ("93", "9", "60"),
}
LABELS = {
    "sa-riyadh": "Riyadh",
    "eg-cairo": "Cairo",
    "ly-tripoli": "Tarabulus",
    "lb-tripoli": "Trablous",
}
CODES = ("TRD-WATER", "TRD-DEATHS", "DIG-BROADBAND")


def reference_ranking(document: dict[str, Any]) -> dict[str, tuple[int | None, float | None]]:
    """The default method, written from the docs with no code shared with the scorer."""
    domains = [d["code"] for d in document["domains"]]
    indicators = {i["code"]: i for i in document["indicators"]}
    experts = document["experts"]
    domain_w = dict.fromkeys(domains, 0.0)
    within_w = dict.fromkeys(indicators, 0.0)
    for expert in experts:
        total = sum(expert["domain_weights"].get(d, 0) for d in domains)
        for d in domains:
            domain_w[d] += expert["domain_weights"].get(d, 0) / total / len(experts)
        for d in domains:
            codes = [c for c, i in indicators.items() if i["domain"] == d]
            total = sum(expert["indicator_weights"].get(c, 0) for c in codes)
            for c in codes:
                within_w[c] += expert["indicator_weights"].get(c, 0) / total / len(experts)
    values: dict[str, dict[str, float]] = {}
    for v in document["values"]:
        values.setdefault(v["indicator"], {})[v["city"]] = v["value"]
    normalised: dict[str, dict[str, float]] = {}
    for code, by_city in values.items():
        low, high = min(by_city.values()), max(by_city.values())
        for city, x in by_city.items():
            share = 100 * (x - low) / (high - low)
            higher = indicators[code]["direction"] == "higher"
            normalised.setdefault(city, {})[code] = share if higher else 100 - share
    scores: dict[str, float] = {}
    for city in (c["id"] for c in document["cities"]):
        have = normalised.get(city, {})
        if len(have) / len(indicators) < 0.75:
            continue
        overall = 0.0
        for d in domains:
            codes = [c for c in have if indicators[c]["domain"] == d]
            weight = sum(within_w[c] for c in codes)
            overall += domain_w[d] * sum(have[c] * within_w[c] / weight for c in codes)
        scores[city] = overall
    result: dict[str, tuple[int | None, float | None]] = {}
    for city in (c["id"] for c in document["cities"]):
        if city in scores:
            rank = 1 + sum(1 for s in scores.values() if round(s, 9) > round(scores[city], 9))
            result[city] = (rank, scores[city])
        else:
            result[city] = (None, None)
    return result


def test_the_exported_json_alone_reproduces_the_ranking(
    workspace: Workspace, tmp_path: Path
) -> None:
    load_edition(workspace, MINI, "layla")
    rows = [
        row(city=LABELS[city], indicator=code, value=value, locator=f"{city}-{code}", unit="")
        for city, triple in VALUES.items()
        for code, value in zip(CODES, triple, strict=True)
    ]
    import_file(
        workspace, write_csv(tmp_path / "v.csv", rows), ImportOptions("omar", auto_match=False)
    )
    with workspace.session() as session:
        for item_id in range(1, len(rows) + 1):
            set_item_city(session, item_id, list(VALUES)[(item_id - 1) // 3], "omar")
            set_status(session, item_id, "verified", "omar")
    runner = CliRunner()
    db = ["--db", workspace.url, "--user", "layla"]
    assert runner.invoke(app, [*db, "publish", "--note", "round trip"]).exit_code == 0
    exported = tmp_path / "publication.json"
    result = runner.invoke(app, [*db, "publication", "export", "1", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    document = json.loads(exported.read_text(encoding="utf-8"))
    expected = reference_ranking(document)

    scored = runner.invoke(
        app, ["score", "--snapshot", str(exported), "--format", "json", "--uncertainty", "0"]
    )
    assert scored.exit_code == 0, scored.output
    ranking = json.loads(scored.stdout)
    got = {c["id"]: (c["rank"], c["overall"]) for c in ranking["cities"]}
    assert set(got) == set(expected)
    for city, (rank, score) in expected.items():
        assert got[city][0] == rank, city
        if score is None:
            assert got[city][1] is None
        else:
            assert abs(got[city][1] - score) < 1e-6, city
    assert expected["ly-tripoli"] == (None, None)  # 2 of 3 indicators: below the 75% coverage
    assert sorted(r for r, _ in expected.values() if r is not None) == [1, 2, 3]
    # The stored publication scores identically through the workspace.
    stored = runner.invoke(
        app, [*db, "score", "--publication", "1", "--format", "json", "--uncertainty", "0"]
    )
    assert json.loads(stored.stdout)["cities"] == ranking["cities"]
