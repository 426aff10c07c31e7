"""Team mode: only a lead seals items imported before import digests. PostgreSQL refuses an
assistant's or an analyst's login a seal event or an import digest, whatever the client
sends (raw SQL as psql would), and a lead's seal goes through and checks out."""

from __future__ import annotations

import pytest
from psycopg import errors

from tests.audit.test_seal import old_import, strip_digests
from tests.conftest import MINI
from tests.team_fixture import Team
from verifier.core.audit import verify_audit
from verifier.core.audit.seal import seal
from verifier.core.errors import PermissionDeniedError
from verifier.core.importing import ImportOptions, import_file

REFUSED = [
    "UPDATE item SET import_digest = NULL WHERE id = 1",
    "UPDATE item SET import_digest = 'ab' WHERE id = 1",
    "INSERT INTO review_event (edition_id, actor, action, note, reason, payload, created_at) "
    "VALUES (1, 'x', 'seal', '', '', '{\"batch_digests\": {\"1\": \"ab\"}}', now())",
]


@pytest.fixture
def legacy(team: Team, monkeypatch: pytest.MonkeyPatch) -> Team:
    """Items imported by the assistant as before digests existed."""
    workspace = team.workspace(team.assistant)
    with monkeypatch.context() as patched:
        old_import(patched)
        import_file(workspace, MINI / "items.csv", ImportOptions(team.assistant, auto_match=False))
    workspace.close()
    strip_digests(team.admin_url)
    return team


@pytest.mark.parametrize("statement", REFUSED)
@pytest.mark.parametrize("who", ["assistant", "analyst"])
def test_only_a_lead_may_write_an_import_digest_or_a_seal(
    legacy: Team, who: str, statement: str
) -> None:
    login = getattr(legacy, who)
    with legacy.connect(login) as connection, pytest.raises(errors.InsufficientPrivilege):
        connection.execute(statement)


def test_a_leads_seal_goes_through_and_an_assistants_is_refused(legacy: Team) -> None:
    assistant = legacy.workspace(legacy.assistant)
    with assistant.session() as session, pytest.raises(PermissionDeniedError):
        seal(session, legacy.assistant)
    lead = legacy.workspace(legacy.lead)
    with lead.reading() as session:
        before = verify_audit(session)
    assert before.intact and before.items_without_digest == 4 and before.batches_unsealed == 1
    with lead.session() as session:
        sealed = seal(session, legacy.lead)
    assert sealed.items == 4
    with lead.reading() as session:
        after = verify_audit(session)
    assert after.intact, after.findings
    assert after.items_without_digest == 0 and after.batches_unsealed == 0
    # The lead's grant is the import digest alone.
    with legacy.connect(legacy.lead) as connection, pytest.raises(errors.InsufficientPrivilege):
        connection.execute("UPDATE item SET value_number = 1 WHERE id = 1")
    assistant.close()
    lead.close()
