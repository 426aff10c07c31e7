"""`verifier qa ...`, `verifier sprint show|report|reassign` and `publish --max-error-rate`
from the command line, over the QA workspace."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from tests.cli_terminal import at_terminal_width
from tests.qa.test_second_review import DRAWN, SECOND
from verifier.cli.app import app

runner = CliRunner()
HOSTILE_REASON = '=HYPERLINK("x") <img src=x onerror=alert(1)> **bold** \x1b[2J'


def run(url: str, user: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", url, "--user", user, *args])
    return result.exit_code, result.output


def test_sample_review_adjudicate_report(qa_url: str, tmp_path: Path) -> None:
    code, out = run(qa_url, "layla", "qa", "sample", "--size", "10", "--seed", "8",
                    "--assign", "omar,sara", "--format", "json")  # fmt: skip
    assert code == 0, out
    drawn = json.loads(out)
    assert (drawn["sample_id"], drawn["item_ids"], drawn["seed"]) == (1, DRAWN, 8)
    assert {a["item_id"]: a["second_reviewer"] for a in drawn["assignments"]} == SECOND
    code, out = run(qa_url, "omar", "qa", "sample", "--size", "3", "--assign", "sara")
    assert code == 1 and "needs the lead role" in out
    code, out = run(qa_url, "layla", "qa", "sample", "--size", "3", "--status", "unverified",
                    "--assign", "sara")  # fmt: skip
    assert code == 1 and "has no decision to check" in out

    code, out = run(qa_url, "sara", "qa", "show", "15")
    assert code == 0 and "◌ hidden" in out and "History: hidden" in out
    assert (
        "omar" not in out
        and "checked p. 15" not in out
        and "✓ verified" not in out.split("Same city")[0]
    )
    code, out = run(
        qa_url, "sara", "qa", "review", "15", "--status", "rejected", "--reason", HOSTILE_REASON
    )
    assert code == 0 and out.strip() == "item 15: second decision rejected (QA sample 1)"
    code, out = run(qa_url, "omar", "qa", "review", "15", "--status", "verified")
    assert code == 1 and "for another second reviewer" in out
    code, out = run(qa_url, "omar", "qa", "review", "25", "--status", "maybe")
    assert code == 2 and "verified, rejected or flagged" in out

    code, out = run(qa_url, "layla", "qa", "report", "--format", "json")
    report = json.loads(out)
    [sample] = report["samples"]
    assert {k: sample[k] for k in ("sample_id", "size", "reviewed", "agreement", "kappa",
                                   "error_rate", "disagreements")} == {
        "sample_id": 1, "size": 10, "reviewed": 1, "agreement": 0.0, "kappa": 0.0,
        "error_rate": 1.0, "disagreements": [15],
    }  # fmt: skip
    assert len(sample["error_ci"]) == 2 and round(sample["error_ci"][0], 4) == 0.2065
    assert report["overall"]["sample_id"] is None and report["overall"]["samples"] == [1]
    assert report["awaiting_adjudication"][0]["reason"] == HOSTILE_REASON.replace("\x1b", "")
    by_extractor = {g["extractor"]: g for g in report["breakdowns"]["extractor"]}
    # Item 15 was extracted by hadi (odd rows: mona; item 15 is row 15, n = 14).
    assert by_extractor["hadi"]["reasons"] == [
        {"reason": HOSTILE_REASON.replace("\x1b", ""), "count": 1}
    ]

    code, out = run(qa_url, "layla", "qa", "report", "1", "--format", "md")
    assert code == 0 and "\x1b" not in out and not re.search(r"(?<!\\)<img", out)
    assert "\\<img src=x onerror=alert(1)\\> \\*\\*bold\\*\\*" in out
    target = tmp_path / "qa.html"
    code, out = run(qa_url, "layla", "qa", "report", "--format", "html", "-o", str(target))
    page = target.read_text(encoding="utf-8")
    assert code == 0 and "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    code, out = run(qa_url, "layla", "qa", "report")
    assert code == 0 and "Disagreements awaiting adjudication (1)" in out and "\x1b" not in out

    code, out = run(
        qa_url, "omar", "qa", "adjudicate", "15", "--status", "rejected", "--reason", "x"
    )
    assert code == 1 and "needs the lead role" in out
    code, out = run(qa_url, "layla", "qa", "adjudicate", "15", "--status", "rejected",
                    "--reason", "p. 15 gives 2022")  # fmt: skip
    assert code == 0 and "adjudicated rejected (status changed; QA sample 1)" in out
    code, out = run(qa_url, "layla", "qa", "report", "--format", "json")
    assert json.loads(out)["samples"][0]["disagreements"] == []
    assert json.loads(out)["samples"][0]["adjudicated"] == [15]
    code, out = run(qa_url, "layla", "qa", "report", "7")
    assert code == 1 and "no QA sample 7" in out


def test_publish_with_the_gate(qa_url: str) -> None:
    code, out = run(qa_url, "layla", "publish", "--note", "n", "--max-error-rate", "0.05")
    assert code == 1 and "QA gate: no QA sample covers the items being published" in out
    code, out = run(qa_url, "layla", "publish", "--note", "n", "--max-error-rate", "7")
    assert code == 2
    run(qa_url, "layla", "qa", "sample", "--size", "10", "--seed", "8", "--assign", "omar,sara")
    for item_id, who in SECOND.items():
        assert run(qa_url, who, "qa", "review", str(item_id), "--status", "verified")[0] == 0
    code, out = run(qa_url, "layla", "publish", "--note", "n", "--max-error-rate", "0.3")
    assert code == 0, out
    assert "QA:         error rate 0.0% (0 of 10), 95% interval 0.0%–27.8%" in out
    code, out = run(qa_url, "layla", "publication", "show", "1")
    assert "gate 30.0% (option)" in out


def test_sprint_show_report_and_reassign(qa_url: str, tmp_path: Path) -> None:
    start = (date.today() - timedelta(days=1)).isoformat()
    end = (date.today() + timedelta(days=1)).isoformat()
    code, out = run(qa_url, "layla", "sprint", "create", "wk", "--start", start, "--end", end,
                    "--assign", "omar,sara")  # fmt: skip
    assert code == 0, out
    run(qa_url, "omar", "item", "set-status", "1", "--status", "flagged", "--reason", "unsure")
    code, out = run(qa_url, "layla", "sprint", "show", "wk")
    assert code == 0, out
    assert "Burn-down" in out and "What each reviewer still has" in out
    assert "39 of 40 items decided · 1 left" in out
    code, out = run(qa_url, "layla", "sprint", "reassign", "wk", "--from", "omar", "--to", "sara")
    assert code == 0 and "Sprint 'wk': 1 item of omar moved (sara 1)." in out
    code, out = run(qa_url, "omar", "sprint", "reassign", "wk", "--from", "sara", "--to", "omar")
    assert code == 1 and "needs the lead role" in out
    target = tmp_path / "wk.html"
    code, out = run(
        qa_url, "layla", "sprint", "report", "wk", "--format", "html", "-o", str(target)
    )
    assert code == 0 and "<svg" in target.read_text(encoding="utf-8")
    code, out = run(qa_url, "layla", "sprint", "report", "wk")
    assert code == 0 and out.startswith("# Sprint report: wk")
    code, out = run(qa_url, "layla", "sprint", "show", "nope")
    assert code == 1 and "no sprint named 'nope'" in out


def test_the_report_and_the_sprint_dashboard_wrap_between_words_at_100_columns(
    qa_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_terminal_width(monkeypatch, 100)
    assert run(qa_url, "layla", "qa", "sample", "--size", "10", "--seed", "8",
               "--assign", "omar,sara")[0] == 0  # fmt: skip
    code, out = run(qa_url, "layla", "qa", "report")
    assert code == 0 and "95% Wilson interval" in out
    assert max(cell_len(line) for line in out.splitlines()) <= 100  # the terminal cuts none
    start, end = date.today() - timedelta(days=1), date.today() + timedelta(days=3)
    assert run(qa_url, "layla", "sprint", "create", "week", "--start", str(start),
               "--end", str(end), "--assign", "omar,sara")[0] == 0  # fmt: skip
    code, out = run(qa_url, "layla", "sprint", "show", "week")
    assert code == 0 and max(cell_len(line) for line in out.splitlines()) <= 100


@pytest.mark.parametrize("width", [60, 100])
def test_the_report_and_the_sprint_dashboard_keep_a_row_on_one_line(
    qa_url: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As every other table: keys and names whole, each on its row's one line with its
    figures, within the width."""
    at_terminal_width(monkeypatch, width)
    assert run(qa_url, "layla", "qa", "sample", "--size", "10", "--seed", "8",
               "--assign", "omar,sara")[0] == 0  # fmt: skip
    start, end = date.today() - timedelta(days=1), date.today() + timedelta(days=3)
    assert run(qa_url, "layla", "sprint", "create", "week", "--start", str(start),
               "--end", str(end), "--assign", "omar,sara")[0] == 0  # fmt: skip
    code, report = run(qa_url, "layla", "qa", "report")
    assert code == 0
    code, board = run(qa_url, "layla", "sprint", "show", "week")
    assert code == 0
    for out, names, figures in (
        (report, ("yearbook-2023", "ministry-ar", "hadi", "mona", "omar", "sara"), r"\d+/\d+"),
        (board, ("omar", "sara"), r"\d"),
    ):
        lines = out.splitlines()
        assert max(cell_len(line) for line in lines) <= width, out
        for name in names:
            rows = [line for line in lines if re.search(rf"\b{re.escape(name)}\b", line)]
            assert rows and all(re.search(figures, line) for line in rows), out
