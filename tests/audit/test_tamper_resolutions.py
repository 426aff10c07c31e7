"""Conflict resolutions: the latest one of a conflict decides the published value, and any
change to them behind the application's back (a row rewritten, copied, deleted or
renumbered) is named by ``audit verify``, because each one changes which value wins.

The scenario (tests/provenance/scenario.py): Cairo's piped water is 80 (item 4) or 82
(item 5), resolved for 82; Tripoli (Lebanon)'s broadband is 20 (item 13) or 25 (item 14),
still open. On SQLite and PostgreSQL."""

from __future__ import annotations

from sqlmodel import col, select

from db.models import Edition, ReviewEvent
from tests.audit.test_audit_tamper import audit, only_finding, tamper
from verifier.core.publishing import (
    compute_eligibility,
    load_snapshot,
    open_conflicts,
    publish,
    resolve_conflict,
)
from verifier.core.workspace import Workspace


def _resolve(workspace: Workspace, item_id: int, reason: str = "the ministry's figure") -> None:
    with workspace.session() as session:
        resolve_conflict(session, item_id, "layla", reason)


def _chosen(workspace: Workspace) -> dict[tuple[str, int], tuple[float, list[int]] | None]:
    """Each value group in conflict: the value that would be published, and its items."""
    with workspace.reading() as session:
        groups = compute_eligibility(session, 1).groups
    return {
        (g.city_id, g.indicator_id): (
            None if g.chosen is None else (g.chosen.value, [e.item_id for e in g.chosen.items])
        )
        for g in groups
        if g.in_conflict
    }


def _resolution_seqs(workspace: Workspace) -> list[int]:
    with workspace.reading() as session:
        query = select(ReviewEvent.seq).where(ReviewEvent.action == "resolve_conflict")
        return [seq or 0 for seq in session.exec(query.order_by(col(ReviewEvent.seq)))]


CAIRO_WATER, TRIPOLI_BROADBAND = ("eg-cairo", 1), ("lb-tripoli", 3)


def test_the_latest_resolution_wins(history: Workspace) -> None:
    assert _chosen(history) == {CAIRO_WATER: (82.0, [5]), TRIPOLI_BROADBAND: None}
    _resolve(history, 4, "second thoughts")
    assert _chosen(history)[CAIRO_WATER] == (80.0, [4])
    _resolve(history, 5, "the ministry's figure after all")
    assert _chosen(history)[CAIRO_WATER] == (82.0, [5])
    _resolve(history, 14)
    _resolve(history, 13)
    assert _chosen(history) == {CAIRO_WATER: (82.0, [5]), TRIPOLI_BROADBAND: (20.0, [13])}
    with history.session() as session:
        assert open_conflicts(session, 1) == []
        edition = session.exec(select(Edition)).one()
        publication = publish(session, edition, "layla", "second release")
    with history.reading() as session:
        document = load_snapshot(session, publication.id or 0)
    published = {
        (v["city"], v["indicator"]): (v["value"], v["evidence"]) for v in document["values"]
    }
    assert published[("eg-cairo", "TRD-WATER")] == (82.0, [5])
    assert published[("lb-tripoli", "DIG-BROADBAND")] == (20.0, [13])
    result = audit(history)
    assert (result.findings, result.resolutions) == ([], 5)


# Each change to resolution 1, the item its row then names (the event chose item 5), and
# the field the finding names, with the row's value and the event's.
REWRITES = [
    ("chosen_item_id = 4", "chosen_item_id = 5", 4, "chosen item 4, recorded 5"),  # the loser wins
    (
        "reason = 'a better reason'",
        "reason = 'ministry figure is final'",
        5,
        "reason 'a better reason', recorded 'ministry figure is final'",
    ),
    ("resolved_by = 'omar'", "resolved_by = 'layla'", 5, "resolved by 'omar', recorded 'layla'"),
    ("year = 2021", "year = 2023", 5, "year 2021, recorded 2023"),  # the 2023 conflict reopens
    ("city_id = 'sa-riyadh'", "city_id = 'eg-cairo'", 5, "city 'sa-riyadh', recorded 'eg-cairo'"),
    ("indicator_id = 2", "indicator_id = 1", 5, "indicator 2, recorded 1"),
    ("edition_id = 2", "edition_id = 1", 5, "edition 2, recorded 1"),
    (
        "reason = 'x', year = 2021",
        "reason = 'ministry figure is final', year = 2023",
        5,
        "reason 'x', recorded 'ministry figure is final'; year 2021, recorded 2023",
    ),
]


