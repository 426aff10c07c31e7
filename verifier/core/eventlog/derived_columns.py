"""Item columns that no digest covers, checked against what they are derived from.

- ``status_changed_by`` / ``status_changed_at``: who last changed the item's status, and
  when. They must be the actor of the item's latest event that changed its status
  (``status`` or ``undo`` with a new status) and the values that event recorded in its
  ``state``, exactly; with no such event, both are empty. An event written before states
  recorded them vouches only for a time at most ``STATUS_TIME_SLACK`` before its own: the
  row's time is the writer's clock, the event's in team mode the server's, and the row is
  written first. The QA gate of ``publish`` reads them, so ``publish`` refuses while one
  disagrees.
- ``match_confirmed_*``, ``version``, ``created_at`` and the rest of ``match_detail``: what
  the log recorded of them (``core.eventlog.recorded_columns``); ``publish`` refuses too.
- ``search_key``: the folded label and snippet (``core.text.search_fold``), both covered by
  the import digest; it decides what a search finds.
- ``match_detail``: the engine's explanation of its match. Its ``city_id`` must be the
  suggested city (covered by the match digest); the rest is compared with what the item's
  latest event recorded. On an item no event changed, or one the engine rematched since,
  only the city is checked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from db.models import Item, ReviewEvent
from verifier.core.eventlog.findings import NAMED, NamedFindings
from verifier.core.eventlog.import_digest import STREAM
from verifier.core.eventlog.item_state import recorded_state, recorded_time
from verifier.core.eventlog.recorded_columns import recorded_disagreements
from verifier.core.text import search_fold

STATUS_TIME_SLACK = timedelta(minutes=5)
STATUS_ACTIONS = ("status", "undo")


@dataclass(frozen=True)
class DerivedDisagreement:
    item_id: int
    column: str  # "status_changed", "search_key", "match_detail" or a recorded column
    detail: str
    seq: int | None = None

    def describe(self) -> str:
        return f"item {self.item_id}: its {self.detail}"


@dataclass
class DerivedCheck(NamedFindings[DerivedDisagreement]):
    status_disagreeing: int = 0  # of them, on status_changed_*

    def found(self, disagreement: DerivedDisagreement) -> None:
        super().found(disagreement)
        self.status_disagreeing += disagreement.column == "status_changed"


def check_derived(
    session: Session,
    edition_id: int | None = None,
    limit: int | None = NAMED,
    status_only: bool = False,
    status: bool = True,
) -> DerivedCheck:
    """Compare every item's derived columns with what they derive from (``status_only``:
    only those compared with the log, which ``publish`` refuses on, not the search keys
    and the match explanation's city; ``status=False``: none compared with the log, for a
    log already found broken)."""
    check = DerivedCheck(limit=limit)
    if status:
        for disagreement in _status_changes(session, edition_id):
            check.found(disagreement)
        for recorded in recorded_disagreements(session, edition_id):
            detail = recorded.describe()
            check.found(DerivedDisagreement(recorded.item_id, recorded.column, detail))
    if not status_only:
        for disagreement in _match_details(session, edition_id):
            check.found(disagreement)
        for disagreement in _search_keys(session, edition_id):
            check.found(disagreement)
    return check


def _status_changes(session: Session, edition_id: int | None) -> Iterator[DerivedDisagreement]:
    selected: list[Any] = [
        col(ReviewEvent.item_id).label("item_id"),
        func.max(col(ReviewEvent.id)).label("id"),
    ]
    latest: Select[Any] = sa_select(*selected).where(
        col(ReviewEvent.item_id).is_not(None),
        col(ReviewEvent.action).in_(STATUS_ACTIONS),
        col(ReviewEvent.new_status).is_distinct_from(col(ReviewEvent.old_status)),
    )
    if session.connection().dialect.name != "postgresql":
        latest = latest.where(col(ReviewEvent.seq).is_not(None))  # see item_state
    if edition_id is not None:
        latest = latest.where(col(ReviewEvent.edition_id) == edition_id)
    changed = latest.group_by(col(ReviewEvent.item_id)).subquery()
    event = aliased(ReviewEvent)
    columns: list[Any] = [col(Item.id), col(Item.status_changed_by), col(Item.status_changed_at)]
    columns += [event.actor, event.created_at, event.seq, event.id, event.payload]
    query = (
        sa_select(*columns)
        .select_from(Item)
        .outerjoin(changed, changed.c.item_id == col(Item.id))
        .outerjoin(event, col(event.id) == changed.c.id)
        .where(
            col(event.id).is_not(None)
            | col(Item.status_changed_by).is_not(None)
            | col(Item.status_changed_at).is_not(None)
        )
        .order_by(col(Item.id))
    )  # fmt: skip
    if edition_id is not None:
        query = query.where(col(Item.edition_id) == edition_id)
    streamed = query.execution_options(stream_results=True, yield_per=STREAM)
    for item_id, by, at, actor, created_at, seq, event_id, payload in session.connection().execute(
        streamed
    ):
        state = recorded_state(payload)
        if event_id is None:
            detail = (
                f"status was changed by {_shown(by)} at {_shown(at)}, says its row, but no "
                "event changed its status"
            )
            yield DerivedDisagreement(item_id, "status_changed", detail)
        elif state is not None and "status_changed_at" in state:
            logged = (state.get("status_changed_by"), state.get("status_changed_at"))
            if (by, recorded_time(at)) != logged or by != actor:
                where = f"event #{seq}" if seq is not None else f"event id {event_id}"
                detail = (
                    f"status was changed by {_shown(by)} at {_shown(recorded_time(at))}, says "
                    f"its row; {where} says by {_shown(actor)} at {_shown(logged[1])}"
                )
                yield DerivedDisagreement(item_id, "status_changed", detail, seq)
        elif by != actor or not _close(at, created_at):
            where = f"event #{seq}" if seq is not None else f"event id {event_id}"
            detail = (
                f"status was changed by {_shown(by)} at {_shown(at)}, says its row; {where} "
                f"says by {_shown(actor)} at {_shown(created_at)} (written before events "
                f"recorded the exact time: compared within {_slack()})"
            )
            yield DerivedDisagreement(item_id, "status_changed", detail, seq)


def _slack() -> str:
    return f"{int(STATUS_TIME_SLACK.total_seconds() // 60)} minutes"


def _close(row: datetime | None, event: datetime) -> bool:
    if row is None:
        return False
    gap = _aware(event) - _aware(row)
    return -timedelta(seconds=1) <= gap <= STATUS_TIME_SLACK


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _match_details(session: Session, edition_id: int | None) -> Iterator[DerivedDisagreement]:
    detail_city = col(Item.match_detail)["city_id"].as_string()
    columns: list[Any] = [col(Item.id), col(Item.suggested_city_id), detail_city]
    query = (
        sa_select(*columns)
        .where(col(Item.match_detail).is_not(None))
        .where(detail_city.is_distinct_from(col(Item.suggested_city_id)))
        .order_by(col(Item.id))
    )
    if edition_id is not None:
        query = query.where(col(Item.edition_id) == edition_id)
    for item_id, suggested, city in session.connection().execute(query):
        detail = (
            f"match explanation names city {_shown(city)}, where the engine suggested "
            f"{_shown(suggested)}"
        )
        yield DerivedDisagreement(item_id, "match_detail", detail)


def _search_keys(session: Session, edition_id: int | None) -> Iterator[DerivedDisagreement]:
    columns: list[Any] = [
        col(Item.id),
        col(Item.raw_label),
        col(Item.snippet),
        col(Item.search_key),
    ]
    query = sa_select(*columns).order_by(col(Item.id))
    if edition_id is not None:
        query = query.where(col(Item.edition_id) == edition_id)
    streamed = query.execution_options(stream_results=True, yield_per=STREAM)
    for item_id, label, snippet, key in session.connection().execute(streamed):
        if key != f"{_folded_label(label)} {search_fold(snippet)}":
            detail = (
                "search key is not its folded label and snippet (searches find it by "
                f"{_shown(key[:80])})"
            )
            yield DerivedDisagreement(item_id, "search_key", detail)


@lru_cache(maxsize=65_536)
def _folded_label(label: str) -> str:
    return search_fold(label)  # labels repeat


def _shown(value: object) -> str:
    if isinstance(value, datetime):
        return _aware(value).isoformat(timespec="seconds")
    return json.dumps(value, ensure_ascii=True)  # quoted, no control characters
