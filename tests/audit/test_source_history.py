"""Source metadata: every change is an audited event that keeps the previous metadata and a
new version in the source's history; reports of a publication show each source as it was
when the value was published; rewriting a source row or its history is detected."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, select
from typer.testing import CliRunner

from db.models import ReviewEvent, SourceVersion
from tests.audit.test_audit_tamper import audit, tamper
from verifier.cli.app import app
from verifier.core.editions import load_edition
from verifier.core.workspace import Workspace

runner = CliRunner()
KEY = "yearbook-2023"
TITLE = "Statistical Yearbook 2023"
PUBLISHER = "National Statistics Office"
FORGED = "Forged Yearbook"
FORMATS = ("md", "html", "csv", "json", "prov-json")


def cli(workspace: Workspace, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", workspace.url, "--user", "layla", *args])
    return result.exit_code, result.stdout, result.stderr


def versions(workspace: Workspace, key: str = KEY) -> list[SourceVersion]:
    with workspace.reading() as session:
        query = select(SourceVersion).where(SourceVersion.key == key)
        return list(session.exec(query.order_by(col(SourceVersion.version))))


def source_events(workspace: Workspace, key: str = KEY) -> list[ReviewEvent]:
    with workspace.reading() as session:
        query = select(ReviewEvent).where(
            col(ReviewEvent.action).in_(("source_add", "source_change"))
        )
        rows = session.exec(query.order_by(col(ReviewEvent.id))).all()
    return [e for e in rows if e.payload.get("source") == key]


def report(workspace: Workspace, fmt: str, *selection: str) -> str:
    code, out, err = cli(workspace, "report", "provenance", "--publication", "1", "--format",
                         fmt, *selection)  # fmt: skip
    assert code == 0, err
    return out


def assert_reports_show_the_published_source(workspace: Workspace) -> None:
    """Every format of the publication's provenance names the source as published."""
    for fmt in FORMATS:
        out = report(workspace, fmt, "--city", "sa-riyadh", "--indicator", "TRD-WATER")
        assert TITLE in out, fmt
        assert FORGED not in out and "Forged" not in out, fmt
    document = json.loads(report(workspace, "json"))
    titles = {i["source"]["title"] for v in document["values"] for i in v["evidence"]}
    assert TITLE in titles and FORGED not in titles
    rows = list(csv.DictReader(io.StringIO(report(workspace, "csv"))))
    assert {r["source_title"] for r in rows if r["source_key"] == KEY} == {TITLE}


def test_source_add_onto_an_existing_key_keeps_the_previous_metadata(history: Workspace) -> None:
    code, out, err = cli(history, "source", "add", KEY, "--title", FORGED, "--publisher", "Nobody")
    assert code == 0, err
    assert f"Updated source {KEY}" in out
    first, second = versions(history)
    assert (first.version, first.title, first.publisher) == (1, TITLE, PUBLISHER)
    assert (second.version, second.title, second.publisher) == (2, FORGED, "Nobody")
    add, change = source_events(history)
    assert (add.action, change.action) == ("source_add", "source_change")
    assert (first.event_id, second.event_id) == (add.id, change.id)
    assert change.payload["before"]["title"] == TITLE
    assert change.payload["after"]["title"] == FORGED
    # source add says everything about the source: what it leaves out is now empty
    assert {"title", "publisher", "url"} <= set(change.payload["changed"])
    assert second.recorded_by == "layla" == change.actor
    # Saying the same again changes nothing: no event, no version.
    assert cli(history, "source", "add", KEY, "--title", FORGED, "--publisher", "Nobody")[0] == 0
    assert len(versions(history)) == 2 and len(source_events(history)) == 2
    result = audit(history)
    assert result.intact, result.findings
    assert result.sources == 2


def test_reports_of_a_publication_show_the_source_as_published(history: Workspace) -> None:
    assert cli(history, "source", "add", KEY, "--title", FORGED)[0] == 0
    assert_reports_show_the_published_source(history)
    code, out, _ = cli(history, "publication", "show", "1")
    assert code == 0
    assert f"  {KEY} (version 1): {TITLE} — {PUBLISHER}, published 2023-11-01" in out
    assert "    changed since: title, publisher, language, url, published_on" in out
    # What is not published is reported as it is now.
    assert FORGED in report(history, "md", "--item", "12")
    code, out, _ = cli(history, "source", "list", "--format", "json")
    assert {s["key"]: s["title"] for s in json.loads(out)}[KEY] == FORGED