def test_a_rewritten_resolution_is_named(history: Workspace) -> None:
    [seq] = _resolution_seqs(history)
    with history.session() as session:  # a second edition, for a resolution to move to
        session.add(Edition(code="other", name="Other"))
    for change, restore, chosen, differing in REWRITES:
        tamper(history, f"UPDATE conflict_resolution SET {change}", table="conflict_resolution")
        assert only_finding(audit(history)) == (
            f"conflict resolution 1 (item {chosen}): its event #{seq} records a different "
            f"decision (resolve_conflict of item 5 by layla): {differing}"
        ), change
        tamper(history, f"UPDATE conflict_resolution SET {restore}", table="conflict_resolution")
        assert audit(history).findings == [], restore


def test_an_older_resolution_copied_in_as_the_latest_is_named(history: Workspace) -> None:
    _resolve(history, 4, "second thoughts")  # resolution 2
    _resolve(history, 5, "the ministry's figure after all")  # resolution 3
    _, older, _ = _resolution_seqs(history)
    copy = (
        "INSERT INTO conflict_resolution (edition_id, city_id, indicator_id, year, "
        "chosen_item_id, reason, resolved_by, resolved_at, event_id) "
        "SELECT edition_id, city_id, indicator_id, year, chosen_item_id, reason, resolved_by, "
        "resolved_at, event_id FROM conflict_resolution WHERE id = 2"
    )
    tamper(history, copy, table="conflict_resolution")
    assert _chosen(history)[CAIRO_WATER] == (80.0, [4])  # the replayed choice wins
    assert only_finding(audit(history)) == (
        f"conflict resolution 4 (item 4): its event #{older} already belongs to conflict "
        "resolution 2: this row is a copy, inserted behind the application's back"
    )


def test_a_deleted_latest_resolution_is_named(history: Workspace) -> None:
    _resolve(history, 4, "second thoughts")  # resolution 2
    _resolve(history, 5, "the ministry's figure after all")  # resolution 3
    latest = _resolution_seqs(history)[-1]
    tamper(history, "DELETE FROM conflict_resolution WHERE id = 3", table="conflict_resolution")
    assert _chosen(history)[CAIRO_WATER] == (80.0, [4])  # the older choice wins again
    assert only_finding(audit(history)) == (
        f"event #{latest} records layla resolving a conflict with item 5, but no conflict "
        "resolution row records it: the resolution was deleted"
    )


def test_renumbered_resolutions_are_named(history: Workspace) -> None:
    _resolve(history, 4, "second thoughts")  # resolution 2
    _resolve(history, 5, "the ministry's figure after all")  # resolution 3
    _, older, newer = _resolution_seqs(history)
    tamper(
        history,
        "UPDATE conflict_resolution SET id = 100 WHERE id = 2",
        "UPDATE conflict_resolution SET id = 2 WHERE id = 3",
        "UPDATE conflict_resolution SET id = 3 WHERE id = 100",
        table="conflict_resolution",
    )
    assert _chosen(history)[CAIRO_WATER] == (80.0, [4])  # the older choice is now the latest
    assert only_finding(audit(history)) == (
        f"conflict resolution 3 (item 4) comes after resolution 2 but records event #{older}, "
        f"older than #{newer}: the rows were renumbered, so an older choice wins"
    )
