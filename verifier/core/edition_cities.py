"""The cities of an edition, in id order: the order the matcher's gazetteer and the
publication document both list them in."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from db.models import City, EditionCity


def edition_cities(session: Session, edition_id: int) -> Sequence[City]:
    return session.exec(
        select(City)
        .join(EditionCity, col(EditionCity.city_id) == col(City.id))
        .where(EditionCity.edition_id == edition_id)
        .order_by(col(City.id))
    ).all()
