"""Item columns the log records exactly: who confirmed the city and when, the row's version,
the engine's match explanation, and when the row was written.

Every ``status``, ``undo`` and ``match`` event records, in its ``state``, the values it wrote
to the row (``item_state.RECORDED_FIELDS``), and an import event the ``created_at`` of its
items (``batch_records.CREATED_KEY``). ``recorded_disagreements`` finds every item whose row
says otherwise:

- ``match_confirmed_by`` / ``match_confirmed_at``: what its latest such event recorded; an
  item no event changed has none.
- ``version``: the recorded one, plus one for each later ``rematch`` of its edition when the
  engine set its city (a rematch rewrites those items with no event of their own); an item
  no event changed starts at 1 at its import.
- ``match_detail``: what its latest event recorded, unless a later rematch rewrote it.
- ``created_at``: its import event's time.

Events written before these were recorded vouch for none of them (their items are not
compared, except that an item with no event has no confirmation); items of a batch imported
before are compared with the import event's time, within ``STATUS_TIME_SLACK``.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from db.models import Item, ReviewEvent
from verifier.core.eventlog.batch_records import CREATED_KEY
from verifier.core.eventlog.findings import stream_named
from verifier.core.eventlog.import_digest import STREAM
from verifier.core.eventlog.item_state import (
    ENGINE_ACTIONS,
    STATE_ACTIONS,
    latest_events,
    recorded_state,
    recorded_time,
)
from verifier.core.wording import count

ENGINE_METHODS = (None, "auto")
# An import event's time against its items' (before their time was recorded): the items are
# written first, the event last, in one transaction; in team mode the event's time is the
# server's clock and the items' the importer's.
CREATED_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class ImportTime:
    event_id: int
    seq: int | None
    created_at: datetime
    recorded: str | None  # the items' created_at, as the event records it


@dataclass(frozen=True)
class RecordedDisagreement:
    item_id: int
    column: str
    row: object
    logged: object
    where: str  # "event #12", or what stands in for the log's word

    def describe(self) -> str:
        return f"{self.column} is {_shown(self.row)}, where {self.where} says {_shown(self.logged)}"


def recorded_disagreements(
    session: Session, edition_id: int | None
) -> Iterator[RecordedDisagreement]:
    """Every disagreement of an item's recorded columns with the log, in item id order."""
    imports = _import_times(session, edition_id)
    rematches = _rematches(session, edition_id)
    for row in _rows(session, edition_id):
        yield from _created(row, imports.get(row["batch_id"]))
        state = row["state"]
        if state is None or "version" not in state:
            if row["event_id"] is None:
                yield from _untouched(row, imports.get(row["batch_id"]), rematches)
            continue
        where = _event(row["seq"], row["event_id"])
        for name in ("match_confirmed_by", "match_confirmed_at"):
            shown = recorded_time(row[name]) if name.endswith("_at") else row[name]
            if shown != state.get(name):
                yield RecordedDisagreement(row["id"], name, shown, state.get(name), where)
        later = _after(rematches.get(row["edition_id"], []), row["event_id"])
        engine = row["match_method"] in ENGINE_METHODS
        engine = engine and state.get("match_method") in ENGINE_METHODS
        expected = state["version"] + (later if engine else 0)
        if row["version"] != expected:
            source = f"{where} and {count(later, 'later rematch', 'later rematches')}"
            source = source if engine and later else where
            yield RecordedDisagreement(row["id"], "version", row["version"], expected, source)
        if not (engine and later) and row["match_detail"] != state.get("match_detail"):
            logged = state.get("match_detail")
            yield RecordedDisagreement(
                row["id"], "match_detail", row["match_detail"], logged, where
            )


def _untouched(
    row: dict[str, Any], imported: ImportTime | None, rematches: dict[int, list[int]]
) -> Iterator[RecordedDisagreement]:
    """An item no event changed: no confirmation; its version counts the rematches since
    its import."""
    for name in ("match_confirmed_by", "match_confirmed_at"):
        if row[name] is not None:
            shown = recorded_time(row[name]) if name.endswith("_at") else row[name]
            yield RecordedDisagreement(row["id"], name, shown, None, "no event (none changed it)")
    if imported is None:
        return  # no import event: the batch check names it
    later = _after(rematches.get(row["edition_id"], []), imported.event_id)
    if row["version"] != 1 + later:
        where = f"its import ({_event(imported.seq, imported.event_id)}) and "
        where += count(later, "rematch", "rematches")
        yield RecordedDisagreement(row["id"], "version", row["version"], 1 + later, where)


