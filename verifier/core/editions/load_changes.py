"""What an edition load changed: the edition's records before and after, compared kind by
kind (added, changed, removed) for the ``edition_load`` event and the load report."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from db.models import (
    AliasOrigin,
    City,
    CityAlias,
    Domain,
    Edition,
    EditionCity,
    Expert,
    ExpertDomainWeight,
    ExpertIndicatorWeight,
    Indicator,
    Reviewer,
    Source,
)
from verifier.core.sources.registry import metadata


def edition_snapshot(session: Session, code: str) -> dict[str, dict[Any, Any]]:
    """What an edition load can change, keyed for comparison."""
    edition = session.exec(select(Edition).where(Edition.code == code)).first()
    edition_id = edition.id if edition is not None else -1
    city_ids = set(
        session.exec(select(EditionCity.city_id).where(EditionCity.edition_id == edition_id))
    )
    cities = {c.id: (c.name_en, c.name_ar, c.country) for c in session.exec(select(City))}
    experts = {
        e.id: e.code for e in session.exec(select(Expert).where(Expert.edition_id == edition_id))
    }
    indicators = {
        i.id: i for i in session.exec(select(Indicator).where(Indicator.edition_id == edition_id))
    }
    domains = {d.id: d for d in session.exec(select(Domain).where(Domain.edition_id == edition_id))}
    weights: dict[Any, Any] = {}
    for w in session.exec(select(ExpertDomainWeight)):
        if w.expert_id in experts and w.domain_id in domains:
            weights[(experts[w.expert_id], "domain", domains[w.domain_id].code)] = w.weight
    for v in session.exec(select(ExpertIndicatorWeight)):
        if v.expert_id in experts and v.indicator_id in indicators:
            weights[(experts[v.expert_id], "indicator", indicators[v.indicator_id].code)] = v.weight
    return {
        "edition": {code: (edition.name, edition.name_ar, edition.description)}
        if edition is not None
        else {},
        "cities": {cid: cities[cid] for cid in city_ids if cid in cities},
        "aliases": {
            (a.city_id, a.name): a.script
            for a in session.exec(select(CityAlias).where(CityAlias.origin == AliasOrigin.CURATED))
            if a.city_id in city_ids
        },
        "domains": {d.code: (d.name_en, d.name_ar, d.position) for d in domains.values()},
        "indicators": {
            i.code: (
                i.name_en,
                i.name_ar,
                i.unit,
                str(i.unit_aliases),
                i.direction,
                i.min_value,
                i.max_value,
                i.description,
                i.position,
                i.domain_id,
            )
            for i in indicators.values()
        },
        "experts": {
            e.code: (e.name, e.affiliation)
            for e in session.exec(select(Expert).where(Expert.edition_id == edition_id))
        },
        "weights": weights,
        "sources": {s.key: tuple(metadata(s).values()) for s in session.exec(select(Source))},
        "reviewers": {r.username: (r.role, r.display_name) for r in session.exec(select(Reviewer))},
    }


def snapshot_changes(
    before: dict[str, dict[Any, Any]], after: dict[str, dict[Any, Any]]
) -> dict[str, dict[str, int]]:
    """Per kind, how many records were added, changed and removed; kinds without any left out."""
    changes: dict[str, dict[str, int]] = {}
    for kind, new in after.items():
        old = before.get(kind, {})
        counts = {
            "added": sum(1 for k in new if k not in old),
            "changed": sum(1 for k in new if k in old and old[k] != new[k]),
            "removed": sum(1 for k in old if k not in new),
        }
        if any(counts.values()):
            changes[kind] = counts
    return changes
