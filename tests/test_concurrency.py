"""Concurrent writers never show a person a traceback: a deadlock is retried, a stale item is
reported for that item while a multi-item command goes on, and the summary has the counts."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests.conftest import MINI
from verifier.cli.app import app
from verifier.core.concurrency import with_retries
from verifier.core.editions import load_edition
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review import decisions
from verifier.core.workspace import Workspace


@pytest.fixture
def items(any_workspace: Workspace) -> Workspace:
    load_edition(any_workspace, MINI, "layla")
    import_file(any_workspace, MINI / "items.csv", ImportOptions("omar", auto_match=False))
    return any_workspace


def test_a_stale_item_is_reported_and_the_others_are_decided(
    items: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = decisions.set_status
    colleague = Workspace(items.url)

    def racing(session: Any, item_id: int, *args: Any, **kwargs: Any) -> Any:
        if item_id == 2 and not getattr(racing, "done", False):
            racing.done = True  # type: ignore[attr-defined]
            with colleague.session() as other:  # sara decides it first
                real(other, 2, "flagged", "sara", note="unit unclear")
        return real(session, item_id, *args, **kwargs)

    monkeypatch.setattr(decisions, "set_status", racing)
    result = CliRunner().invoke(
        app, ["--db", items.url, "--user", "omar", "item", "set-status", "1", "2", "3",
              "--status", "verified"],
    )  # fmt: skip
    colleague.close()
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "item 1: unverified → verified",
        "item 3: unverified → verified",
    ]
    assert "item 2: stale: someone else changed it after this command read it" in result.stderr
    assert "3 item(s): 2 decided, 1 stale." in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    with items.reading() as session:
        statuses = session.execute(text("SELECT id, status FROM item ORDER BY id")).all()
    assert [tuple(r) for r in statuses][:3] == [(1, "verified"), (2, "flagged"), (3, "verified")]


@pytest.mark.postgres
def test_a_deadlock_is_retried(pg_url: str) -> None:
    workspace = Workspace(pg_url)
    workspace.initialise()
    load_edition(workspace, MINI, "layla")
    import_file(workspace, MINI / "items.csv", ImportOptions("omar", auto_match=False))
    both = threading.Barrier(2)
    attempts: list[str] = []
    errors: list[BaseException] = []

    def writer(name: str, first: int, second: int) -> None:
        def work(session: Any) -> None:
            attempts.append(name)
            session.execute(
                text("UPDATE item SET version = version + 1 WHERE id = :i"), {"i": first}
            )
            if len(attempts) <= 2:
                both.wait(timeout=10)  # both hold their first row: a deadlock follows
            session.execute(
                text("UPDATE item SET version = version + 1 WHERE id = :i"), {"i": second}
            )

        try:
            with_retries(workspace, work)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=("a", 1, 2)),
               threading.Thread(target=writer, args=("b", 2, 1))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    workspace.close()
    assert errors == []
    assert len(attempts) == 3  # one of the two was chosen as the deadlock victim, then retried
