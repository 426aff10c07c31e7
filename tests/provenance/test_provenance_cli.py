"""``verifier report provenance`` over a published workspace."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from verifier.cli.app import VerifierGroup, root
from verifier.cli.commands import audit_cmds, report_cmds
from verifier.core.workspace import Workspace

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer(cls=VerifierGroup)
    app.callback()(root)
    report_cmds.register(app)
    audit_cmds.register(app)
    return app


def invoke(workspace: Workspace, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(_app(), ["--db", workspace.url, "--user", "layla", *args])
    return result.exit_code, result.stdout, result.stderr


def test_one_value_as_json(published: Workspace) -> None:
    code, out, _ = invoke(
        published, "report", "provenance", "--city", "sa-riyadh", "--indicator",
        "TRD-WATER", "--format", "json",
    )  # fmt: skip
    assert code == 0
    document = json.loads(out)
    [value] = document["values"]
    assert [i["id"] for i in value["evidence"]] == [1, 2]
    assert document["selection"] == {
        "publication_id": 1, "city": "sa-riyadh", "indicator": "TRD-WATER", "item_id": None,
    }  # fmt: skip


def test_the_whole_publication_to_a_file(published: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "provenance.html"
    code, out, err = invoke(
        published, "report", "provenance", "--publication", "1", "--format", "html",
        "--output", str(target),
    )  # fmt: skip
    assert code == 0 and out == "" and "wrote" in err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_an_unpublished_item_in_markdown(published: Workspace) -> None:
    code, out, _ = invoke(published, "report", "provenance", "--item", "7")
    assert code == 0
    assert "NOT PUBLISHED" in out and "its status is rejected" in out


def test_errors_are_one_line(published: Workspace) -> None:
    code, _, err = invoke(published, "report", "provenance", "--item", "999")
    assert code == 1 and "no item 999" in err


def test_audit_verify_passes_on_an_untouched_workspace(published: Workspace) -> None:
    code, out, _ = invoke(published, "audit", "verify")
    assert code == 0
    assert "The audit trail is intact." in out and "Head: " in out


def test_the_command_offers_every_format_the_core_renders() -> None:
    from verifier.core.provenance import ReportFormat

    assert [f.value for f in report_cmds.ProvenanceFormat] == [f.value for f in ReportFormat]
