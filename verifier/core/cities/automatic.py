"""Automatic matching of items' city labels against the edition's gazetteer: during each
import, and again on demand. A person's decisions live in ``cities.decisions``."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from db.models import (
    Band,
    CityAlias,
    Edition,
    Item,
    MatchMethod,
    Role,
    table_of,
)
from verifier.core.cities.learning import adapted_parameters, confirmed_labels, training_pairs
from verifier.core.edition_cities import edition_cities
from verifier.core.errors import NotFoundError
from verifier.core.eventlog.append import record_event
from verifier.core.eventlog.import_digest import REMATCH_KEY, digests_of_batches, match_digest
from verifier.core.matching import Matcher, MatchResult
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.people.roles import require_role


def workspace_gazetteer(session: Session, edition: Edition) -> list[GazetteerEntry]:
    """The edition's cities with every alias, curated and learned."""
    assert edition.id is not None
    cities = edition_cities(session, edition.id)
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
    """The edition's matcher: its cities with every alias, and the learned transliteration
    model adapted to the cities people confirmed for labels (``learning.py``)."""
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFoundError(f"no edition with id {edition_id}")
    entries = workspace_gazetteer(session, edition)
    pairs = training_pairs(confirmed_labels(session, edition_id), entries)
    return Matcher.from_entries(entries, adapted_parameters(pairs))


