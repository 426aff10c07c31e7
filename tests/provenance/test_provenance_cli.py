"""``verifier report provenance`` over a published workspace."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from verifier.cli.app import VerifierGroup, root
from verifier.cli.commands import audit_cmds, report_cmds
from verifier.core.errors import NotFoundError
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


def _fail_after_first_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The database gives out after the first evidence item has been read."""
    import verifier.core.provenance.stream as stream_module

    real = stream_module.load_item_chains
    calls = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) > 1:
            raise NotFoundError("the connection to the workspace was lost")
        return real(*args, **kwargs)

    monkeypatch.setattr(stream_module, "CHUNK", 1)
    monkeypatch.setattr(stream_module, "load_item_chains", failing)
    monkeypatch.setattr("verifier.cli.stdout_writers.BUFFER_CHARS", 1)


@pytest.mark.parametrize("fmt", ["md", "json", "csv"])
def test_a_report_cut_short_on_stdout_says_so_and_fails(
    published: Workspace, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    _fail_after_first_chunk(monkeypatch)
    code, out, err = invoke(published, "report", "provenance", "--format", fmt)
    assert code == 1
    assert out  # part of it had gone out already
    assert "the output printed above is INCOMPLETE" in err
    assert "the connection to the workspace was lost" in err


def test_a_report_cut_short_leaves_no_file(
    published: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "provenance.json"
    target.write_text("the previous report\n", encoding="utf-8")
    _fail_after_first_chunk(monkeypatch)
    code, _, err = invoke(
        published, "report", "provenance", "--format", "json", "-o", str(target), "--force"
    )
    assert code == 1 and "the connection to the workspace was lost" in err
    assert target.read_text(encoding="utf-8") == "the previous report\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_file_holds_what_stdout_shows(published: Workspace, tmp_path: Path) -> None:
    for fmt in ("md", "html", "csv", "json", "prov-json"):
        target = tmp_path / f"provenance.{fmt}"
        code, _, _ = invoke(published, "report", "provenance", "--format", fmt, "-o", str(target))
        assert code == 0
        _, out, _ = invoke(published, "report", "provenance", "--format", fmt)
        written = target.read_text(encoding="utf-8")
        assert _without_clock(written) == _without_clock(out), fmt


def _without_clock(text: str) -> str:
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "T", text)


def test_a_terminal_gets_the_lines_whatever_the_pieces() -> None:
    from verifier.cli.stdout_writers import LineWriter

    text = "# Report\n\n- **a:** ١٢٣\n## b\n\n\nlast\n"
    for size in (1, 2, 5, len(text)):
        shown: list[str] = []
        writer = LineWriter(shown.append)
        for start in range(0, len(text), size):
            writer.write(text[start : start + size])
        writer.flush()
        assert shown == text.splitlines(), size
