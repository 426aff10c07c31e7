"""An item that is not in the publication is still reported, with the plain reason why."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.models import Publication
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.core.editions import load_edition
from verifier.core.errors import NotFoundError
from verifier.core.importing import ImportOptions, import_file
from verifier.core.provenance import build_report, item_provenance_markdown, render
from verifier.core.workspace import Workspace

# item id -> (reason code, words the reason must contain); see scenario.py
WHY = {
    3: ("superseded", "its reference year 2021 is superseded by 2023 (verified items 1, 2)"),
    4: ("conflict_lost", "it lost a conflict: layla chose item 5"),
    7: ("status", "its status is rejected (set by omar at"),
    8: ("status", "its status is flagged (set by omar at"),
    9: ("status", "its status is unverified"),
    10: ("city_match", "its city match is not confirmed"),
    11: ("missing_value", "it has no value: the source gives 'n/a'"),
    12: ("not_yet_published", "it became eligible after publication #1 (verified by omar at"),
    14: ("conflict_open", "its value conflicts with item 13 (20) and no lead has resolved it yet"),
}


@pytest.mark.parametrize("item_id", sorted(WHY))
def test_each_reason_is_given(any_published: tuple[Workspace, Publication], item_id: int) -> None:
    workspace, _ = any_published
    with workspace.reading() as session:
        report = build_report(session, item_id=item_id)
    assert report.values == ()
    [entry] = report.unpublished
    code, words = WHY[item_id]
    assert code in [r.code for r in entry.reasons]
    assert any(words in r.text for r in entry.reasons), [r.text for r in entry.reasons]
    assert entry.item.id == item_id


def test_reasons_carry_the_decision_behind_them(published: Workspace) -> None:
    with published.reading() as session:
        rejected = build_report(session, item_id=7).unpublished[0]
        flagged = build_report(session, item_id=8).unpublished[0]
        lost = build_report(session, item_id=4).unpublished[0]
    assert "reason: wrong table" in rejected.reasons[0].text
    assert "note: page missing" in flagged.reasons[0].text
    assert lost.conflict is not None and lost.conflict.state == "lost"
    assert "because: ministry figure is final" in lost.reasons[0].text


def test_the_markdown_for_the_review_ui(published: Workspace) -> None:
    with published.reading() as session:
        unpublished = item_provenance_markdown(session, 7)
        included = item_provenance_markdown(session, 1)
    assert "## Item 7: NOT PUBLISHED" in unpublished
    assert "its status is rejected" in unpublished and "reason: wrong table" in unpublished
    assert "### Item 1 · verified" in included and "NOT PUBLISHED" not in included


def test_every_format_says_not_published(published: Workspace) -> None:
    with published.reading() as session:
        report = build_report(session, item_id=11)
    assert "it has no value" in render(report, "md")
    assert "not published" in render(report, "html")
    csv_text = render(report, "csv")
    assert ",no," in csv_text and "it has no value" in csv_text
    assert '"code": "missing_value"' in render(report, "json")
    assert "notPublishedBecause" in render(report, "prov-json")


def test_before_any_publication(workspace: Workspace, tmp_path: Path) -> None:
    load_edition(workspace, MINI, "layla")
    import_file(workspace, write_csv(tmp_path / "a.csv", [row()]), ImportOptions("omar"))
    with workspace.reading() as session:
        [entry] = build_report(session, item_id=1).unpublished
        cell = build_report(session, edition_id=1, city="sa-riyadh", indicator="TRD-WATER")
    assert entry.reasons[0].code == "no_publication"
    assert [u.item.id for u in cell.unpublished] == [1]
    with (
        workspace.reading() as session,
        pytest.raises(NotFoundError, match="edition mini has no publication yet"),
    ):
        build_report(session, edition_id=1)


def test_an_unpublished_cell_lists_its_items(published: Workspace) -> None:
    with published.reading() as session:
        report = build_report(session, edition_id=1, city="ly-tripoli", indicator="TRD-WATER")
    assert report.values == ()
    assert [(u.item.id, u.reasons[0].code) for u in report.unpublished] == [
        (7, "status"),
        (9, "status"),
    ]