def _created(row: dict[str, Any], imported: ImportTime | None) -> Iterator[RecordedDisagreement]:
    if imported is None:
        return
    where = _event(imported.seq, imported.event_id)
    written = recorded_time(row["created_at"])
    if imported.recorded is not None:
        if written != imported.recorded:
            yield RecordedDisagreement(row["id"], "created_at", written, imported.recorded, where)
        return
    gap = imported.created_at - row["created_at"]
    if not -timedelta(seconds=1) <= gap <= CREATED_SLACK:
        logged = (
            f"{recorded_time(imported.created_at)} (its time, imported before items' were recorded)"
        )
        yield RecordedDisagreement(row["id"], "created_at", written, logged, where)


def _after(event_ids: list[int], event_id: int) -> int:
    return len(event_ids) - bisect_right(event_ids, event_id)


def _event(seq: int | None, event_id: int) -> str:
    return f"event #{seq}" if seq is not None else f"event id {event_id}"


def _linked(session: Session, query: Select[Any]) -> Select[Any]:
    if session.connection().dialect.name != "postgresql":
        return query.where(col(ReviewEvent.seq).is_not(None))  # see item_state
    return query


def _import_times(session: Session, edition_id: int | None) -> dict[int, ImportTime]:
    columns: list[Any] = [col(ReviewEvent.id), col(ReviewEvent.seq)]
    columns += [col(ReviewEvent.created_at), col(ReviewEvent.payload)]
    query = _linked(session, sa_select(*columns).where(col(ReviewEvent.action) == "import"))
    if edition_id is not None:
        query = query.where(col(ReviewEvent.edition_id) == edition_id)
    found: dict[int, ImportTime] = {}
    for event_id, seq, created_at, payload in session.execute(query.order_by(col(ReviewEvent.id))):
        if isinstance(payload, dict) and isinstance(payload.get("batch_id"), int):
            recorded = payload.get(CREATED_KEY)
            recorded = recorded if isinstance(recorded, str) else None
            found[payload["batch_id"]] = ImportTime(event_id, seq, created_at, recorded)
    return found


def _rematches(session: Session, edition_id: int | None) -> dict[int, list[int]]:
    """Each edition's rematch events, by id."""
    selected: list[Any] = [col(ReviewEvent.edition_id), col(ReviewEvent.id)]
    query = sa_select(*selected).where(col(ReviewEvent.action).in_(ENGINE_ACTIONS))
    query = _linked(session, query)
    if edition_id is not None:
        query = query.where(col(ReviewEvent.edition_id) == edition_id)
    found: dict[int, list[int]] = {}
    for edition, event_id in session.execute(query.order_by(col(ReviewEvent.id))):
        found.setdefault(edition, []).append(event_id)
    return found


_COLUMNS = ("id", "edition_id", "batch_id", "created_at", "version", "match_method",
            "match_confirmed_by", "match_confirmed_at", "match_detail")  # fmt: skip


def _rows(session: Session, edition_id: int | None) -> Iterator[dict[str, Any]]:
    event = aliased(ReviewEvent)
    linked_only = session.connection().dialect.name != "postgresql"
    latest = latest_events(STATE_ACTIONS, edition_id, linked_only)
    columns: list[Any] = [col(getattr(Item, name)) for name in _COLUMNS]
    columns += [event.id, event.seq, event.payload]
    query = (
        sa_select(*columns)
        .select_from(Item)
        .outerjoin(latest, latest.c.item_id == col(Item.id))
        .outerjoin(event, event.id == latest.c.id)
        .order_by(col(Item.id))
    )
    if edition_id is not None:
        query = query.where(col(Item.edition_id) == edition_id)
    for row, (event_id, seq, payload) in stream_named(session, query, _COLUMNS, STREAM):
        row.update(event_id=event_id, seq=seq, state=recorded_state(payload))
        yield row


def _shown(value: object) -> str:
    if isinstance(value, str) and value.endswith("Z") and value[:4].isdigit():
        return value
    return json.dumps(value, ensure_ascii=True, sort_keys=True, default=str)
