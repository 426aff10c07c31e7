"""The chain walk and ``verify_audit`` on a short log, each finding checked word for word.

The log: six notes by layla in an otherwise empty workspace (events #1-#6). Tampering goes through the same helper as test_audit_tamper
(triggers out of the way, then back). A small batch size shows that the walk reads a log
longer than one batch whole, including two events claiming one position across a batch
boundary.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, insert
from sqlmodel import col, select

from db.models import ReviewEvent, table_of
from db.types import utcnow
from tests.audit.test_audit_tamper import tamper
from verifier.core.audit import chain_walk
from verifier.core.audit.findings import Anchor, AuditResult, Finding
from verifier.core.audit.verify import verify_audit
from verifier.core.eventlog.append import record_event
from verifier.core.eventlog.hashing import GENESIS, event_hash
from verifier.core.workspace import Workspace

NOTES = 6


@pytest.fixture
def log(workspace: Workspace) -> Workspace:
    with workspace.session() as session:
        for n in range(NOTES):
            record_event(session, edition_id=None, actor="layla", action="note", note=f"n{n}")
    return workspace


def events(workspace: Workspace) -> list[ReviewEvent]:
    with workspace.reading() as session:
        return list(session.exec(select(ReviewEvent).order_by(col(ReviewEvent.seq))))


def described(event: ReviewEvent) -> str:
    when: datetime = event.created_at
    return f"id {event.id}, {event.action} by {event.actor} at {when:%Y-%m-%dT%H:%M:%SZ}"


def audit(workspace: Workspace, *anchors: Anchor, anchor_file: Path | None = None) -> AuditResult:
    with workspace.reading() as session:
        return verify_audit(session, anchors, anchor_file)


def forged_row(seq: int | None, prev_hash: str | None, **content: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "edition_id": None, "item_id": None, "actor": "mallory", "action": "note",
        "old_status": None, "new_status": None, "note": "forged", "reason": "",
        "payload": {}, "created_at": utcnow(),
    }  # fmt: skip
    fields.update(content)
    digest = None
    if seq is not None and prev_hash is not None:
        digest = event_hash(seq=seq, prev_hash=prev_hash, **fields)
    return {**fields, "seq": seq, "prev_hash": prev_hash, "hash": digest}


def add(workspace: Workspace, row: dict[str, Any], *before: str) -> None:
    tamper(workspace, *before, insert(table_of(ReviewEvent)).values(**row))


def test_an_intact_log_has_no_finding_and_its_head(log: Workspace) -> None:
    chain = events(log)
    result = audit(log)
    assert result.findings == []
    assert (result.events, result.head_seq, result.head_hash) == (
        len(chain), chain[-1].seq, chain[-1].hash,
    )  # fmt: skip
    assert chain[0].prev_hash == GENESIS
    assert (result.anchors, result.newest_anchor, result.covered_seq) == (0, 0, 0)
    assert result.uncovered == len(chain)


def test_an_empty_log_has_the_genesis_head(workspace: Workspace) -> None:
    result = audit(workspace)
    assert (result.events, result.head_seq, result.head_hash, result.findings) == (
        0, 0, GENESIS, [],
    )  # fmt: skip


def test_an_altered_event_word_for_word(log: Workspace) -> None:
    chain = events(log)
    third = chain[2]
    tamper(log, f"UPDATE review_event SET note = 'changed' WHERE id = {third.id}")
    assert audit(log).findings == [
        Finding(
            "altered",
            f"the content of event #{third.seq} ({described(third)}) no longer matches its "
            "hash: it was changed after it was written",
            third.seq,
            third.id,
        )
    ]


@pytest.mark.parametrize("cut", [1, 2])
def test_events_cut_from_the_start_word_for_word(log: Workspace, cut: int) -> None:
    chain = events(log)
    tamper(log, f"DELETE FROM review_event WHERE seq <= {cut}")
    first = chain[cut]
    result = audit(log)
    assert result.findings == [
        Finding(
            "missing",
            f"events #1–#{cut} are missing: the log starts at #{cut + 1} "
            f"({cut} {'event' if cut == 1 else 'events'} deleted from its start)",
            cut + 1,
            first.id,
        )
    ]
    assert result.events == len(chain) - cut


def test_a_replaced_first_event_word_for_word(log: Workspace) -> None:
    chain = events(log)
    row = forged_row(1, "f" * 64)
    tamper(log, "DROP INDEX ix_review_event_seq", "DELETE FROM review_event WHERE seq = 1")
    add(log, row)
    forged = next(e for e in events(log) if e.actor == "mallory")
    second = chain[1]
    assert audit(log).findings == [
        Finding(
            "unlinked",
            f"event #1 ({described(forged)}) claims to start the log but does not carry the "
            "genesis link: it was inserted or replaced",
            1,
            forged.id,
        ),
        Finding(
            "unlinked",
            f"event #2 ({described(second)}) does not link to event #1: its link matches no "
            "event in the log; it was inserted, or event #1 was replaced",
            2,
            second.id,
        ),
    ]


@pytest.mark.parametrize("deleted", [(3,), (3, 4)])
def test_events_deleted_in_the_middle_word_for_word(log: Workspace, deleted: tuple[int]) -> None:
    chain = events(log)
    tamper(log, f"DELETE FROM review_event WHERE seq IN ({', '.join(map(str, deleted))})")
    after = chain[deleted[-1]]  # the event right after the gap (index = its seq - 1 + 1)
    span = "event #3 is" if len(deleted) == 1 else "events #3–#4 are"
    assert audit(log).findings == [
        Finding(
            "missing",
            f"{span} missing: deleted between event #2 and event #{after.seq}",
            3,
            after.id,
        )
    ]


def test_an_event_linking_to_an_earlier_one_names_it(log: Workspace) -> None:
    chain = events(log)
    last = chain[-1]
    assert last.seq is not None
    add(log, forged_row(last.seq + 1, chain[2].hash))
    forged = events(log)[-1]
    result = audit(log)
    assert result.findings == [
        Finding(
            "unlinked",
            f"event #{forged.seq} ({described(forged)}) does not link to event #{last.seq}: "
            f"it links to event #3 instead; it was inserted, or event #{last.seq} was replaced",
            forged.seq,
            forged.id,
        )
    ]
    assert (result.head_seq, result.head_hash) == (forged.seq, forged.hash)


def test_an_event_whose_link_is_its_own_hash_matches_no_event(log: Workspace) -> None:
    last = events(log)[-1]
    assert last.seq is not None
    row = forged_row(last.seq + 1, "a" * 64)
    row["hash"] = "a" * 64  # stored hash = its own link: neither is right
    add(log, row)
    forged = events(log)[-1]
    assert audit(log).findings == [
        Finding(
            "altered",
            f"the content of event #{forged.seq} ({described(forged)}) no longer matches its "
            "hash: it was changed after it was written",
            forged.seq,
            forged.id,
        ),
        Finding(
            "unlinked",
            f"event #{forged.seq} ({described(forged)}) does not link to event #{last.seq}: "
            f"its link matches no event in the log; it was inserted, or event #{last.seq} "
            "was replaced",
            forged.seq,
            forged.id,
        ),
    ]


def test_two_events_in_one_position_word_for_word(log: Workspace) -> None:
    chain = events(log)
    target = chain[3]
    add(log, forged_row(target.seq, target.prev_hash), "DROP INDEX ix_review_event_seq")
    forged = next(e for e in events(log) if e.actor == "mallory")
    result = audit(log)
    assert result.findings == [
        Finding(
            "inserted",
            f"events id {target.id} and id {forged.id} both claim position #{target.seq}: "
            f"an extra event was inserted ({described(forged)})",
            target.seq,
            forged.id,
        )
    ]
    # the next event still links to the first of the two
    assert result.events == len(chain) + 1


def test_events_without_a_place_are_counted_and_named(log: Workspace) -> None:
    chain = events(log)
    add(log, forged_row(None, None, actor="mallory"))
    last = chain[-1]
    assert last.seq is not None
    add(log, forged_row(last.seq + 1, last.hash) | {"hash": None})
    found = [e for e in events(log) if e.actor == "mallory"]
    no_seq = next(e for e in found if e.seq is None)
    no_hash = next(e for e in found if e.seq is not None)
    result = audit(log)
    assert result.events == len(chain) + 2  # each counted once
    assert result.findings == [
        Finding(
            "altered",
            f"the content of event #{no_hash.seq} ({described(no_hash)}) no longer matches "
            "its hash: it was changed after it was written",
            no_hash.seq,
            no_hash.id,
        ),
        Finding(
            "unchained",
            f"event id {no_hash.id} (note by mallory) has no place in the chain (no position "
            "or hash): it was inserted behind the application's back",
            no_hash.seq,
            no_hash.id,
        ),
        Finding(
            "unchained",
            f"event id {no_seq.id} (note by mallory) has no place in the chain (no position "
            "or hash): it was inserted behind the application's back",
            None,
            no_seq.id,
        ),
    ]
    assert (result.head_seq, result.head_hash) == (no_hash.seq, "")


def test_anchors_word_for_word(log: Workspace) -> None:
    chain = events(log)
    head = chain[-1]
    assert head.seq is not None and head.hash is not None
    tamper(log, "DELETE FROM review_event WHERE seq = 2")
    good = Anchor(head.seq, head.hash)
    rewritten = Anchor(3, "b" * 64)
    gone = Anchor(2, chain[1].hash or "")
    beyond = Anchor(head.seq + 3, "c" * 64)
    result = audit(log, good, rewritten, gone, beyond)
    stored = chain[2].hash or ""
    assert [f for f in result.findings if f.kind == "anchor"] == [
        Finding(
            "anchor",
            f"anchor #3: the log has hash {stored[:16]}… there, the anchor says "
            f"{'b' * 16}…: history up to that event was rewritten",
            3,
        ),
        Finding("anchor", "anchor #2: that event is missing from the log", 2),
        Finding(
            "anchor",
            f"anchor #{head.seq + 3} is beyond the end of the log (head #{head.seq}): "
            "events were cut off the end",
            head.seq + 3,
        ),
    ]
    assert (result.anchors, result.newest_anchor) == (4, head.seq + 3)
    assert result.covered_seq == head.seq  # never beyond the head


def test_an_anchor_at_the_head_covers_the_log(log: Workspace) -> None:
    chain = events(log)
    middle = chain[2]
    assert middle.seq is not None and middle.hash is not None
    result = audit(log, Anchor(middle.seq, middle.hash))
    assert result.findings == []
    assert (result.anchors, result.newest_anchor, result.covered_seq) == (1, 3, 3)
    assert result.uncovered == len(chain) - 3


def test_findings_without_a_position_come_last(log: Workspace) -> None:
    add(log, forged_row(None, None))
    tamper(log, "DELETE FROM review_event WHERE seq = 3")
    result = audit(log)
    assert [(f.kind, f.seq) for f in result.findings] == [("missing", 3), ("unchained", None)]


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(chain_walk, "BATCH", 2)
    return 2


@pytest.mark.parametrize("extra", [0, 1])
def test_a_log_longer_than_a_batch_is_read_whole(
    log: Workspace, small_batches: int, extra: int
) -> None:
    # NOTES + extra events: an exact multiple of the batch, and one more.
    if extra:
        with log.session() as session:
            record_event(session, edition_id=None, actor="layla", action="note", note="extra")
    chain = events(log)
    result = audit(log)
    assert result.findings == []
    assert (result.events, result.head_seq) == (len(chain), chain[-1].seq)
    tamper(log, f"UPDATE review_event SET note = 'late' WHERE id = {chain[-1].id}")
    assert [(f.kind, f.seq) for f in audit(log).findings] == [("altered", chain[-1].seq)]


def test_two_events_in_one_position_across_a_batch_boundary(
    log: Workspace, small_batches: int
) -> None:
    chain = events(log)
    target = chain[1]  # #2: the last of the first batch
    add(log, forged_row(target.seq, target.prev_hash), "DROP INDEX ix_review_event_seq")
    forged = next(e for e in events(log) if e.actor == "mallory")
    result = audit(log)
    assert [(f.kind, f.seq, f.event_id) for f in result.findings] == [("inserted", 2, forged.id)]
    assert result.events == len(chain) + 1


def test_an_anchor_file_adds_its_anchors_and_names_bad_lines(
    log: Workspace, tmp_path: Path
) -> None:
    chain = events(log)
    third, fifth = chain[2], chain[4]
    assert third.hash and fifth.hash and chain[0].hash
    mine = chain[0].hash[:16]
    path = tmp_path / "anchors"
    path.write_text(
        f"# kept by the lead\n"
        f"{third.seq}:{third.hash}\t2026-12-01T10:00:00Z\tlog={mine}\tpublish\n"
        f"9:{'d' * 64}\t2026-12-01T10:00:00Z\tlog={'0' * 16}\tanother workspace\n"
        "not an anchor\n",
        encoding="utf-8",
    )
    result = audit(log, Anchor(fifth.seq or 0, fifth.hash), anchor_file=path)
    assert result.anchor_file == str(path)
    assert result.anchor_file_other_logs == 1
    assert result.findings == [
        Finding(
            "anchor",
            f"anchor file {path}: line 4: anchor 'not an anchor' is not SEQ:SHA256 "
            "(e.g. 1234:9f86d0…)",
        )
    ]
    # the anchor given and the one from the file are both checked
    assert (result.anchors, result.newest_anchor, result.covered_seq) == (2, 5, 5)


def test_without_an_anchor_file_nothing_is_read(log: Workspace) -> None:
    result = audit(log)
    assert (result.anchor_file, result.anchor_file_other_logs, result.anchors) == (None, 0, 0)


def test_findings_are_in_chain_order_whoever_found_them(log: Workspace) -> None:
    # #2 loses its hash (the walk: altered #2; the unchained check: #2; the link of #3
    # breaks) and #5 is deleted (missing #5): sorted by position, not by the check.
    tamper(
        log,
        "UPDATE review_event SET hash = NULL WHERE seq = 2",
        "DELETE FROM review_event WHERE seq = 5",
    )
    result = audit(log)
    assert [(f.kind, f.seq) for f in result.findings] == [
        ("altered", 2),
        ("unchained", 2),
        ("unlinked", 3),
        ("missing", 5),
    ]


def test_an_anchor_files_bad_line_is_added_to_the_logs_findings(
    log: Workspace, tmp_path: Path
) -> None:
    third = events(log)[2]
    tamper(log, f"UPDATE review_event SET note = 'changed' WHERE id = {third.id}")
    path = tmp_path / "anchors"
    path.write_text("not an anchor\n", encoding="utf-8")
    result = audit(log, anchor_file=path)
    assert [(f.kind, f.seq) for f in result.findings] == [("altered", 3), ("anchor", None)]


def test_an_empty_link_points_at_the_event_with_an_empty_hash(log: Workspace) -> None:
    # Event #2's hash is wiped to '' and event #5's link to NULL: an empty link is looked
    # for among the empty hashes (NULL or ''), so #5 is reported as linking to #2, not to
    # #1 (the first event with a hash) and not to nothing.
    tamper(
        log,
        "UPDATE review_event SET hash = '' WHERE seq = 2",
        "UPDATE review_event SET prev_hash = NULL WHERE seq = 5",
    )
    chain = events(log)
    fifth = chain[4]
    findings = audit(log).findings
    assert [(f.kind, f.seq) for f in findings] == [
        ("altered", 2), ("unlinked", 3), ("altered", 5), ("unlinked", 5),
    ]  # fmt: skip
    assert findings[3] == Finding(
        "unlinked",
        f"event #5 ({described(fifth)}) does not link to event #4: it links to event #2 "
        "instead; it was inserted, or event #4 was replaced",
        5,
        fifth.id,
    )
    # #3 still carries #2's old hash, which no event has any more
    assert "event #3 (" in findings[1].message
    assert "its link matches no event in the log" in findings[1].message


def test_an_anchor_at_position_zero_names_no_event(workspace: Workspace) -> None:
    # Positions start at #1: on an empty log (head #0) an anchor at #0 is not "beyond the
    # end" (it is not after the head), there is just no event there.
    result = audit(workspace, Anchor(0, "a" * 64))
    assert result.head_seq == 0
    assert result.findings == [
        Finding("anchor", "anchor #0: that event is missing from the log", 0)
    ]


def test_a_link_to_a_later_event_matches_no_event(log: Workspace) -> None:
    # A link names the event before it: a later event's hash did not exist when #3 was
    # written, so #3 carrying #5's hash is not reported as linking to #5.
    chain = events(log)
    tamper(log, f"UPDATE review_event SET prev_hash = '{chain[4].hash}' WHERE seq = 3")
    third = chain[2]
    assert audit(log).findings == [
        Finding(
            "altered",
            f"the content of event #3 ({described(third)}) no longer matches its hash: it "
            "was changed after it was written",
            3,
            third.id,
        ),
        Finding(
            "unlinked",
            f"event #3 ({described(third)}) does not link to event #2: its link matches no "
            "event in the log; it was inserted, or event #2 was replaced",
            3,
            third.id,
        ),
    ]


def test_a_missing_link_is_hashed_as_an_empty_one(log: Workspace) -> None:
    # A forged #7 without a link, its hash computed over an empty link: its content matches
    # its hash (no link and an empty link hash alike), so only the link is reported.
    add(log, {**forged_row(NOTES + 1, ""), "prev_hash": None})
    forged = events(log)[-1]
    assert audit(log).findings == [
        Finding(
            "unlinked",
            f"event #7 ({described(forged)}) does not link to event #6: its link matches no "
            "event in the log; it was inserted, or event #6 was replaced",
            7,
            forged.id,
        )
    ]


def test_a_log_whose_ids_are_not_its_positions_is_read_whole(
    log: Workspace, small_batches: int
) -> None:
    # An id is not part of an event's hash: ids 101-106 for positions #1-#6 leave the log
    # intact. Slices of 2 must continue after the position of the last event read.
    tamper(log, "UPDATE review_event SET id = id + 100")
    result = audit(log)
    assert (result.findings, result.events, result.head_seq) == ([], NOTES, NOTES)


def test_an_event_whose_hash_was_erased_has_an_empty_hash(log: Workspace) -> None:
    chain = events(log)
    tamper(log, "UPDATE review_event SET hash = NULL WHERE seq IN (3, 6)")
    result = audit(log, Anchor(3, chain[2].hash))
    # The head is #6 with no hash; the anchor at #3 meets an empty hash there.
    assert (result.head_seq, result.head_hash) == (6, "")
    assert [f for f in result.findings if f.kind == "anchor"] == [
        Finding(
            "anchor",
            f"anchor #3: the log has hash … there, the anchor says {chain[2].hash[:16]}…: "
            "history up to that event was rewritten",
            3,
        )
    ]


def test_events_without_a_place_are_named_in_id_order(any_workspace: Workspace) -> None:
    with any_workspace.session() as session:
        record_event(session, edition_id=None, actor="layla", action="note", note="n0")
    add(any_workspace, forged_row(None, None, note="first"))
    add(any_workspace, forged_row(None, None, note="second"))
    # Rewritten, the first row is stored after the second (PostgreSQL writes a new row
    # version): only the order the check asks for keeps "first" first.
    tamper(any_workspace, "UPDATE review_event SET reason = 'again' WHERE note = 'first'")
    by_note = {e.note: e.id for e in events(any_workspace)}
    found = audit(any_workspace).findings
    assert [f.event_id for f in found if f.kind == "unchained"] == [
        by_note["first"], by_note["second"],
    ]  # fmt: skip


def test_each_event_is_counted_once_placed_or_not(log: Workspace) -> None:
    add(log, forged_row(None, None))  # no position: the walk does not see it
    assert audit(log).events == NOTES + 1
    add(log, forged_row(NOTES + 1, None))  # a position but no hash: the walk counts it
    assert audit(log).events == NOTES + 2


def test_two_events_in_one_position_across_a_batch_boundary_whatever_their_ids(
    log: Workspace, small_batches: int
) -> None:
    # As above with ids 101-106 for #1-#6: a position is never compared with an id.
    tamper(log, "UPDATE review_event SET id = id + 100")
    target = events(log)[1]  # #2, id 102: the last of the first batch
    add(log, forged_row(target.seq, target.prev_hash), "DROP INDEX ix_review_event_seq")
    forged = next(e for e in events(log) if e.actor == "mallory")
    result = audit(log)
    assert [(f.kind, f.seq, f.event_id) for f in result.findings] == [("inserted", 2, forged.id)]
    assert result.events == NOTES + 1


def test_the_walk_reads_one_slice_at_a_time(log: Workspace, small_batches: int) -> None:
    reads: list[str] = []

    def seen(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "FROM review_event" in statement:
            reads.append(statement)

    event.listen(log.engine, "before_cursor_execute", seen)
    try:
        with log.reading() as session:
            chain_walk.walk_chain(session, AuditResult(), {}, set())
    finally:
        event.remove(log.engine, "before_cursor_execute", seen)
    # 6 events in slices of 2: three full slices, then one read that finds nothing.
    assert len(reads) == 4 and all("LIMIT" in read for read in reads)
