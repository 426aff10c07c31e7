"""Open conflicts, and a lead's resolution of one (recorded as an event with a reason)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from db.models import City, ConflictResolution, Edition, Indicator, Item, Role, Source
from db.types import utcnow
from verifier.core.errors import InvalidActionError
from verifier.core.eventlog.append import record_event
from verifier.core.items import load_item, require_edition
from verifier.core.people.roles import require_role
from verifier.core.publishing.eligibility import ValueGroup, compute_eligibility


@dataclass(frozen=True)
class ConflictItem:
    """One verified item behind a competing value: as written, where from, who verified it."""

    id: int
    value: float  # in the indicator's unit
    value_text: str
    source_key: str
    source_title: str
    locator: str
    verified_by: str
    verified_at: datetime | None


@dataclass(frozen=True)
class ConflictView:
    """A conflict as people read it: names, and each competing value with its items."""

    city_id: str
    city_name: str
    indicator_code: str
    year: int
    unit: str
    values: list[tuple[float, list[int]]]
    city_country: str = ""
    items: list[ConflictItem] = field(default_factory=list)

    def describe(self) -> str:
        options = "; ".join(
            f"{value:g} {self.unit} (items {', '.join(map(str, items))})".replace("  ", " ")
            for value, items in self.values
        )
        return f"{self.city_name} ({self.city_id}) · {self.indicator_code} · {self.year}: {options}"


def open_conflicts(session: Session, edition_id: int) -> list[ConflictView]:
    return [_view(session, group) for group in compute_eligibility(session, edition_id).conflicts]


def _view(session: Session, group: ValueGroup) -> ConflictView:
    city = session.get(City, group.city_id)
    indicator = session.get(Indicator, group.indicator_id)
    assert city is not None and indicator is not None
    values = [(c.value, [e.item_id for e in c.items]) for c in group.candidates]
    value_of = {item_id: value for value, ids in values for item_id in ids}
    rows = session.exec(
        select(Item, Source)
        .join(Source, col(Source.id) == col(Item.source_id))
        .where(col(Item.id).in_(list(value_of)))
        .order_by(col(Item.id))
    )
    items = [
        ConflictItem(
            item.id or 0,
            value_of[item.id or 0],
            item.value_text,
            source.key,
            source.title,
            item.locator,
            item.status_changed_by or "",
            item.status_changed_at,
        )
        for item, source in rows
    ]
    return ConflictView(
        city.id,
        city.name_en or city.name_ar,
        indicator.code,
        group.year,
        indicator.unit,
        values,
        city.country,
        sorted(items, key=lambda i: (i.value, i.id)),
    )


def resolve_conflict(
    session: Session, item_id: int, actor: str, reason: str, edition: Edition | None = None
) -> ConflictResolution:
    """Choose ``item_id``'s value for its city, indicator and year. Leads only.

    ``edition``: the edition the lead named; an item of another edition is refused, so a
    conflict is never resolved in an edition other than the one the lead is working on.
    """
    require_role(session, actor, Role.LEAD, "resolving a conflict")
    reason = reason.strip()
    if not reason:
        raise InvalidActionError("a resolution needs a reason")
    item = load_item(session, item_id)
    require_edition(session, [item_id], edition.code if edition is not None else None)
    groups = compute_eligibility(session, item.edition_id).groups
    group = next(
        (g for g in groups if any(e.item_id == item_id for c in g.candidates for e in c.items)),
        None,
    )
    if group is None:
        raise InvalidActionError(
            f"item {item_id} is not eligible for publication (it must be verified, with a "
            "confirmed city and a value, and of the latest year)"
        )
    if not group.in_conflict:
        raise InvalidActionError(f"item {item_id}'s value is not in conflict with any other")
    losing = [e.item_id for c in group.candidates for e in c.items if e.item_id != item_id]
    event = record_event(
        session,
        edition_id=item.edition_id,
        item_id=item_id,
        actor=actor,
        action="resolve_conflict",
        old_status=item.status,
        new_status=item.status,
        reason=reason,
        payload={
            "city": group.city_id,
            "indicator_id": group.indicator_id,
            "year": group.year,
            "chosen_item": item_id,
            "other_items": losing,
        },
    )
    resolution = ConflictResolution(
        edition_id=item.edition_id,
        city_id=group.city_id,
        indicator_id=group.indicator_id,
        year=group.year,
        chosen_item_id=item_id,
        reason=reason,
        resolved_by=actor,
        resolved_at=utcnow(),
        event_id=event.id,
    )
    session.add(resolution)
    session.flush()
    return resolution


def item_conflict_state(session: Session, item: Item) -> str | None:
    """For reports: 'won', 'lost' or 'open' when the item's value was in conflict, else None."""
    for group in compute_eligibility(session, item.edition_id).groups:
        ids = {e.item_id for c in group.candidates for e in c.items}
        if item.id not in ids or not group.in_conflict:
            continue
        chosen = group.chosen
        if chosen is None:
            return "open"
        return "won" if any(e.item_id == item.id for e in chosen.items) else "lost"
    return None