class ImportMatcher:
    """Matches rows while they are imported, so their match is part of the INSERT rather
    than a second pass rewriting every row. Each distinct (label, country hint) is matched
    once per import, then taken from the cache."""

    def __init__(self, session: Session, edition_id: int) -> None:
        self.matcher = edition_matcher(session, edition_id)
        self._known: dict[tuple[str, str], dict[str, Any]] = {}

    def values_for(
        self, labels: dict[tuple[str, str], str]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        """The match columns of each (label key, country hint), given one raw label of it:
        those not matched before are matched now (the bands are not counted here)."""
        new = [key for key in labels if key not in self._known]
        results = self.matcher.match_many([(labels[k], k[1] or None) for k in new], top=5)
        for key, result in zip(new, results, strict=True):
            self._known[key] = _match_values(result)
        return {key: self._known[key] for key in labels}


def rematch(session: Session, edition_id: int, actor: str) -> dict[str, int]:
    """Match again every item whose city no person has confirmed: after new aliases, and
    with the model adapted to every confirmation so far (``edition_matcher``). Leads only:
    it rewrites the engine's verdicts across the edition."""
    require_role(session, actor, Role.LEAD, "matching the edition again")
    table = table_of(Item)
    scope = and_(
        table.c.edition_id == edition_id,
        or_(table.c.match_method.is_(None), table.c.match_method == MatchMethod.AUTO.value),
    )
    return _match_scope(session, edition_id, scope, actor, "rematch")


def _match_scope(
    session: Session, edition_id: int, scope: ColumnElement[bool], actor: str, action: str
) -> dict[str, int]:
    """Match each distinct (label, country hint) in ``scope`` once, and update its items
    with one statement per label: imports repeat the same labels thousands of times."""
    table = table_of(Item)
    connection = session.connection()
    labels = connection.execute(
        sa_select(table.c.label_key, table.c.country, func.min(table.c.raw_label), func.count())
        .where(scope)
        .group_by(table.c.label_key, table.c.country)
        .order_by(table.c.label_key, table.c.country)
    ).all()
    if not labels:
        return {}
    matcher = edition_matcher(session, edition_id)
    results = matcher.match_many([(raw, country or None) for _, country, raw, _ in labels], top=5)
    statement = (
        update(table)
        .where(
            scope,
            table.c.edition_id == edition_id,  # with label_key: the index that finds them
            table.c.label_key == bindparam("key"),
            table.c.country == bindparam("hint"),
        )
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
    bands: Counter[str] = Counter()
    updates = []
    verdicts: dict[tuple[str, str], dict[str, Any]] = {}
    for (key, country, _, count), result in zip(labels, results, strict=True):
        values = _match_values(result)
        updates.append({"key": key, "hint": country, **values})
        verdicts[(key, country)] = values
        bands[values["match_band"]] += count
    digests = _new_match_digests(session, scope, verdicts)
    connection.execute(statement, updates)
    payload: dict[str, Any] = {"bands": dict(bands)}
    payload.update(_record_match_digests(session, digests))
    record_event(session, edition_id=edition_id, actor=actor, action=action, payload=payload)
    return dict(bands)


def _new_match_digests(
    session: Session, scope: ColumnElement[bool], verdicts: dict[tuple[str, str], dict[str, Any]]
) -> list[tuple[int, int, str]]:
    """(item id, batch id, match digest) of each item in ``scope`` whose match digest the new
    verdicts change: one pass over the items' keys and stored digests. The digest is taken
    over the item's stored import digest, so a forged imported field stays detected."""
    table = table_of(Item)
    query = (
        sa_select(
            table.c.id, table.c.batch_id, table.c.label_key, table.c.country,
            table.c.import_digest, table.c.match_digest,
        )
        .where(scope, table.c.import_digest.is_not(None))
        .execution_options(stream_results=True, yield_per=5_000)
    )  # fmt: skip
    changed = []
    for item_id, batch_id, key, country, imported, stored in session.connection().execute(query):
        verdict = verdicts.get((key, country))  # None: imported since the labels were read
        if verdict is None:
            continue
        digest = match_digest(verdict, imported)
        if digest != stored:
            changed.append((item_id, batch_id, digest))
    return changed


def _record_match_digests(session: Session, changed: list[tuple[int, int, str]]) -> dict[str, Any]:
    """Store the new match digests; what the rematch event records of them: how many items
    the engine's verdict changed, and each affected batch's new digest."""
    if not changed:
        return {"changed": 0}
    table = table_of(Item)
    statement = (
        update(table).where(table.c.id == bindparam("item")).values(match_digest=bindparam("d"))
    )
    connection = session.connection()
    for start in range(0, len(changed), 5_000):
        rows = changed[start : start + 5_000]
        connection.execute(statement, [{"item": i, "d": digest} for i, _, digest in rows])
    batches = digests_of_batches(session, {batch for _, batch, _ in changed})
    return {"changed": len(changed), REMATCH_KEY: {str(b): d for b, d in batches.items()}}


def _match_values(result: MatchResult) -> dict[str, Any]:
    top = result.candidates[0] if result.candidates else None
    auto = top is not None and result.band == Band.AUTO
    return {
        "suggested_city_id": top.city_id if top else None,
        "match_score": round(top.score, 2) if top else 0.0,
        "match_band": result.band,
        "match_detail": _detail(result),
        "city_id": top.city_id if auto and top else None,
        "match_method": MatchMethod.AUTO.value if auto else None,
    }


def _detail(result: MatchResult) -> dict[str, Any] | None:
    """What the engine said, kept with the item: which name or alias of the city matched,
    and the runner-up it had to beat. Compact, because it is written for every imported
    row; the item view recomputes the candidates with their explanations (``candidates``)."""
    if not result.candidates:
        return None
    best = result.candidates[0]
    detail: dict[str, Any] = {
        "city_id": best.city_id,
        "matched_field": best.matched_field,
        "matched_name": best.matched_name,
    }
    others = [c for c in result.candidates[1:] if c.city_id != best.city_id]
    if others:
        detail["runner_up"] = {"city_id": others[0].city_id, "score": round(others[0].score, 2)}
    return detail


def candidates(
    session: Session, item: Item, top: int = 5, matcher: Matcher | None = None
) -> MatchResult:
    """Fresh candidates for one item, with explanations (for the item view). Pass the
    edition's ``matcher`` when one is at hand: building it costs more than matching."""
    if matcher is None:
        matcher = edition_matcher(session, item.edition_id)
    return matcher.match(item.raw_label, item.country or None, top)
