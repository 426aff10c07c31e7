"""The scorer never ranks a city without a finite score, and says why each city is unranked."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from tests.scoring.conftest import rehash
from verifier.cli.app import VerifierGroup, root
from verifier.cli.commands import score_cmd
from verifier.core.scoring import ScoringOptions, parse_snapshot, score, to_csv, to_json
from verifier.core.scoring.errors import NonFiniteScoreError
from verifier.core.scoring.inputs import NOTHING_SCORED

INDICATORS = [("X", "dx", "higher"), ("Y", "dy", "lower")]
EXPERTS = {"E": ({"dx": 1, "dy": 1}, {"X": 1, "Y": 1})}


def with_evidence(doc: dict[str, Any], city: str, indicator: str, items: list[int]) -> None:
    for value in doc["values"]:
        if (value["city"], value["indicator"]) == (city, indicator):
            value["evidence"] = items
    rehash(doc)


@pytest.fixture
def huge_value(make_doc) -> dict[str, Any]:
    # 1e308 is a finite float, but 100 * (1e308 - 0) in min-max is not.
    doc = make_doc(
        INDICATORS,
        {
            "p": {"X": 1e308, "Y": 1},
            "q": {"X": 0, "Y": 2},
            "r": {"X": 5, "Y": 3},
        },
        EXPERTS,
    )
    with_evidence(doc, "p", "X", [41, 42])
    return doc


def test_an_overflowing_value_is_an_error_naming_indicator_city_and_items(huge_value):
    with pytest.raises(NonFiniteScoreError) as raised:
        score(parse_snapshot(huge_value), ScoringOptions(uncertainty_runs=0))
    message = str(raised.value)
    assert "1e+308" in message
    assert "indicator 'X'" in message and "city 'p'" in message
    assert "item 41, 42" in message and "min-max normalisation" in message


def test_an_overflowing_range_is_caught_even_when_cells_look_finite(make_doc):
    # the range 1e308 - (-1e308) is infinite; the z-score's spread overflows the same way
    values = {"p": {"X": 1e308, "Y": 1}, "q": {"X": -1e308, "Y": 2}, "r": {"X": 0, "Y": 3}}
    doc = make_doc(INDICATORS, values, EXPERTS)
    for normalisation in ("minmax", "zscore"):
        options = ScoringOptions(normalisation=normalisation, uncertainty_runs=0)
        with pytest.raises(NonFiniteScoreError, match=r"indicator 'X' for city '[pq]'"):
            score(parse_snapshot(doc), options)


def test_the_uncertainty_runs_are_checked_too(make_doc):
    # min-max copes with these values, the z-score's sum of squares does not
    values = {"p": {"X": 1e200, "Y": 1}, "q": {"X": 0, "Y": 2}, "r": {"X": 5, "Y": 3}}
    doc = make_doc(INDICATORS, values, EXPERTS)
    nominal = score(parse_snapshot(doc), ScoringOptions(uncertainty_runs=0))
    assert all(math.isfinite(c.overall) for c in nominal.ranked)
    with pytest.raises(NonFiniteScoreError, match=r"zscore, .* uncertainty runs"):
        score(parse_snapshot(doc), ScoringOptions(uncertainty_runs=10))


def test_the_cli_gives_one_line_and_writes_nothing(huge_value, tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFIER_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("VERIFIER_DB", raising=False)
    cli = typer.Typer(cls=VerifierGroup)
    cli.callback()(root)
    score_cmd.register(cli)
    snapshot = tmp_path / "p.json"
    snapshot.write_text(json.dumps(huge_value), encoding="utf-8")
    out = tmp_path / "ranking.csv"
    result = CliRunner().invoke(
        cli, ["score", "--snapshot", str(snapshot), "--format", "csv", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "1e+308" in result.output
    assert "city 'p'" in result.output and not out.exists()


def test_when_nothing_can_be_scored_every_city_says_so(make_doc):
    # X has one value, Y the same value everywhere: both are left out
    doc = make_doc(
        INDICATORS,
        {"p": {"X": 1, "Y": 4}, "q": {"Y": 4}, "r": {"Y": 4}},
        EXPERTS,
    )
    for threshold in (0.0, 0.75):
        ranking = score(
            parse_snapshot(doc), ScoringOptions(coverage_threshold=threshold, uncertainty_runs=5)
        )
        assert ranking.ranked == ()
        assert [c.not_ranked_because for c in ranking.cities] == [NOTHING_SCORED] * 3
        assert any("nothing could be scored" in w.message for w in ranking.warnings)
        assert to_csv(ranking).count("nothing could be scored") == 3
        rows = json.loads(to_json(ranking))["cities"]
        assert all(row["not_ranked_because"] == NOTHING_SCORED for row in rows)


def test_every_unranked_city_has_a_reason(worked_example, random_publication):
    for doc in (worked_example, random_publication(30, 3, 5)):
        for threshold in (0.0, 0.5, 0.75, 1.0):
            ranking = score(
                parse_snapshot(doc),
                ScoringOptions(coverage_threshold=threshold, uncertainty_runs=0),
            )
            assert all(c.not_ranked_because for c in ranking.unranked)
            assert all(c.overall is not None and math.isfinite(c.overall) for c in ranking.ranked)
