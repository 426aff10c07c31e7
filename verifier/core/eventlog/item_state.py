"""An item's state as the review log records it, and the item rows that disagree with it.

The ``item`` row is a mutable mirror of the log, and nothing hashes it: someone with the
database can set a status, a city or a value with no event. So every event that changes an
item (``status``, ``match``, ``undo``) records the item's state after the change in its
payload (``state``, below), inside the hashed content. The log's word on an item is then:

- its status: the ``new_status`` of its latest ``status`` or ``undo`` event ("unverified"
  when there is none);
- its city, match method and value: the ``state`` its latest state-changing event recorded.

Events written before states were recorded vouch only for the status; the engine's automatic
match of an item no one has decided on is not an event, nor is a lead's ``rematch`` of the
items no person matched: the cities these set are the engine's, and they are compared only
where a later event recorded them.

Everything is read in one pass: the latest events per item are found by two grouped
queries, joined to the items, and streamed, whatever the number of items. "Latest" is by
event id: on PostgreSQL an event gets its chain position only at COMMIT, and a publish must
see the decisions made earlier in its own transaction. For one item, ids follow the order of
its changes (each change locks and updates the item row first). On SQLite every event is
linked when written, so an event without a position was slipped in behind the
application's back and does not count.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from db.models import Item, ReviewEvent, Status
from verifier.core.eventlog.findings import stream_named
from verifier.core.eventlog.hashing import TIMESTAMP_FORMAT
from verifier.core.wording import agree

STATE_KEY = "state"
STATUS_ACTIONS = ("status", "undo")
STATE_ACTIONS = ("status", "undo", "match")
MATCH_FIELDS = ("city_id", "match_method")
VALUE_FIELDS = ("indicator_id", "year", "value_text", "value_number", "unit",
                "value_normalized", "source_id", "locator")  # fmt: skip
ENGINE_ACTIONS = ("rematch",)  # rewrite the engine's cities of undecided items, unlogged per item
NAMED = 50  # disagreements named; the rest are counted
STREAM = 2_000


# Recorded too (since the recorded columns' check, core.eventlog.recorded_columns), exactly
# as written to the row: no column is then compared with the event's own clock.
RECORDED_FIELDS = ("status_changed_by", "status_changed_at", "match_confirmed_by",
                   "match_confirmed_at", "version", "match_detail")  # fmt: skip


def recorded_state(payload: object) -> dict[str, Any] | None:
    """The item state an event's payload recorded, or None (no payload, or none recorded)."""
    state = payload.get(STATE_KEY) if isinstance(payload, dict) else None
    return state if isinstance(state, dict) else None


def item_state(item: Item) -> dict[str, Any]:
    """What an event records of the item it changed: its state after the change (taken
    after the flush, so ``version`` is the row's new one)."""
    state: dict[str, Any] = {"status": item.status}
    state.update({name: getattr(item, name) for name in (*MATCH_FIELDS, *VALUE_FIELDS)})
    for name in RECORDED_FIELDS:
        value = getattr(item, name)
        state[name] = recorded_time(value) if isinstance(value, datetime) else value
    return state


def recorded_time(moment: datetime | None) -> str | None:
    """A row's timestamp as an event records it: UTC, microseconds always written."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


@dataclass(frozen=True)
class ItemDisagreement:
    item_id: int
    field: str
    row: object
    logged: object
    seq: int | None  # the event the log's word comes from (its chain position)
    event_id: int | None = None  # None: no event

    def describe(self) -> str:
        if self.seq is not None:
            source = f"event #{self.seq}"
        elif self.event_id is not None:
            source = f"event id {self.event_id}, not linked yet"
        else:
            source = "no event"
        return (
            f"item {self.item_id}: its row says {self.field} {_shown(self.row)}, the log says "
            f"{_shown(self.logged)} ({source})"
        )


@dataclass
class ItemCheck:
    """Items whose row does not say what the review log says."""

    items: int = 0
    disagreeing: int = 0  # items with at least one disagreement
    named: list[ItemDisagreement] = field(default_factory=list)
    limit: int | None = NAMED  # how many are named (None: all)
    status_only: int = 0  # items whose value the log does not record (see the module doc)

    @property
    def intact(self) -> bool:
        return self.disagreeing == 0

    def item_ids(self) -> list[int]:
        return sorted({d.item_id for d in self.named})

    def summary(self, shown: int = 10) -> str:
        lines = [d.describe() for d in self.named[:shown]]
        more = self.disagreeing - len({d.item_id for d in self.named[:shown]})
        if more > 0:
            lines.append(f"… and {more:,} more {agree(more, 'item')}")
        return "; ".join(lines)


def check_items(
    session: Session, edition_id: int | None = None, limit: int | None = NAMED
) -> ItemCheck:
    """Compare every item row (of one edition, or all) with its latest events; name the
    disagreements of ``limit`` items' (None: all)."""
    check = ItemCheck(items=_count_items(session, edition_id), limit=limit)
    rematched = _latest_engine_event(session, edition_id)
    with_state = 0
    for row in _rows(session, edition_id):
        found = list(_disagreements(row, rematched))
        with_state += row["state"] is not None
        if found:
            check.disagreeing += 1
            if check.limit is None:
                check.named.extend(found)
            elif (room := check.limit - len(check.named)) > 0:
                check.named.extend(found[:room])
    check.status_only = check.items - with_state
    return check


