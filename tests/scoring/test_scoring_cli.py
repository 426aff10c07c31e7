"""``verifier score --snapshot``: the analyst's path, with no workspace."""

from __future__ import annotations

import contextlib
import json
import sys
import types

from typer.testing import CliRunner

from verifier.cli.context import CliState


def invoke(score_app, *args):
    return CliRunner().invoke(score_app, ["score", *args], env={"COLUMNS": "200"})


def test_json_to_stdout_with_warnings_on_stderr(score_app, snapshot_file):
    result = invoke(score_app, "--snapshot", str(snapshot_file), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [c["id"] for c in data["cities"] if c["ranked"]] == ["a", "b", "c", "d"]
    assert data["uncertainty"]["runs"] == 1000
    assert "warning: indicator D2 has the same value" in result.stderr
    assert "warning:" not in result.stdout


def test_options_reach_the_scorer(score_app, snapshot_file):
    result = invoke(
        score_app,
        "--snapshot",
        str(snapshot_file),
        "--format",
        "json",
        "--normalisation",
        "zscore",
        "--aggregation",
        "geometric",
        "--expert-weights",
        "median",
        "--coverage-threshold",
        "0.5",
        "--uncertainty",
        "0",
        "--seed",
        "9",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["options"] == {
        "normalisation": "zscore",
        "aggregation": "geometric",
        "expert_weights": "median",
        "coverage_threshold": 0.5,
        "uncertainty_runs": 0,
        "seed": 9,
    }
    assert data["uncertainty"] is None
    assert len([c for c in data["cities"] if c["ranked"]]) == 5


def test_table_output(score_app, snapshot_file):
    result = invoke(score_app, "--snapshot", str(snapshot_file), "--uncertainty", "50")
    assert result.exit_code == 0, result.output
    # Arabic shaped and in visual order (bidi is on by default): ألفا as drawn.
    assert "Alpha" in result.stdout and "\ufe8e\ufed4\ufedf\ufe83" in result.stdout
    assert "Foxtrot" in result.stdout


def test_output_and_chart_files(score_app, snapshot_file, tmp_path):
    csv_path, chart_path = tmp_path / "ranking.csv", tmp_path / "ranking.svg"
    result = invoke(
        score_app,
        "--snapshot",
        str(snapshot_file),
        "--format",
        "csv",
        "--output",
        str(csv_path),
        "--chart",
        str(chart_path),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert csv_path.read_text(encoding="utf-8").startswith("rank,city_id,name_en,name_ar")
    assert chart_path.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_table_to_a_file_is_plain_text(score_app, snapshot_file, tmp_path):
    path = tmp_path / "ranking.txt"
    result = invoke(score_app, "--snapshot", str(snapshot_file), "--output", str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "Alpha" in text and "\x1b[" not in text


def test_exactly_one_source(score_app, snapshot_file):
    assert invoke(score_app).exit_code == 2
    both = invoke(score_app, "--snapshot", str(snapshot_file), "--publication", "3")
    assert both.exit_code == 2 and "exactly one" in both.output


def test_malformed_snapshot_is_a_one_line_error(score_app, tmp_path, worked_example):
    worked_example["indicators"][0]["direction"] = "up"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(worked_example), encoding="utf-8")
    result = invoke(score_app, "--snapshot", str(path))
    assert result.exit_code == 1
    assert "error: snapshot: indicators[0].direction must be" in result.stderr
    assert "Traceback" not in result.output


def test_bad_chart_name_fails_before_scoring(score_app, snapshot_file, tmp_path):
    result = invoke(score_app, "--snapshot", str(snapshot_file), "--chart", str(tmp_path / "x.gif"))
    assert result.exit_code == 1
    assert ".svg or .png" in result.stderr and result.stdout == ""


def test_publication_is_loaded_from_the_workspace(score_app, monkeypatch, worked_example):
    # Stand-ins for the workspace and the publishing module: only the wiring is tested here.
    calls = []

    class FakeWorkspace:
        @contextlib.contextmanager
        def reading(self):
            yield "session"

    def load_verified_snapshot(session, publication_id):
        calls.append((session, publication_id))
        return worked_example, True

    snapshot = types.ModuleType("verifier.core.publishing.snapshot")
    snapshot.load_verified_snapshot = load_verified_snapshot  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "verifier.core.publishing.snapshot", snapshot)
    monkeypatch.setattr(CliState, "workspace", lambda self, check=True: FakeWorkspace())
    result = invoke(score_app, "--publication", "7", "--format", "csv", "--uncertainty", "0")
    assert result.exit_code == 0, result.output
    assert calls == [("session", 7)]
    assert result.stdout.splitlines()[1].startswith("1,a,Alpha")
