"""The QA gate on publishing: refused, then allowed after adjudication and a larger sample;
items decided after the draw are not covered; the threshold can come from the edition; the
publication records the figures and the provenance reports show them."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from db.models import Edition, Publication
from tests.conftest import MINI
from tests.qa.test_second_review import DRAWN, SECOND
from verifier.core.editions import load_edition
from verifier.core.editions.csvfile import EditionFileError
from verifier.core.errors import InvalidActionError
from verifier.core.provenance import ReportFormat, build_report, render
from verifier.core.publishing import PublishRefusedError, publish
from verifier.core.qa.adjudication import adjudicate
from verifier.core.qa.reviews import record_second_review
from verifier.core.qa.sampling import draw_sample
from verifier.core.qa.stats import wilson_interval
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace

# Seed 9 then draws these 20 of the 30 items sample 1 left; item 17 is a rejected one.
SECOND_SAMPLE = [1, 2, 4, 7, 8, 10, 11, 12, 17, 18, 19, 20, 21, 23, 28, 29, 31, 33, 38, 40]


def _publish(workspace: Workspace, **options: object) -> Publication:
    with workspace.session() as session:
        edition = session.get(Edition, 1)
        assert edition is not None
        return publish(session, edition, "layla", "qa", **options)  # type: ignore[arg-type]


def _draw(workspace: Workspace, size: int, seed: int) -> list[int]:
    with workspace.session() as session:
        return draw_sample(
            session, 1, size=size, seed=seed, reviewers=["omar", "sara"], actor="layla"
        ).item_ids


def test_refused_then_allowed_after_adjudication_and_a_larger_sample(
    qa_workspace: Workspace,
) -> None:
    with pytest.raises(PublishRefusedError, match="no QA sample covers"):
        _publish(qa_workspace, max_error_rate=0.30)
    assert _draw(qa_workspace, 10, 8) == DRAWN
    with qa_workspace.session() as session:
        for item_id in DRAWN:
            if item_id in (15, 24):
                record_second_review(session, item_id, "rejected", SECOND[item_id], reason="2022")
            else:
                record_second_review(session, item_id, "verified", SECOND[item_id])
    # 2 errors in 10: Wilson upper end 0.5098 > 0.30.
    assert round(wilson_interval(2, 10).high, 4) == 0.5098
    with pytest.raises(PublishRefusedError, match=r"20\.0% \(2 of 10\).*above the maximum 30\.0%"):
        _publish(qa_workspace, max_error_rate=0.30)
    with qa_workspace.session() as session:
        adjudicate(session, 24, "verified", "layla", "the 2023 table is right")  # upheld
        adjudicate(session, 15, "rejected", "layla", "the table is for 2022")  # an error
    # 1 error in 10: upper end 0.4042, still above.
    with pytest.raises(PublishRefusedError, match=r"10\.0% \(1 of 10\)"):
        _publish(qa_workspace, max_error_rate=0.30)
    # A larger sample: 20 more items, 19 first-verified, all confirmed.
    assert sorted(_draw(qa_workspace, 20, 9)) == SECOND_SAMPLE
    with qa_workspace.session() as session:
        for item_id in SECOND_SAMPLE:
            status = "rejected" if item_id == 17 else "verified"
            reviewer = "sara" if item_id <= 24 else "omar"
            record_second_review(session, item_id, status, reviewer, reason="confirmed")
    # 1 error in 29: upper end 0.1718.
    publication = _publish(qa_workspace, max_error_rate=0.30)
    qa = json.loads(publication.content)["qa"]
    expected = wilson_interval(1, 29)
    assert qa == {
        "samples": [1, 2], "size": 30, "reviewed": 30, "agreement": 28 / 30,
        "kappa": qa["kappa"], "verified_reviewed": 29, "errors": 1, "error_rate": 1 / 29,
        "error_ci": [expected.low, expected.high], "awaiting_adjudication": 0,
        # 36 verified items publish (item 15 is now rejected), all covered by sample 1's frame.
        "items": 36, "items_covered": 36, "max_error_rate": 0.30, "max_error_rate_from": "option",
    }  # fmt: skip
    assert round(qa["error_ci"][1], 4) == 0.1718
    # Confusion: 28 agree on the diagonal (27 verified, 1 rejected), 2 verified -> rejected:
    # p_o = 28/30; first shares 29/30, 1/30; second 27/30, 3/30.
    p_e = (29 / 30) * (27 / 30) + (1 / 30) * (3 / 30)
    assert qa["kappa"] == pytest.approx((28 / 30 - p_e) / (1 - p_e))
    with qa_workspace.reading() as session:
        report = build_report(session, publication_id=publication.id, item_id=1)
    assert report.publication is not None and report.publication.qa == qa
    markdown = render(report, ReportFormat.MD)
    assert (
        "- **QA:** error rate 3.4% (1 of 29 first-verified items reviewed), 95% interval"
        in markdown
    )
    assert (
        "36 of 36 published items covered by a sample; gate\\: at most 30.0% (option)" in markdown
    )
    assert "<dt>QA</dt>" in render(report, ReportFormat.HTML)
    assert json.loads(render(report, ReportFormat.JSON))["publication"]["qa"] == qa
    assert "qaErrorRate" in render(report, ReportFormat.PROV_JSON)
    csv_rows = list(csv.DictReader(io.StringIO(render(report, ReportFormat.CSV))))
    assert {row["qa_error_rate"] for row in csv_rows} == {str(1 / 29)}
    assert {(row["qa_error_ci_low"], row["qa_error_ci_high"]) for row in csv_rows} == {
        (str(expected.low), str(expected.high))
    }
    assert {(row["qa_reviewed"], row["qa_items_covered"]) for row in csv_rows} == {("30", "36")}


def test_items_decided_after_the_draw_are_not_covered(qa_workspace: Workspace) -> None:
    assert _draw(qa_workspace, 10, 8) == DRAWN
    with qa_workspace.session() as session:
        for item_id in DRAWN:
            record_second_review(session, item_id, "verified", SECOND[item_id])
        set_status(session, 2, "flagged", "omar", reason="look again")
        set_status(session, 2, "verified", "omar", reason="it was right")
    with pytest.raises(
        PublishRefusedError,
        match=r"1 of the 37 items being published is covered by no QA sample .*: 2\.",
    ):
        _publish(qa_workspace, max_error_rate=0.5)
    _draw(qa_workspace, 5, 1)  # a new draw's frame covers item 2's new decision
    assert (
        json.loads(_publish(qa_workspace, max_error_rate=0.5).content)["qa"]["items_covered"] == 37
    )


def test_the_threshold_can_come_from_the_edition(qa_workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    toml = folder / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[qa]\nmax_error_rate = 0.05\n", "utf-8")
    load_edition(qa_workspace, folder, "layla")
    with pytest.raises(PublishRefusedError, match="no QA sample covers"):
        _publish(qa_workspace)
    # The option takes precedence over the edition's setting.
    _draw(qa_workspace, 10, 8)
    with qa_workspace.session() as session:
        for item_id in DRAWN:
            record_second_review(session, item_id, "verified", SECOND[item_id])
    with pytest.raises(PublishRefusedError, match=r"above the maximum 5\.0%"):
        _publish(qa_workspace)
    qa = json.loads(_publish(qa_workspace, max_error_rate=0.4).content)["qa"]
    assert (qa["max_error_rate"], qa["max_error_rate_from"], qa["errors"]) == (0.4, "option", 0)
    toml.write_text(toml.read_text(encoding="utf-8").replace("0.05", "1.5"), "utf-8")
    with pytest.raises(
        EditionFileError, match=r"\[qa\] max_error_rate must be a number from 0 to 1, not 1\.5"
    ):
        load_edition(qa_workspace, folder, "layla")


def test_without_a_gate_the_figures_are_still_recorded(qa_workspace: Workspace) -> None:
    assert "qa" not in json.loads(_publish(qa_workspace).content)
    with qa_workspace.session() as session:
        set_status(session, 1, "rejected", "omar", reason="changed my mind")
    _draw(qa_workspace, 4, 2)
    qa = json.loads(_publish(qa_workspace).content)["qa"]
    assert (qa["size"], qa["reviewed"], qa["error_rate"], qa["max_error_rate"]) == (
        4,
        0,
        None,
        None,
    )
    with pytest.raises(InvalidActionError, match="between 0 and 1"):
        _publish(qa_workspace, max_error_rate=2.0)
