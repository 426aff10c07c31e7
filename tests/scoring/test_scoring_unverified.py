"""A snapshot whose hash does not verify is marked on every output of ``score`` (table, CSV,
JSON, Markdown, the chart's title) and of ``publication export``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from db.models import Publication
from tests.audit.test_audit_tamper import tamper
from tests.provenance.scenario import build_published
from verifier.cli.app import app
from verifier.core.publishing.export import UNVERIFIED_EXPORT
from verifier.core.scoring import (
    ScoringOptions,
    parse_snapshot,
    score,
    to_csv,
    to_json,
    to_markdown,
)
from verifier.core.scoring.export import UNVERIFIED_NOTICE
from verifier.core.workspace import Workspace
from verifier.presentation.chart import write_chart
from verifier.presentation.ranking import ranking_table

FORMATS = ("table", "csv", "json", "md")
NOTICE_START = "NOT VERIFIED: the snapshot does not match its publication.sha256"


@pytest.fixture
def edited(worked_example) -> dict[str, Any]:
    worked_example["values"][0]["value"] = 49  # a "what-if" edit: the hash no longer matches
    return worked_example


def ranked(doc: dict[str, Any]):
    return score(parse_snapshot(doc), ScoringOptions(uncertainty_runs=20))


def plain(renderable: Any) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=300, color_system=None).print(renderable)
    return buffer.getvalue()


def test_every_renderer_marks_an_unverified_ranking(edited, tmp_path):
    ranking = ranked(edited)
    table = plain(ranking_table(ranking))
    assert table.count(UNVERIFIED_NOTICE) == 2  # above the table and under it
    assert table.splitlines()[0] == UNVERIFIED_NOTICE
    rows = list(csv.DictReader(io.StringIO(to_csv(ranking))))
    assert rows and {row["hash_verified"] for row in rows} == {"no"}
    data = json.loads(to_json(ranking))
    assert data["publication"]["hash_verified"] is False
    assert data["warnings"][0]["kind"] == "hash_mismatch"
    markdown = to_markdown(ranking).splitlines()
    assert markdown[2].startswith(f"> **{UNVERIFIED_NOTICE}** (sha256 ")
    write_chart(ranking, tmp_path / "ranking.svg")
    svg = (tmp_path / "ranking.svg").read_text(encoding="utf-8")
    assert "NOT VERIFIED: the snapshot does not match its" in svg


def test_a_verified_ranking_carries_no_mark(worked_example, tmp_path):
    ranking = ranked(worked_example)
    assert "NOT VERIFIED" not in plain(ranking_table(ranking))
    assert {row["hash_verified"] for row in csv.DictReader(io.StringIO(to_csv(ranking)))} == {"yes"}
    assert "NOT VERIFIED" not in to_markdown(ranking)
    write_chart(ranking, tmp_path / "ranking.svg")
    assert "NOT VERIFIED" not in (tmp_path / "ranking.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("output_format", FORMATS)
def test_score_marks_an_edited_snapshot_in_every_format(edited, tmp_path, output_format):
    snapshot = tmp_path / "edited.json"
    snapshot.write_text(json.dumps(edited), encoding="utf-8")
    chart = tmp_path / "ranking.svg"
    result = CliRunner().invoke(
        app,
        [
            "score",
            "--snapshot",
            str(snapshot),
            "--format",
            output_format,
            "--uncertainty",
            "20",
            "--chart",
            str(chart),
        ],
        env={"COLUMNS": "300"},
    )
    assert result.exit_code == 0, result.output
    assert "warning: the document does not match its publication.sha256" in result.stderr
    assert_marked(result.stdout, output_format)
    assert NOTICE_START in chart.read_text(encoding="utf-8")


def assert_marked(text: str, output_format: str) -> None:
    if output_format == "csv":
        assert {row["hash_verified"] for row in csv.DictReader(io.StringIO(text))} == {"no"}
    elif output_format == "json":
        assert json.loads(text)["publication"]["hash_verified"] is False
    else:
        assert NOTICE_START in " ".join(text.split())


def rewrite_document(workspace: Workspace, publication: Publication) -> None:
    """Change a published value and rewrite the document's own sha256 to match: only the
    hash recorded in the publication row still tells."""
    document = json.loads(publication.content)
    document["values"][0]["value"] = 12345
    document["publication"].pop("sha256")
    from verifier.core.publishing import content_hash

    document["publication"]["sha256"] = content_hash(document)
    forged = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    statement = Publication.__table__.update().values(content=forged)  # type: ignore[attr-defined]
    tamper(workspace, statement.where(Publication.__table__.c.id == publication.id),
           table="publication")  # fmt: skip


@pytest.fixture
def forged_publication(any_workspace: Workspace, tmp_path: Path) -> tuple[list[str], int]:
    publication = build_published(any_workspace, tmp_path)
    rewrite_document(any_workspace, publication)
    assert publication.id is not None
    return ["--db", any_workspace.url, "--user", "layla"], publication.id


@pytest.mark.parametrize("output_format", FORMATS)
def test_score_of_a_rewritten_publication_is_marked(forged_publication, output_format):
    db, publication_id = forged_publication
    result = CliRunner().invoke(
        app,
        [
            *db,
            "score",
            "--publication",
            str(publication_id),
            "--format",
            output_format,
            "--uncertainty",
            "10",
            "--coverage-threshold",
            "0",
        ],
        env={"COLUMNS": "300"},
    )
    assert result.exit_code == 0, result.output
    assert_marked(result.stdout, output_format)


@pytest.mark.parametrize("export_format", ["json", "csv"])
def test_export_of_a_rewritten_publication_warns(forged_publication, tmp_path, export_format):
    db, publication_id = forged_publication
    out = tmp_path / f"export.{export_format}"
    result = CliRunner().invoke(
        app,
        [
            *db,
            "publication",
            "export",
            str(publication_id),
            "--format",
            export_format,
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert UNVERIFIED_EXPORT.format(id=publication_id) in " ".join(result.stderr.split())
    text = out.read_text(encoding="utf-8")
    if export_format == "csv":
        assert {row["hash_verified"] for row in csv.DictReader(io.StringIO(text))} == {"no"}
    else:
        assert json.loads(text)["values"][0]["value"] == 12345  # written as stored, to look into


def test_export_of_an_intact_publication_does_not_warn(workspace, tmp_path):
    publication = build_published(workspace, tmp_path)
    result = CliRunner().invoke(
        app,
        [
            "--db",
            workspace.url,
            "publication",
            "export",
            str(publication.id),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {row["hash_verified"] for row in rows} == {"yes"}
