"""Concurrent writers never show a person a traceback: a deadlock is retried, a stale item is
reported for that item while a multi-item command goes on, and the summary has the counts.
The last test races two commands in two processes on PostgreSQL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
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
    assert "3 items: 2 decided, 1 stale." in result.stderr
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


def _verifier(url: str, app_name: str, user: str, *args: str) -> subprocess.Popen[str]:
    """The command line in a process of its own: its own connection, as a colleague has."""
    return subprocess.Popen(
        [sys.executable, "-m", "verifier", "--db", url, "--user", user, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, "PGAPPNAME": app_name},
    )


def _waiting_on_locks(workspace: Workspace, app_name: str) -> int:
    """How many of the test's commands wait for a lock (other tests may share the server)."""
    with workspace.reading() as session:
        query = text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = :name AND wait_event_type = 'Lock'"
        )
        return int(session.execute(query, {"name": app_name}).scalar_one())


@pytest.mark.postgres
def test_concurrent_set_status_and_confirm_label_report_each_item(
    pg_url: str, tmp_path: Path
) -> None:
    """Two commands in two processes race over the same items while a third connection
    decides the first of them: neither shows a traceback nor stops early; each reports
    every item it could not change as stale, with the counts; nothing is overwritten."""
    workspace = Workspace(pg_url)
    workspace.initialise()
    load_edition(workspace, MINI, "layla")
    cairo = [row(city="Cairo", country="EG", locator=f"p. {n}") for n in range(1, 7)]
    other = [row(locator="p. 50"), row(locator="p. 51")]
    path = write_csv(tmp_path / "race.csv", cairo + other)
    import_file(workspace, path, ImportOptions("omar", auto_match=False))
    ids = [str(n) for n in range(1, 9)]  # 1-6 are labelled Cairo, 7-8 Riyadh
    app_name = f"race-{uuid.uuid4().hex[:8]}"
    colleague = Workspace(pg_url)
    try:
        with colleague.session() as session:  # layla decides item 1 and holds its lock...
            decisions.set_status(session, 1, "verified", "layla")
            setting = _verifier(pg_url, app_name, "omar", "item", "set-status", *ids, "--status",
                                "flagged", "--note", "unit unclear")  # fmt: skip
            confirming = _verifier(pg_url, app_name, "sara", "item", "confirm-label", "1", "--city",
                                   "eg-cairo")  # fmt: skip
            # ...until both commands have read the items and wait for that lock.
            while _waiting_on_locks(workspace, app_name) < 2:
                if setting.poll() is not None or confirming.poll() is not None:
                    break
                threading.Event().wait(0.05)
        set_out, set_err = setting.communicate(timeout=120)
        confirm_out, confirm_err = confirming.communicate(timeout=120)
    finally:
        colleague.close()
    for output in (set_out, set_err, confirm_out, confirm_err):
        assert "Traceback" not in output and "StaleDataError" not in output
        assert "deadlock" not in output.lower()
    assert setting.returncode == 1 and confirming.returncode == 1

    flagged = {int(n) for n in re.findall(r"^item (\d+): unverified → flagged$", set_out, re.M)}
    stale_for_status = {int(n) for n in re.findall(r"^item (\d+): stale: ", set_err, re.M)}
    confirmed = {
        int(n) for n in re.findall(r"^item (\d+): city none → eg-cairo$", confirm_out, re.M)
    }
    stale_for_city = {int(n) for n in re.findall(r"^item (\d+): stale: ", confirm_err, re.M)}
    # Item 1 was decided by layla before either command could: stale for both.
    assert 1 in stale_for_status and 1 in stale_for_city
    # Every other Cairo item went to exactly one of the two; the other reported it stale.
    for item in range(2, 7):
        assert (item in flagged) != (item in confirmed), item
        assert (item in stale_for_status) == (item in confirmed), item
        assert (item in stale_for_city) == (item in flagged), item
    assert {7, 8} <= flagged  # and the command went on past the stale items
    assert f"8 items: {len(flagged)} decided, {len(stale_for_status)} stale." in set_err
    assert (
        f"{len(confirmed)} {'item' if len(confirmed) == 1 else 'items'} now eg-cairo" in confirm_out
    )
    assert (
        f"6 items with this label: {len(confirmed)} confirmed, {len(stale_for_city)} stale."
        in confirm_err
    )
    with workspace.reading() as session:
        rows = session.execute(text("SELECT id, status, city_id FROM item ORDER BY id")).all()
    workspace.close()
    for item_id, status, city_id in rows:
        expected_status = (
            "verified" if item_id == 1 else ("flagged" if item_id in flagged else "unverified")
        )
        assert status == expected_status, item_id
        assert (city_id == "eg-cairo") == (item_id in confirmed), item_id
