"""Conflict resolutions against the log: the latest resolution of a conflict decides what is
published, so every row must be the copy of exactly one ``resolve_conflict`` event.

A row whose event is missing or records another decision was rewritten; two rows claiming
one event mean a copy was inserted (an older choice replayed as the latest); an event that
no row records means its resolution was deleted; rows of one conflict whose order is not
their events' order were renumbered. Each of these changes which value wins.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import ConflictResolution, ReviewEvent
from verifier.core.audit.findings import Finding, differences

ACTION = "resolve_conflict"
_BATCH = 900  # ids per IN list, under SQLite's bound on parameters


def check_resolutions(session: Session, findings: list[Finding]) -> int:
    """Append a finding for every resolution row unlike its event, and every resolve_conflict
    event without its one row; returns the number of resolution rows."""
    resolutions = [
        r
        for (r,) in session.execute(
            sa_select(ConflictResolution).order_by(col(ConflictResolution.id))
        )
    ]
    events = _events(session, [r.event_id for r in resolutions if r.event_id is not None])
    claimed: dict[int, int] = {}  # event id -> the first resolution row that points at it
    by_conflict: dict[tuple[int, str, int, int], list[tuple[int, ConflictResolution]]]
    by_conflict = defaultdict(list)
    for resolution in resolutions:
        label = f"conflict resolution {resolution.id} (item {resolution.chosen_item_id})"
        event = events.get(resolution.event_id or 0)
        if event is None:
            findings.append(
                Finding(
                    "resolution", f"{label}: its event (id {resolution.event_id}) is not in the log"
                )
            )
            continue
        first = claimed.setdefault(event.id or 0, resolution.id or 0)
        if first != resolution.id:
            findings.append(
                Finding(
                    "resolution",
                    f"{label}: its event #{event.seq} already belongs to conflict resolution "
                    f"{first}: this row is a copy, inserted behind the application's back",
                    event.seq,
                    event.id,
                )
            )
        elif _recorded(event) != _decision(resolution):
            differing = differences(_recorded(event), _decision(resolution), FIELDS)
            findings.append(
                Finding(
                    "resolution",
                    f"{label}: its event #{event.seq} records a different decision "
                    f"({event.action} of item {event.item_id} by {event.actor}): {differing}",
                    event.seq,
                    event.id,
                )
            )
        else:
            key = (
                resolution.edition_id,
                resolution.city_id,
                resolution.indicator_id,
                resolution.year,
            )
            by_conflict[key].append((event.seq or 0, resolution))
    findings.extend(_out_of_order(by_conflict))
    findings.extend(_unrecorded(session, set(claimed)))
    return len(resolutions)


# What a resolution row and its event must both say, named as a finding names them.
FIELDS = ("action", "edition", "chosen item", "resolved by", "reason", "city", "indicator",
          "year")  # fmt: skip


def _decision(resolution: ConflictResolution) -> dict[str, Any]:
    values = (
        ACTION, resolution.edition_id, resolution.chosen_item_id, resolution.resolved_by,
        resolution.reason, resolution.city_id, resolution.indicator_id, resolution.year,
    )  # fmt: skip
    return dict(zip(FIELDS, values, strict=True))


def _recorded(event: ReviewEvent) -> dict[str, Any]:
    payload = event.payload if isinstance(event.payload, dict) else {}
    values = (
        event.action, event.edition_id, event.item_id, event.actor, event.reason,
        payload.get("city"), payload.get("indicator_id"), payload.get("year"),
    )  # fmt: skip
    return dict(zip(FIELDS, values, strict=True))


def _events(session: Session, event_ids: list[int]) -> dict[int, ReviewEvent]:
    events: dict[int, ReviewEvent] = {}
    for start in range(0, len(event_ids), _BATCH):
        query = sa_select(ReviewEvent).where(
            col(ReviewEvent.id).in_(event_ids[start : start + _BATCH])
        )
        events.update({e.id: e for (e,) in session.execute(query) if e.id is not None})
    return events


def _out_of_order(
    by_conflict: dict[tuple[int, str, int, int], list[tuple[int, ConflictResolution]]],
) -> list[Finding]:
    """Within one conflict, the rows (latest wins by id) must follow their events' order."""
    found = []
    for rows in by_conflict.values():
        for (seq_before, before), (seq_after, after) in pairwise(rows):
            if seq_after < seq_before:
                found.append(
                    Finding(
                        "resolution",
                        f"conflict resolution {after.id} (item {after.chosen_item_id}) comes "
                        f"after resolution {before.id} but records event #{seq_after}, older "
                        f"than #{seq_before}: the rows were renumbered, so an older choice wins",
                        seq_after,
                        after.event_id,
                    )
                )
    return found


def _unrecorded(session: Session, claimed: set[int]) -> list[Finding]:
    """resolve_conflict events in the log that no resolution row records. The application
    writes each with its chosen item; one without an item resolved nothing (and nulling the
    item of a real one would break the chain, so nothing hides there)."""
    query = (
        sa_select(col(ReviewEvent.id), col(ReviewEvent.seq), col(ReviewEvent.item_id),
                  col(ReviewEvent.actor))
        .where(col(ReviewEvent.action) == ACTION, col(ReviewEvent.item_id).is_not(None))
        .order_by(col(ReviewEvent.seq), col(ReviewEvent.id))
    )  # fmt: skip
    return [
        Finding(
            "resolution",
            f"event #{seq} records {actor} resolving a conflict with item {item_id}, but no "
            "conflict resolution row records it: the resolution was deleted",
            seq,
            event_id,
        )
        for event_id, seq, item_id, actor in session.execute(query)
        if event_id not in claimed
    ]
