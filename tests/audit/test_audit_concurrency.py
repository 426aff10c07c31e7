"""Two writers appending at the same time never fork the chain: SQLite's write lock and
PostgreSQL's advisory lock serialise them, and every append succeeds."""

from __future__ import annotations

import threading

from tests.conftest import MINI
from verifier.core.audit import verify_audit
from verifier.core.editions import load_edition
from verifier.core.eventlog.append import record_event
from verifier.core.workspace import Workspace

WRITERS = 3
TRANSACTIONS = 15
EVENTS_PER_TRANSACTION = 3


def test_concurrent_writers_extend_one_chain(any_workspace: Workspace) -> None:
    load_edition(any_workspace, MINI, "layla")
    with any_workspace.reading() as session:
        before = verify_audit(session).events  # the load's events: grants, sources, load
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            start.wait()
            for n in range(TRANSACTIONS):
                with any_workspace.session() as session:
                    for k in range(EVENTS_PER_TRANSACTION):
                        record_event(
                            session, edition_id=1, actor=name, action="note", note=f"{n}.{k}"
                        )
        except BaseException as error:  # reported below, with the others
            errors.append(error)

    threads = [threading.Thread(target=write, args=(f"writer{w}",)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with any_workspace.reading() as session:
        result = verify_audit(session)
    assert result.intact, result.findings
    assert result.events == before + WRITERS * TRANSACTIONS * EVENTS_PER_TRANSACTION
    assert result.head_seq == result.events