def _disagreements(row: dict[str, Any], rematched: int) -> Iterator[ItemDisagreement]:
    item_id = row["id"]
    logged_status = row["logged_status"] or Status.UNVERIFIED.value
    if row["status"] != logged_status:
        yield ItemDisagreement(
            item_id, "status", row["status"], logged_status, row["status_seq"], row["status_id"]
        )
    state, seq, event_id = row["state"], row["state_seq"], row["state_id"]
    if state is None:
        return
    engine_may_have_rematched = (
        rematched > (event_id or 0) and row["match_method"] in (None, "auto")
        and state.get("match_method") in (None, "auto")
    )  # fmt: skip
    names = VALUE_FIELDS if engine_may_have_rematched else (*MATCH_FIELDS, *VALUE_FIELDS)
    for name in names:
        if name in state and not _same(row[name], state[name]):
            yield ItemDisagreement(item_id, name, row[name], state[name], seq, event_id)


def _rows(session: Session, edition_id: int | None) -> Iterator[dict[str, Any]]:
    status_event, state_event = aliased(ReviewEvent), aliased(ReviewEvent)
    linked_only = session.connection().dialect.name != "postgresql"
    latest_status = latest_events(STATUS_ACTIONS, edition_id, linked_only)
    latest_state = latest_events(STATE_ACTIONS, edition_id, linked_only)
    names = ["id", "status", *MATCH_FIELDS, *VALUE_FIELDS]
    columns: list[Any] = [col(getattr(Item, name)) for name in names]
    columns += [status_event.new_status, status_event.seq, status_event.id]
    columns += [state_event.payload, state_event.seq, state_event.id]
    query = (
        sa_select(*columns)
        .select_from(Item)
        .outerjoin(latest_status, latest_status.c.item_id == col(Item.id))
        .outerjoin(status_event, status_event.id == latest_status.c.id)
        .outerjoin(latest_state, latest_state.c.item_id == col(Item.id))
        .outerjoin(state_event, state_event.id == latest_state.c.id)
        .order_by(col(Item.id))
    )  # fmt: skip
    # Only the items an event recorded a state for, or whose status is not the log's: an
    # item nobody decided on, still unverified, has nothing more to compare.
    unverified = Status.UNVERIFIED.value
    query = query.where(
        col(state_event.id).is_not(None)
        | (col(Item.status) != func.coalesce(status_event.new_status, unverified))
    )
    if edition_id is not None:
        query = query.where(col(Item.edition_id) == edition_id)
    for row, rest in stream_named(session, query, names, STREAM):
        logged_status, status_seq, status_id, payload, state_seq, state_id = rest
        row.update(
            logged_status=logged_status,
            status_seq=status_seq,
            status_id=status_id,
            state=recorded_state(payload),
            state_seq=state_seq,
            state_id=state_id,
        )
        yield row


def latest_events(actions: tuple[str, ...], edition_id: int | None, linked_only: bool) -> Any:
    selected: list[Any] = [
        col(ReviewEvent.item_id).label("item_id"),
        func.max(col(ReviewEvent.id)).label("id"),
    ]
    query: Select[Any] = sa_select(*selected).where(
        col(ReviewEvent.item_id).is_not(None), col(ReviewEvent.action).in_(actions)
    )
    if linked_only:
        query = query.where(col(ReviewEvent.seq).is_not(None))
    if edition_id is not None:
        query = query.where(col(ReviewEvent.edition_id) == edition_id)
    return query.group_by(col(ReviewEvent.item_id)).subquery()


def _count_items(session: Session, edition_id: int | None) -> int:
    query: Select[Any] = sa_select(func.count()).select_from(Item)
    if edition_id is not None:
        query = query.where(col(Item.edition_id) == edition_id)
    return int(session.connection().execute(query).scalar() or 0)


def _latest_engine_event(session: Session, edition_id: int | None) -> int:
    query: Select[Any] = sa_select(func.max(col(ReviewEvent.id))).where(
        col(ReviewEvent.action).in_(ENGINE_ACTIONS)
    )
    if edition_id is not None:
        query = query.where(col(ReviewEvent.edition_id) == edition_id)
    return int(session.connection().execute(query).scalar() or 0)


def _same(row: object, logged: object) -> bool:
    if isinstance(row, float) or isinstance(logged, float):
        return row is not None and logged is not None and float(row) == float(logged)  # type: ignore[arg-type]
    return row == logged


def _shown(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)  # quoted, no control characters
    return repr(value) if isinstance(value, float) else str(value)
