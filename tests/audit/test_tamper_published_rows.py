"""Someone drops the append-only triggers and rewrites what queries read rather than what is
hashed: a publication's value and evidence rows. ``audit verify`` names it, and nothing that
shows or reports the publication passes the forgery on or calls it verified. On SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import text
from typer.testing import CliRunner

from db.immutability import allow_changes
from tests.audit.test_audit_tamper import audit, tamper
from verifier.cli.app import app
from verifier.core.workspace import Workspace

# Publication 1 of the scenario: Cairo's water access is 82 (item 5 wins the conflict),
# Riyadh's is 99.1 (items 1 and 2).
CAIRO_WATER = (
    "publication_value.city_id = 'eg-cairo' AND publication_value.indicator_id = "
    "(SELECT id FROM indicator WHERE code = 'TRD-WATER')"
)


def run(workspace: Workspace, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", workspace.url, *args])
    return result.exit_code, result.stdout, result.stderr


def test_dropped_append_only_triggers_are_named(history: Workspace) -> None:
    dialect = history.engine.dialect.name
    with history.engine.begin() as connection:
        for table in ("review_event", "publication_value"):
            for statement in allow_changes(dialect, table):
                connection.exec_driver_sql(statement)
    result = audit(history)
    guards = sorted(f.message for f in result.findings if f.kind == "guard")
    assert len(guards) == 2, guards
    assert guards[0].startswith("table publication_value is no longer append-only: its trigger")
    assert guards[1].startswith("table review_event is no longer append-only: its trigger")
    assert "dropped or disabled" in guards[1]
    code, out, _ = run(history, "audit", "verify")
    assert code == 1
    assert "- [guard] table review_event is no longer append-only" in out


def test_disabled_triggers_are_named_on_postgresql(history: Workspace) -> None:
    if history.engine.dialect.name != "postgresql":
        return  # SQLite triggers cannot be disabled, only dropped (the test above)
    with history.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE publication DISABLE TRIGGER USER")
    messages = [f.message for f in audit(history).findings]
    assert messages == [
        "table publication is no longer append-only: its triggers publication_no_change, "
        "publication_no_truncate were dropped or disabled, so its rows can be rewritten without "
        "a trace (re-create them as the migrations define them, and treat everything else "
        "found here as possible tampering)"
    ]


def test_a_forged_published_value_is_named_and_never_reported(history: Workspace) -> None:
    tamper(
        history,
        f"UPDATE publication_value SET value = 12345 WHERE {CAIRO_WATER}",
        table="publication_value",
    )
    findings = audit(history).findings
    assert [(f.kind, f.message) for f in findings] == [
        (
            "published_rows",
            "publication 1 (#1): value row eg-cairo · TRD-WATER says value 12345.0, its hashed "
            "content says 82.0",
        )
    ]
    code, out, err = run(history, "audit", "verify")
    assert code == 1 and "- [published_rows] publication 1 (#1): value row eg-cairo" in out
    # `publication show` does not call it verified, and says what is wrong.
    code, out, err = run(history, "publication", "show", "1")
    assert code == 1
    assert "(verified)" not in out
    assert "(content verified, but its rows do NOT match it)" in out
    assert "WARNING: value row eg-cairo · TRD-WATER says value 12345.0" in err
    # The provenance report states the hashed value, and warns about the rows.
    code, out, _ = run(history, "report", "provenance", "--format", "json")
    document = json.loads(out)
    cairo = [v for v in document["values"] if v["city"]["id"] == "eg-cairo"]
    assert [v["value"] for v in cairo] == [82.0]
    assert all(v["value"] != 12345 for v in document["values"])
    assert document["publication"]["content_intact"] is True
    assert document["publication"]["rows_intact"] is False
    code, out, _ = run(history, "report", "provenance", "--format", "md")
    assert out.count("12345") == 1  # in the warning only
    assert "its queryable rows do NOT match its hashed content" in out
    assert "value row eg-cairo · TRD-WATER says value 12345.0" in out
    code, out, _ = run(history, "report", "provenance", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["publication_verified"] for r in rows} == {
        "no: its queryable rows were rewritten (this report reads the hashed content)"
    }
    assert {r["value"] for r in rows if r["city_id"] == "eg-cairo"} == {"82.0"}
    # The export reads the document too.
    code, out, _ = run(history, "publication", "export", "1", "--format", "csv")
    assert code == 0 and "12345" not in out and "eg-cairo" in out


def test_repointed_evidence_is_named_and_never_reported(history: Workspace) -> None:
    # Item 5 (82, the conflict's winner) is replaced by item 4 (80, the loser) as evidence.
    tamper(
        history,
        "UPDATE publication_evidence SET item_id = 4 WHERE item_id = 5",
        table="publication_evidence",
    )
    findings = audit(history).findings
    assert [(f.kind, f.message) for f in findings] == [
        (
            "published_rows",
            "publication 1 (#1): the evidence rows of eg-cairo · TRD-WATER differ from its "
            "hashed content: items 4 added, items 5 missing",
        )
    ]
    code, out, _ = run(history, "publication", "show", "1")
    assert code == 1 and "(verified)" not in out
    # The report of item 4 still says it is not published; item 5 is still the evidence.
    code, out, _ = run(history, "report", "provenance", "--item", "4", "--format", "json")
    document = json.loads(out)
    assert document["values"] == []
    assert document["unpublished_items"][0]["published_in"] == []
    code, out, _ = run(history, "report", "provenance", "--item", "5", "--format", "json")
    document = json.loads(out)
    assert [[e["id"] for e in v["evidence"]] for v in document["values"]] == [[5]]
    assert document["publication"]["rows_intact"] is False


def test_a_forged_publication_row_is_named(history: Workspace) -> None:
    tamper(
        history,
        "UPDATE publication SET note = 'final, audited', value_count = 99",
        table="publication",
    )
    messages = sorted(f.message for f in audit(history).findings)
    assert messages == [
        'publication 1 (#1): its row says note "final, audited", its hashed content says '
        '"first release"',
        "publication 1 (#1): its row says value_count 99, its hashed content says 4",
    ]
    code, out, _ = run(history, "publication", "show", "1")
    assert code == 1
    assert "note:       first release" in out and "values:     4 of" in out


def test_a_diff_against_altered_content_is_marked(history: Workspace) -> None:
    tamper(
        history,
        text("UPDATE publication SET content = replace(content, :old, :new)").bindparams(
            old='"value":82.0', new='"value":83.0'
        ),
        table="publication",
    )
    code, _, err = run(history, "publication", "diff", "1", "1")
    assert code == 1
    assert "WARNING: publication 1's stored content does NOT match its sha256" in err
    with history.engine.connect() as connection:
        stored = connection.execute(text("SELECT content FROM publication")).scalar_one()
    assert '"value":83.0' in stored


def test_a_value_stripped_of_every_evidence_row_is_named(history: Workspace) -> None:
    # Riyadh's water access (items 1 and 2) loses both its evidence rows.
    tamper(
        history,
        "DELETE FROM publication_evidence WHERE item_id IN (1, 2)",
        table="publication_evidence",
    )
    findings = audit(history).findings
    assert [(f.kind, f.message) for f in findings] == [
        (
            "published_rows",
            "publication 1 (#1): the evidence rows of sa-riyadh · TRD-WATER differ from its "
            "hashed content: items 1, 2 missing",
        )
    ]


def test_the_evidence_rows_are_read_once_in_primary_key_order(history: Workspace) -> None:
    """The check holds one value's evidence at a time: the rows come in one statement,
    in (value, item) order along the primary key, so nothing sorts or gathers them all."""
    from sqlalchemy import event
    from sqlmodel import select

    from db.models import Publication
    from verifier.core.publishing.rows import check_publication

    statements: list[str] = []

    def before(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(" ".join(sql.split()))

    event.listen(history.engine, "before_cursor_execute", before)
    try:
        with history.reading() as session:
            publication = session.exec(select(Publication)).first()
            assert publication is not None
            assert check_publication(session, publication).verified
    finally:
        event.remove(history.engine, "before_cursor_execute", before)
    [evidence] = [s for s in statements if "FROM publication_evidence" in s]
    assert "ORDER BY publication_value.id, publication_evidence.item_id" in evidence
    if history.engine.dialect.name == "sqlite":
        with history.engine.connect() as connection:
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {evidence}", (1,)).all()
        assert not [step for step in plan if "TEMP B-TREE" in step[-1]], plan
