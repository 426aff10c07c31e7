"""Loading items for a change, with the optimistic-lock check decisions rely on."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from db.models import Item
from verifier.core.edition_scope import Numbered, require_in_edition
from verifier.core.errors import NotFoundError, StaleItemError


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
    """Refuse item ids of an edition other than the one the user named (see
    ``core.edition_scope``); unknown ids are left for the caller to report."""
    require_in_edition(session, Numbered.ITEM, item_ids, edition_code)
