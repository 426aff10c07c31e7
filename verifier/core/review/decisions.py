"""Verification decisions. Every change of an item's status goes through ``set_status``,
which writes the event; undo writes new events rather than erasing any."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from db.models import CityAlias, Item, MatchMethod, ReviewEvent, Status
from db.types import utcnow
from verifier.core.errors import InvalidActionError, NotFoundError
from verifier.core.eventlog.append import record_event
from verifier.core.eventlog.item_state import STATE_KEY, item_state
from verifier.core.items import load_item
from verifier.core.people.roles import require_decider

DECIDED = frozenset({Status.VERIFIED, Status.REJECTED})
UNDOABLE_ACTIONS = ("status", "match")


def set_status(
    session: Session,
    item_id: int,
    status: Status | str,
    actor: str,
    *,
    note: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> ReviewEvent:
    """Change an item's verification status and log who, when and why.

    A rejection needs a reason and a flag needs a note. Overriding an earlier verify or
    reject needs a reason too, so that nothing obscures the earlier decision.
    """
    new = Status(status)
    item = load_item(session, item_id, expected_version)
    old = Status(item.status)
    note, reason = note.strip(), reason.strip()
    if new == old:
        raise InvalidActionError(f"item {item_id} is already {old.value}")
    if new == Status.REJECTED and not reason:
        raise InvalidActionError("a rejection needs a reason")
    if new == Status.FLAGGED and not (note or reason):
        raise InvalidActionError("a flag needs a note saying what is missing or unclear")
    if old in DECIDED and not reason:
        raise InvalidActionError(
            f"item {item_id} was already {old.value}; changing it needs a reason"
        )
    require_decider(session, actor)
    _apply_status(item, new, actor)
    session.add(item)
    session.flush()  # the optimistic version check happens here
    return record_event(
        session,
        edition_id=item.edition_id,
        item_id=item.id,
        actor=actor,
        action="status",
        old_status=old.value,
        new_status=new.value,
        note=note,
        reason=reason,
        payload={STATE_KEY: item_state(item)},
    )


def add_note(session: Session, item_id: int, actor: str, note: str) -> ReviewEvent:
    note = note.strip()
    if not note:
        raise InvalidActionError("the note is empty")
    item = load_item(session, item_id)
    require_decider(session, actor)
    return record_event(
        session,
        edition_id=item.edition_id,
        item_id=item.id,
        actor=actor,
        action="note",
        old_status=item.status,
        new_status=item.status,
        note=note,
    )


def undo_last(session: Session, edition_id: int, actor: str) -> list[ReviewEvent]:
    """Revert ``actor``'s latest status or match decision that is not undone yet (a bulk
    confirmation as a whole). Refused when someone changed an item since: their decision
    would be lost silently."""
    require_decider(session, actor)
    target = _last_undoable(session, edition_id, actor)
    group = [target]
    bulk = target.payload.get("bulk")
    if bulk:
        group = [
            e
            for e in session.exec(
                select(ReviewEvent).where(
                    ReviewEvent.edition_id == edition_id,
                    ReviewEvent.actor == actor,
                    ReviewEvent.action == "match",
                )
            )
            if e.payload.get("bulk") == bulk
        ]
    for event in group:
        _refuse_if_changed_since(session, event)
    undos = [_revert(session, edition_id, actor, event) for event in group]
    alias_id = target.payload.get("learned_alias")
    if alias_id is not None:
        alias = session.get(CityAlias, alias_id)
        if alias is not None:
            session.delete(alias)
    session.flush()
    return undos


def _refuse_if_changed_since(session: Session, event: ReviewEvent) -> None:
    later = session.exec(
        select(ReviewEvent)
        .where(
            ReviewEvent.item_id == event.item_id,
            col(ReviewEvent.id) > event.id,
            col(ReviewEvent.action).in_([*UNDOABLE_ACTIONS, "undo"]),
        )
        .limit(1)
    ).first()
    if later is not None:
        raise InvalidActionError(
            f"item {event.item_id} was changed by {later.actor} after your decision; "
            "change it back by hand"
        )


def _revert(session: Session, edition_id: int, actor: str, target: ReviewEvent) -> ReviewEvent:
    assert target.item_id is not None
    item = load_item(session, target.item_id)
    old_status = item.status
    payload: dict[str, object] = {"undoes": target.id, "undone_action": target.action}
    if target.action == "status":
        assert target.old_status is not None
        _apply_status(item, Status(target.old_status), actor)
    else:
        before = target.payload
        payload |= {"old_city": item.city_id, "new_city": before.get("old_city")}
        item.city_id = before.get("old_city")
        old_method = before.get("old_method")
        item.match_method = MatchMethod(old_method).value if old_method else None
        item.match_confirmed_by = before.get("old_confirmed_by")
        confirmed_at = before.get("old_confirmed_at")
        item.match_confirmed_at = datetime.fromisoformat(confirmed_at) if confirmed_at else None
    session.add(item)
    session.flush()
    payload[STATE_KEY] = item_state(item)
    return record_event(
        session,
        edition_id=edition_id,
        item_id=item.id,
        actor=actor,
        action="undo",
        old_status=old_status,
        new_status=item.status,
        reason=f"undo of event {target.id}",
        payload=payload,
    )


def _last_undoable(session: Session, edition_id: int, actor: str) -> ReviewEvent:
    recent = session.exec(
        select(ReviewEvent)
        .where(
            ReviewEvent.edition_id == edition_id,
            ReviewEvent.actor == actor,
            col(ReviewEvent.action).in_([*UNDOABLE_ACTIONS, "undo"]),
        )
        .order_by(col(ReviewEvent.id).desc())
        .limit(2000)
    ).all()
    undone = {e.payload.get("undoes") for e in recent if e.action == "undo"}
    for event in recent:
        if event.action in UNDOABLE_ACTIONS and event.id not in undone:
            return event
    raise NotFoundError(f"{actor} has no decision left to undo in this edition")


def _apply_status(item: Item, status: Status, actor: str) -> None:
    item.status = status.value
    item.status_changed_by = actor
    item.status_changed_at = utcnow()
