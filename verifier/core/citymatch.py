"""Automatic matching of items' city labels against the edition's gazetteer: after each
import, and again on demand. A person's decisions live in ``matchdecisions``."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from db.models import Band, City, CityAlias, Edition, EditionCity, Item, MatchMethod, table_of
from verifier.core.errors import NotFoundError
from verifier.core.events import record_event
from verifier.core.matching import Matcher, MatchResult
from verifier.core.matching.gazetteer import GazetteerEntry


def workspace_gazetteer(session: Session, edition: Edition) -> list[GazetteerEntry]:
    """The edition's cities with every alias, curated and learned."""
    cities = session.exec(
        select(City)
        .join(EditionCity, col(EditionCity.city_id) == col(City.id))
        .where(EditionCity.edition_id == edition.id)
        .order_by(col(City.id))
    ).all()
    aliases: dict[str, list[str]] = defaultdict(list)
    city_ids = [c.id for c in cities]
    for start in range(0, len(city_ids), 900):
        query = select(CityAlias.city_id, CityAlias.name).where(
            col(CityAlias.city_id).in_(city_ids[start : start + 900])
        )
        for city_id, name in session.exec(query.order_by(col(CityAlias.id))):
            aliases[city_id].append(name)
    return [
        GazetteerEntry(c.id, c.country, c.name_en, c.name_ar, tuple(aliases[c.id])) for c in cities
    ]


def edition_matcher(session: Session, edition_id: int) -> Matcher:
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFoundError(f"no edition with id {edition_id}")
    return Matcher.from_entries(workspace_gazetteer(session, edition))


def match_batch(session: Session, edition_id: int, batch_id: int, actor: str) -> dict[str, int]:
    """Match the items of a fresh import batch. Returns counts by band."""
    query = select(Item.id, Item.raw_label, Item.label_key, Item.country).where(
        Item.batch_id == batch_id
    )
    return _match_rows(session, edition_id, list(session.exec(query)), actor, "auto_match")


def rematch(session: Session, edition_id: int, actor: str) -> dict[str, int]:
    """Match again every item whose city no person has confirmed (e.g. after new aliases)."""
    query = select(Item.id, Item.raw_label, Item.label_key, Item.country).where(
        Item.edition_id == edition_id,
        (col(Item.match_method).is_(None)) | (col(Item.match_method) == MatchMethod.AUTO),
    )
    return _match_rows(session, edition_id, list(session.exec(query)), actor, "rematch")


def _match_rows(
    session: Session, edition_id: int, rows: list[Any], actor: str, action: str
) -> dict[str, int]:
    if not rows:
        return {}
    matcher = edition_matcher(session, edition_id)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    labels: dict[tuple[str, str], str] = {}
    for item_id, raw_label, label_key, country in rows:
        key = (label_key, country or "")
        groups[key].append(item_id)
        labels.setdefault(key, raw_label)
    keys = list(groups)
    results = matcher.match_many([(labels[k], k[1] or None) for k in keys], top=5)
    updates: list[dict[str, Any]] = []
    bands: Counter[str] = Counter()
    for key, result in zip(keys, results, strict=True):
        values = _match_values(result)
        for item_id in groups[key]:
            updates.append({"item_id": item_id, **values})
            bands[values["match_band"]] += 1
    table = table_of(Item)
    statement = (
        update(table)
        .where(table.c.id == bindparam("item_id"))
        .values(
            suggested_city_id=bindparam("suggested_city_id"),
            match_score=bindparam("match_score"),
            match_band=bindparam("match_band"),
            match_detail=bindparam("match_detail"),
            city_id=bindparam("city_id"),
            match_method=bindparam("match_method"),
            version=table.c.version + 1,
        )
    )
    session.connection().execute(statement, updates)
    counts = dict(bands)
    record_event(
        session, edition_id=edition_id, actor=actor, action=action, payload={"bands": counts}
    )
    return counts


def _match_values(result: MatchResult) -> dict[str, Any]:
    top = result.candidates[0] if result.candidates else None
    auto = top is not None and result.band == Band.AUTO
    return {
        "suggested_city_id": top.city_id if top else None,
        "match_score": round(top.score, 2) if top else 0.0,
        "match_band": result.band,
        "match_detail": {"candidates": [c.to_dict() for c in result.candidates]},
        "city_id": top.city_id if auto and top else None,
        "match_method": MatchMethod.AUTO.value if auto else None,
    }


def candidates(session: Session, item: Item, top: int = 5) -> MatchResult:
    """Fresh candidates for one item, with explanations (for the item view)."""
    return edition_matcher(session, item.edition_id).match(
        item.raw_label, item.country or None, top
    )
