"""Team mode: a document stored through one PostgreSQL login is read through another,
and only leads can store documents (raw SQL as an assistant's login is refused)."""

from __future__ import annotations

import psycopg
import pytest

from tests.evidence.documents import ARABIC_PAGES, make_pdf
from tests.team_fixture import Team, team  # noqa: F401 (the fixture)
from verifier.core.evidence.reading import document_bytes, document_info, page_text
from verifier.core.evidence.store import store_document

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
