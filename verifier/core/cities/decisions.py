"""A person's decisions about an item's city: choose one, confirm a label for all its items,
and the aliases learned from them. Each decision is an event; undo reverts it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from db.models import AliasOrigin, City, CityAlias, EditionCity, Item, MatchMethod, ReviewEvent
from db.models.items import PERSON_MATCH_METHODS
from db.types import utcnow
from verifier.core.errors import InvalidActionError, NotFoundError
from verifier.core.eventlog.append import record_event
from verifier.core.eventlog.item_state import STATE_KEY, item_state
from verifier.core.items import load_item
from verifier.core.people.roles import require_decider
from verifier.core.text import detect_script, match_key

PERSON_METHODS = frozenset(PERSON_MATCH_METHODS)


def set_item_city(
    session: Session,
    item_id: int,
    city_id: str,
    actor: str,
    *,
    expected_version: int | None = None,
    note: str = "",
) -> ReviewEvent:
    """A person decides the item's city; the label is learned as an alias of that city."""
    item = load_item(session, item_id, expected_version)
    city = edition_city(session, item.edition_id, city_id)
    if item.city_id == city.id and item.match_method in PERSON_METHODS:
        raise InvalidActionError(f"item {item_id} is already matched to {city.id}")
    require_decider(session, actor)
    method = MatchMethod.CONFIRMED if item.suggested_city_id == city.id else MatchMethod.MANUAL
    alias = learn_alias(session, city.id, item.raw_label, actor)
    return _reassign(session, item, city.id, method, actor, note, {"learned_alias": alias})


@dataclass(frozen=True)
class LabelConfirmation:
    events: list[ReviewEvent]  # one per item whose city changed
    # Items of the label someone else changed since the person read them: left as they are.
    stale: list[int]


def confirm_label(
    session: Session, item_id: int, city_id: str, actor: str, expected_version: int | None = None
) -> list[ReviewEvent]:
    """Confirm ``city_id`` for every item of the edition with the same raw label (and country
    hint) as ``item_id``, in one action that undo reverts as a whole."""
    return confirm_label_as_seen(
        session, item_id, city_id, actor, expected_version=expected_version
    ).events


def confirm_label_as_seen(
    session: Session,
    item_id: int,
    city_id: str,
    actor: str,
    *,
    seen: Mapping[int, int] | None = None,
    expected_version: int | None = None,
) -> LabelConfirmation:
    """``confirm_label``, deciding only the items still at the version the person saw
    (``seen``: item id -> version); the others are returned as stale, untouched.

    The label's items are locked as they are read (PostgreSQL; a SQLite writer holds the
    whole database), in id order: a colleague's decision on one of them then waits, or is
    seen here, instead of failing this one half-way or deadlocking with it."""
    item = load_item(session, item_id, expected_version)
    city = edition_city(session, item.edition_id, city_id)
    require_decider(session, actor)
    same_label = session.exec(
        select(Item)
        .where(
            Item.edition_id == item.edition_id,
            Item.label_key == item.label_key,
            Item.country == item.country,
        )
        .order_by(col(Item.id))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    seen = seen or {}
    stale = [
        o.id for o in same_label if o.id is not None and seen.get(o.id, o.version) != o.version
    ]
    todo = [
        o
        for o in same_label
        if o.id not in stale and not (o.city_id == city.id and o.match_method in PERSON_METHODS)
    ]
    if not todo:
        if stale:
            return LabelConfirmation([], stale)
        raise InvalidActionError(f"every item labelled '{item.raw_label}' is already {city.id}")
    alias = learn_alias(session, city.id, item.raw_label, actor)
    extra = {"bulk": uuid.uuid4().hex, "via_item": item_id, "learned_alias": alias}
    events = [
        _reassign(session, other, city.id, MatchMethod.BULK, actor, "", extra) for other in todo
    ]
    return LabelConfirmation(events, stale)


def _reassign(
    session: Session,
    item: Item,
    city_id: str,
    method: MatchMethod,
    actor: str,
    note: str,
    extra: dict[str, Any],
) -> ReviewEvent:
    before = {
        "old_city": item.city_id,
        "old_method": item.match_method,
        "old_confirmed_by": item.match_confirmed_by,
        "old_confirmed_at": item.match_confirmed_at.isoformat()
        if item.match_confirmed_at
        else None,
    }
    item.city_id, item.match_method = city_id, method.value
    item.match_confirmed_by, item.match_confirmed_at = actor, utcnow()
    session.add(item)
    session.flush()
    return record_event(
        session,
        edition_id=item.edition_id,
        item_id=item.id,
        actor=actor,
        action="match",
        note=note,
        payload={
            **before,
            "new_city": city_id,
            "method": method.value,
            "suggested_city": item.suggested_city_id,
            "score": item.match_score,
            "band": item.match_band,
            **extra,
            STATE_KEY: item_state(item),
        },
    )


def learn_alias(session: Session, city_id: str, label: str, actor: str) -> int | None:
    """Record ``label`` as a learned alias of the city, unless the city already has that key.

    Returns the new alias id, so that undoing the decision can forget it again.
    """
    key = match_key(label)
    city = session.get(City, city_id)
    if not key or city is None:
        return None
    names = [city.name_en, city.name_ar]
    names += list(session.exec(select(CityAlias.name).where(CityAlias.city_id == city_id)))
    if any(match_key(name) == key for name in names):
        return None
    alias = CityAlias(
        city_id=city_id,
        name=label.strip(),
        script=detect_script(label).value,
        origin=AliasOrigin.LEARNED,
        added_by=actor,
        added_at=utcnow(),
    )
    session.add(alias)
    session.flush()
    return alias.id


def edition_city(session: Session, edition_id: int, city_id: str) -> City:
    city = session.get(City, city_id)
    if city is None or session.get(EditionCity, (edition_id, city_id)) is None:
        raise NotFoundError(f"no city '{city_id}' in this edition (see `verifier cities`)")
    return city
