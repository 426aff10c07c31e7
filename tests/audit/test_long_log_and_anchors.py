"""``audit verify`` over a log longer than the batch it reads at a time: tampering in a later
batch, or right at the boundary of two, is found as in a short log. And ``--anchor``: a
correct one on an untouched log is accepted, a malformed one refused. On SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert
from sqlmodel import select
from typer.testing import CliRunner

from db.models import ReviewEvent, table_of
from tests.audit.test_audit_tamper import forged, only_finding, tamper
from verifier.cli.app import app
from verifier.core.audit import AuditResult, parse_anchor, verify_audit
from verifier.core.errors import InvalidActionError
from verifier.core.eventlog.hashing import event_hash
from verifier.core.workspace import Workspace

BATCH = 4  # the scenario's log is several times longer


def _audit(workspace: Workspace, batch_size: int = BATCH) -> AuditResult:
    with workspace.reading() as session:
        return verify_audit(session, batch_size=batch_size)


def _event(workspace: Workspace, seq: int) -> ReviewEvent:
    with workspace.reading() as session:
        return session.exec(select(ReviewEvent).where(ReviewEvent.seq == seq)).one()


def _count(workspace: Workspace) -> int:
    with workspace.reading() as session:
        return session.exec(select(func.count()).select_from(ReviewEvent)).one()


def run(workspace: Workspace, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", workspace.url, *args])
    return result.exit_code, result.stdout, result.stderr


def test_an_untouched_log_is_intact_whatever_the_batch(history: Workspace) -> None:
    events = _count(history)
    assert events > 3 * BATCH  # long enough for the tests below
    for batch_size in (1, 2, BATCH, events - 1, events, 5_000):
        result = _audit(history, batch_size)
        assert result.findings == [], batch_size
        assert (result.events, result.head_seq) == (events, events), batch_size  # seq 1..N
        assert result.head_hash == _event(history, events).hash


def test_an_event_altered_in_a_later_batch_is_named(history: Workspace) -> None:
    seq = 3 * BATCH + 2  # in the fourth batch
    target = _event(history, seq)
    tamper(history, f"UPDATE review_event SET actor = 'mallory' WHERE seq = {seq}")
    message = only_finding(_audit(history))
    assert message.startswith(f"the content of event #{seq} (id {target.id}, ")
    assert message.endswith("no longer matches its hash: it was changed after it was written")


def test_a_rehashed_event_at_the_end_of_a_batch_breaks_the_link_into_the_next(
    history: Workspace,
) -> None:
    seq = 2 * BATCH  # the last event of the second batch; its successor opens the third
    row = _event(history, seq)
    assert row.prev_hash is not None
    new_hash = event_hash(
        seq=seq, prev_hash=row.prev_hash, edition_id=row.edition_id, item_id=row.item_id,
        actor="mallory", action=row.action, old_status=row.old_status,
        new_status=row.new_status, note=row.note, reason=row.reason, payload=row.payload,
        created_at=row.created_at,
    )  # fmt: skip
    tamper(history, f"UPDATE review_event SET actor = 'mallory', hash = '{new_hash}' "
                    f"WHERE seq = {seq}")  # fmt: skip
    message = only_finding(_audit(history))
    assert message.startswith(f"event #{seq + 1} (")
    assert f"does not link to event #{seq}: its link matches no event in the log" in message


def test_an_event_deleted_at_the_start_of_a_batch_is_named(history: Workspace) -> None:
    seq = 2 * BATCH + 1  # the third batch now starts one event later
    tamper(history, f"DELETE FROM review_event WHERE seq = {seq}")
    findings = [f for f in _audit(history).findings if f.kind != "item_row"]
    assert [f.message for f in findings][:1] == [
        f"event #{seq} is missing: deleted between event #{seq - 1} and event #{seq + 1}"
    ]


def test_a_second_event_in_the_last_position_of_a_batch_is_named(history: Workspace) -> None:
    seq = BATCH  # the first batch ends with the original, the second starts with the copy
    target = _event(history, seq)
    assert target.prev_hash is not None
    row = forged(history, seq, target.prev_hash)
    tamper(history, "DROP INDEX ix_review_event_seq", insert(table_of(ReviewEvent)).values(**row))
    message = only_finding(_audit(history))
    assert message.startswith(f"events id {target.id} and id ")
    assert f"both claim position #{seq}: an extra event was inserted" in message


def test_the_batch_size_must_be_positive(history: Workspace) -> None:
    with pytest.raises(ValueError, match="batch_size must be at least 1, not 0"):
        _audit(history, 0)


# --- anchors --------------------------------------------------------------------------------


def test_a_correct_anchor_on_an_untouched_log_is_accepted(history: Workspace) -> None:
    events = _count(history)
    head, older = _event(history, events), _event(history, 5)
    anchors = [f"{events}:{head.hash}", f"5:{str(older.hash).upper()}"]  # hex in any case
    code, out, err = run(history, "audit", "verify", "--anchor", anchors[0], "--anchor", anchors[1])
    assert (code, err) == (0, "")
    assert out.splitlines()[0].endswith(" items and 2 anchors.")
    assert f"Checked {events:,} events, 1 publication, 1 conflict resolution" in out
    assert "The audit trail is intact." in out
    assert f"Head: {events}:{head.hash}" in out


@pytest.mark.parametrize(
    "anchor",
    [
        "12",  # no hash
        f"12{'a' * 64}",  # no colon
        f"x:{'a' * 64}",  # not a position
        f"-1:{'a' * 64}",  # a negative position
        f"12:{'a' * 63}",  # one hex digit short
        f"12:{'a' * 65}",  # one too many
        f"12:{'g' * 64}",  # not hexadecimal
        f"12:{'a' * 62}ab:",  # a second colon
    ],
)
def test_a_malformed_anchor_is_refused(workspace: Workspace, anchor: str) -> None:
    with pytest.raises(InvalidActionError) as refused:
        parse_anchor(anchor)
    expected = f"anchor '{anchor}' is not SEQ:SHA256 (e.g. 1234:9f86d0…)"
    assert str(refused.value) == expected
    code, out, err = run(workspace, "audit", "verify", "--anchor", anchor)
    assert (code, out) == (1, "")
    assert err.strip() == f"error: {expected}"


def test_parse_anchor_reads_what_verify_prints() -> None:
    digest = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
    assert (parse_anchor(f" 1234:{digest} ").seq, parse_anchor(f"1234:{digest}").hash) == (
        1234,
        digest.lower(),
    )
