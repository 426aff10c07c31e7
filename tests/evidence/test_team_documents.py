"""Team mode: a document stored through one PostgreSQL login is read through another, and
checked through another with the results a single-machine workspace gives; only leads can
store documents (raw SQL as an assistant's login is refused)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from sqlmodel import col, select

from db.models import EvidenceCheck
from tests.conftest import MINI
from tests.evidence.documents import ARABIC_PAGES, make_pdf, make_scanned_pdf
from tests.team_fixture import Team, team  # noqa: F401 (the fixture)
from verifier.core.editions import load_edition
from verifier.core.evidence.listing import load_results
from verifier.core.evidence.reading import document_bytes, document_info, page_text
from verifier.core.evidence.results import Scope, run_check
from verifier.core.evidence.store import store_document
from verifier.core.importing import ImportOptions, import_file
from verifier.core.sources.registry import SourceFields, upsert_source
from verifier.core.workspace import Workspace, resolve_edition

pytestmark = pytest.mark.postgres


def test_a_document_stored_by_the_lead_is_read_by_an_assistant(team: Team, tmp_path) -> None:  # noqa: F811
    pdf = make_pdf(tmp_path / "telecom.pdf", ARABIC_PAGES)
    lead = team.workspace(team.lead)
    with lead.session() as session:
        stored = store_document(session, pdf, team.lead)
    lead.close()
    assistant = team.workspace(team.assistant)
    try:
        with assistant.reading() as session:
            info = document_info(session, stored.sha256)
            page = page_text(session, stored.sha256, 2)
            data = b"".join(document_bytes(session, stored.sha256))
    finally:
        assistant.close()
    assert data == pdf.read_bytes()
    assert info is not None and info.stored_by == team.lead  # the login, written by the database
    assert "نسبة التغطية ٨٨٫٢ ٪ في جدة" in page.text


def test_an_assistant_cannot_store_or_change_a_document(team: Team) -> None:  # noqa: F811
    with team.connect(team.assistant) as connection:
        for statement in (
            "INSERT INTO document (sha256, size, format, media_type, original_name, text_state,"
            " unit_count, extractor, stored_by, stored_at) VALUES ('x', 1, 'text', 'text/plain',"
            " 'x.txt', 'text', 1, '', 'x', now())",
            "INSERT INTO document_chunk (sha256, position, data) VALUES ('x', 0, 'abc')",
            "UPDATE document_page SET text = 'forged'",
            "DELETE FROM document_chunk",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
    with team.connect(team.lead) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("UPDATE document_page SET text = 'forged'")
        count = connection.execute("SELECT count(*) FROM document").fetchone()
    assert count == (1,)  # the mini edition's yearbook, stored by the lead's edition load


def _documents(folder: Path) -> dict[str, Path]:
    """The evidence check tests' documents, made once (a PDF's bytes carry its creation time)."""
    from tests.evidence.test_evidence_check import ARABIC_PAGES as WATER_PAGES
    from tests.evidence.test_evidence_check import TELECOM_PAGES

    return {
        "telecom": make_pdf(folder / "telecom.pdf", TELECOM_PAGES, align="L"),
        "water-ar": make_pdf(folder / "water-ar.pdf", WATER_PAGES),
        "scans": make_scanned_pdf(folder / "scans.pdf"),
    }


def _check_flow(
    stores: Workspace,
    imports: Workspace,
    checks: Workspace,
    documents: dict[str, Path],
    lead: str,
    assistant: str,
) -> list[tuple[object, ...]]:
    """Documents stored and sources added through ``stores``, the items imported through
    ``imports``, the check run and read through ``checks``: each item's result."""
    from tests.evidence.test_evidence_check import HEADER, ROWS

    folder = next(iter(documents.values())).parent
    with stores.session() as session:
        for key, path in documents.items():
            upsert_source(session, SourceFields(key, key, file=path), lead)
    items = folder / f"items-{assistant}.csv"
    items.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    import_file(imports, items, ImportOptions(assistant, auto_match=False))
    with checks.reading() as session:
        edition = resolve_edition(session, None).id
    run = run_check(checks, Scope(edition), assistant)
    assert run.checked == len(ROWS)
    with checks.reading() as session:
        results = load_results(session, Scope(edition))
    return [(r.contract(), r.sha256, r.stale, r.found_text, r.place, r.hint) for r in results]


def test_the_check_reads_documents_stored_through_another_login_as_on_sqlite(
    team: Team,  # noqa: F811
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    """A lead stores the documents; an assistant, on another connection, imports the items
    and runs the check: every result is the one a single-machine workspace gives."""
    from tests.evidence.test_evidence_check import EXPECTED

    load_edition(workspace, MINI, "layla")
    documents = _documents(tmp_path)
    alone = _check_flow(workspace, workspace, workspace, documents, "layla", "omar")
    lead, assistant = team.workspace(team.lead), team.workspace(team.assistant)
    try:
        shared = _check_flow(lead, assistant, assistant, documents, team.lead, team.assistant)
    finally:
        lead.close()
        assistant.close()
    assert [row[0]["status"] for row in shared] == EXPECTED  # type: ignore[index]
    assert shared == alone
    # What the assistant stored, the lead reads back the same, written by the assistant.
    reader = team.workspace(team.lead)
    try:
        with reader.reading() as session:
            rows = session.exec(select(EvidenceCheck).order_by(col(EvidenceCheck.item_id))).all()
            again = [(r.status, r.page, r.sha256, r.score) for r in rows]
    finally:
        reader.close()
    assert again == [
        (row[0]["status"], row[0]["page"], row[1], row[0]["score"])  # type: ignore[index]
        for row in shared
    ]
    assert {r.checked_by for r in rows} == {team.assistant}