def test_an_edition_load_that_changes_a_source_is_a_new_version(
    history: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "mini"  # the scenario's own copy of the edition
    sources = folder / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8").replace(TITLE, FORGED), encoding="utf-8")
    load_edition(history, folder, "layla")
    assert [v.title for v in versions(history)] == [TITLE, FORGED]
    change = source_events(history)[-1]
    assert change.action == "source_change" and change.payload["before"]["title"] == TITLE
    assert_reports_show_the_published_source(history)
    assert audit(history).intact


def test_a_source_row_rewritten_directly_is_detected_and_changes_no_report(
    history: Workspace,
) -> None:
    with history.engine.begin() as connection:
        connection.execute(
            text("UPDATE source SET title = :t WHERE key = :k"), {"t": FORGED, "k": KEY}
        )
    result = audit(history)
    assert not result.intact
    [finding] = result.findings
    assert finding.kind == "source"
    assert finding.message == (
        f"source '{KEY}': its row differs from its last recorded version 1 (title "
        f"'{FORGED}', recorded '{TITLE}'): the row was changed behind the application's back"
    )
    assert_reports_show_the_published_source(history)
    code, out, _ = cli(history, "audit", "verify")
    assert code == 1 and "[source]" in out and FORGED in out
    code, out, _ = cli(history, "publication", "show", "1")
    assert f"{KEY} (version 1): {TITLE}" in out and "changed since: title" in out


def test_rewriting_the_history_too_is_detected(history: Workspace) -> None:
    with history.engine.begin() as connection:
        connection.execute(
            text("UPDATE source SET title = :t WHERE key = :k"), {"t": FORGED, "k": KEY}
        )
    tamper(history, f"UPDATE source_version SET title = '{FORGED}' WHERE key = '{KEY}'",
           table="source_version")  # fmt: skip
    [finding] = audit(history).findings
    add = source_events(history)[0]
    assert finding.seq == add.seq
    assert finding.message == (
        f"source '{KEY}' version 1 differs from its event #{add.seq} (title '{FORGED}', "
        f"recorded '{TITLE}'): the history was rewritten"
    )


def test_a_deleted_or_inserted_version_is_detected(history: Workspace) -> None:
    tamper(history, f"DELETE FROM source_version WHERE key = '{KEY}'", table="source_version")
    messages = [f.message for f in audit(history).findings]
    add = source_events(history)[0]
    assert f"source '{KEY}' has no recorded history" in messages[0]
    assert messages[1].startswith(f"event #{add.seq} (source_add of source '{KEY}') has no ")
    with history.engine.begin() as connection:
        source_id = connection.execute(
            text("SELECT id FROM source WHERE key = :k"), {"k": KEY}
        ).scalar_one()
        columns = "title, publisher, language, url, file_path, file_sha256, origin"
        connection.execute(
            text(
                f"INSERT INTO source_version (source_id, version, key, {columns}, "
                "recorded_by, recorded_at) SELECT id, 2, key, "
                f"{columns.replace('title', ':t')}, 'mallory', created_at FROM source "
                "WHERE id = :s"
            ),
            {"t": FORGED, "s": source_id},
        )
    messages = [f.message for f in audit(history).findings]
    assert any(m.startswith(f"source '{KEY}' version 2 has no event in the log") for m in messages)


def test_the_history_is_append_only(history: Workspace) -> None:
    for statement in ("UPDATE source_version SET title = 'x'", "DELETE FROM source_version"):
        with pytest.raises(DBAPIError, match="append-only"), history.engine.begin() as c:
            c.execute(text(statement))
    assert [v.title for v in versions(history)] == [TITLE]


def test_a_publication_without_its_publish_event_shows_sources_at_its_anchor(
    history: Workspace,
) -> None:
    assert cli(history, "source", "add", KEY, "--title", FORGED)[0] == 0
    tamper(history, "DELETE FROM review_event WHERE action = 'publish'")
    code, out, _ = cli(history, "publication", "show", "1")
    assert code == 0 and f"{KEY} (version 1): {TITLE}" in out


def test_history_is_filled_from_the_log_when_upgrading(history: Workspace) -> None:
    """Downgrade to before 0008 and upgrade again: the versions come back from the events."""
    from alembic import command

    from db import migrate

    assert cli(history, "source", "add", KEY, "--title", FORGED)[0] == 0
    expected = [(v.version, v.title, v.event_id, v.recorded_by) for v in versions(history)]
    command.downgrade(migrate.alembic_config(history.engine), "0010")
    with history.engine.begin() as connection:
        # a source added before changes were logged, and one first seen by a change
        connection.execute(
            text(
                "INSERT INTO source (key, title, publisher, language, url, file_path, "
                "file_sha256, origin, created_at) VALUES ('old', 'Old title', '', '', '', '', "
                "'', 'curated', :at)"
            ),
            {"at": "2026-01-01 00:00:00"},
        )
    migrate.upgrade(history.engine)
    assert [(v.version, v.title, v.event_id, v.recorded_by) for v in versions(history)] == (
        expected
    )
    [old] = versions(history, "old")
    assert (old.version, old.title, old.event_id, old.recorded_by) == (1, "Old title", None, "")
    # Going below 0012 drops the items' import digests, which the log still records: said.
    findings = audit(history).findings
    assert [(f.kind, f.message[:51]) for f in findings] == [
        ("imported", "import batch 1: event #7 recorded its items' digest")
    ]
    assert findings[0].message.endswith(
        "none of its 14 items has a digest now): they were removed (a downgrade below "
        "migration 0012 does that too), so what was imported is no longer checked"
    )


def test_source_history_lists_every_version(history: Workspace) -> None:
    assert cli(history, "source", "add", KEY, "--title", FORGED, "--publisher", PUBLISHER)[0] == 0
    code, out, _ = cli(history, "source", "history", KEY, "--format", "json")
    assert code == 0
    first, second = json.loads(out)
    add, change = source_events(history)
    assert (first["version"], first["event"], first["changed"]) == (1, add.seq, "added")
    assert (first["title"], first["by"]) == (TITLE, "layla")
    assert (second["version"], second["event"], second["title"]) == (2, change.seq, FORGED)
    assert second["changed"] == "title, language, url, published_on, retrieved_on"
    code, _, err = cli(history, "source", "history", "nope")
    assert code == 1 and "no source 'nope'" in err
