"""Learning from the workspace: every city a person confirmed for a label is a training pair.

A confirmed label in one script and the city's name in the other are one more example for
the learned transliteration model (``core/matching/learned``): the edition's matcher uses
the shipped model adapted to these pairs (``training.adapt``), so that a spelling habit of
the edition's sources, confirmed a few times, counts for the other labels that share it.
Exact learned aliases (``decisions.learn_alias``) still make a confirmed label match itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from threading import Lock

from sqlalchemy import select as sa_select
from sqlalchemy import text
from sqlmodel import Session

from db.models import Item, table_of
from db.models.items import PERSON_MATCHED
from verifier.core.matching import traditions
from verifier.core.matching.forms import ARABIC, analyse
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.learned.parameters import MatchingParameters, default_parameters
from verifier.core.matching.learned.respelling import respellings
from verifier.core.matching.learned.training import Pair, adapt

# Adapted parameters kept per set of confirmed pairs, so that rebuilding an edition's matcher
# with nothing new confirmed does not adapt again.
_CACHE_SIZE = 4
_cache: dict[str, MatchingParameters] = {}
_lock = Lock()


def confirmed_labels(session: Session, edition_id: int) -> list[tuple[str, str]]:
    """(raw label, city id) of every item whose city a person set, each pair once: read
    from the partial index of those items, never from the edition's other items."""
    table = table_of(Item)
    rows = (
        session.connection()
        .execute(
            sa_select(table.c.raw_label, table.c.city_id)
            .where(
                table.c.edition_id == edition_id,
                table.c.city_id.is_not(None),
                # Word for word the predicate of the partial index of these items.
                text(PERSON_MATCHED),
            )
            .distinct()
            .order_by(table.c.raw_label, table.c.city_id)
        )
        .all()
    )
    return [(label, city_id) for label, city_id in rows]


def training_pairs(
    labels: Iterable[tuple[str, str]], entries: Iterable[GazetteerEntry]
) -> list[Pair]:
    """The pairs the confirmations teach: a label in Arabic script with the city's English
    name, a Latin label with its Arabic name, as the matcher normalises them."""
    by_id = {entry.city_id: entry for entry in entries}
    pairs: dict[tuple[str, str, str], Pair] = {}
    for label, city_id in labels:
        entry = by_id.get(city_id)
        forms = [form for form in analyse(label) if not form.speculative]
        if entry is None or not forms:
            continue
        form = forms[0]
        other = entry.name_en if form.script == ARABIC else entry.name_ar
        name_forms = analyse(other, guess_order=False) if other else []
        if not name_forms or name_forms[0].script == form.script:
            continue
        name = name_forms[0]
        arabic, latin = (
            (form.model_text, name.model_text)
            if form.script == ARABIC
            else (name.model_text, form.model_text)
        )
        tradition = traditions.primary(entry.country)
        pairs.setdefault((arabic, latin, tradition), Pair(arabic, latin, tradition))
    return list(pairs.values())


def adapted_parameters(
    pairs: list[Pair], base: MatchingParameters | None = None
) -> MatchingParameters:
    """``base`` (the shipped parameters) with its transliteration model adapted to
    ``pairs``; the same object when there are none."""
    base = base if base is not None else default_parameters()
    if not pairs or base.transliteration is None:
        return base
    digest = hashlib.sha256(
        "\n".join(f"{p.arabic}\t{p.latin}\t{p.tradition}" for p in pairs).encode()
    ).hexdigest()
    key = f"{id(base)}:{digest}"
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    adapted = adapt(base.transliteration, pairs)
    result = base.with_transliteration(adapted, respellings(adapted, pairs))
    with _lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[key] = result
    return result
