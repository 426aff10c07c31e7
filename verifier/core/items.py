"""Loading items for a change, with the optimistic-lock check decisions rely on."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from db.models import Edition, Item
from verifier.core.errors import InvalidActionError, NotFoundError, StaleItemError
from verifier.core.workspace import resolve_edition


def load_item(session: Session, item_id: int, expected_version: int | None = None) -> Item:
    """The item, or NotFoundError; StaleItemError if it changed since the caller read it."""
    item = session.get(Item, item_id)
    if item is None:
        raise NotFoundError(f"no item {item_id}")
    if expected_version is not None and item.version != expected_version:
        raise StaleItemError(
            f"item {item_id} was changed by someone else since you opened it; "
            "look at it again and decide"
        )
    return item


def require_edition(session: Session, item_ids: Iterable[int], edition_code: str | None) -> None:
    """Refuse item ids that belong to an edition other than the one the user named.

    Items are numbered across the workspace, so an id alone never says which edition the
    user means; when they named one, an item of another is a mistake (a wrong id or a wrong
    edition) and nothing is done. Unknown ids are left for the caller to report.
    """
    if not edition_code:
        return
    named = resolve_edition(session, edition_code)
    ids = list(dict.fromkeys(item_ids))
    found = session.exec(
        select(Item.id, Edition.code)
        .join(Edition, col(Edition.id) == col(Item.edition_id))
        .where(col(Item.id).in_(ids), col(Item.edition_id) != named.id)
    ).all()
    own = dict(found)
    for item_id in ids:
        if item_id in own:
            raise InvalidActionError(
                f"item {item_id} is in edition {own[item_id]}, not {named.code}"
            )
