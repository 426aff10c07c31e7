"""The publication document (docs/publication-format.md): building, hashing, loading."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from db.models import (
    Domain,
    Edition,
    Expert,
    ExpertDomainWeight,
    ExpertIndicatorWeight,
    Indicator,
    Publication,
)
from verifier.core.edition_cities import edition_cities
from verifier.core.errors import NotFoundError

FORMAT = "verifier.publication/1"


def canonical_bytes(document: dict[str, Any]) -> bytes:
    """The hashed form: the document without its own hash, keys sorted, compact, UTF-8."""
    content = json.loads(json.dumps(document))
    content.get("publication", {}).pop("sha256", None)
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def content_hash(document: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def stored_form(document: dict[str, Any]) -> str:
    """How the document is stored: canonical layout, hash included."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def reference_sections(session: Session, edition: Edition) -> dict[str, Any]:
    """Edition, domains, indicators, cities and experts' raw weights, as the format orders them."""
    assert edition.id is not None
    domains = session.exec(
        select(Domain).where(Domain.edition_id == edition.id).order_by(col(Domain.position))
    ).all()
    domain_codes = {d.id: d.code for d in domains}
    indicators = session.exec(
        select(Indicator)
        .where(Indicator.edition_id == edition.id)
        .order_by(col(Indicator.position))
    ).all()
    indicator_codes = {i.id: i.code for i in indicators}
    cities = edition_cities(session, edition.id)
    return {
        "format": FORMAT,
        "edition": {"code": edition.code, "name": edition.name, "name_ar": edition.name_ar},
        "domains": [{"code": d.code, "name_en": d.name_en, "name_ar": d.name_ar} for d in domains],
        "indicators": [
            {
                "code": i.code,
                "domain": domain_codes[i.domain_id],
                "name_en": i.name_en,
                "name_ar": i.name_ar,
                "unit": i.unit,
                "direction": i.direction,
                "min": i.min_value,
                "max": i.max_value,
            }
            for i in indicators
        ],
        "cities": [
            {"id": c.id, "name_en": c.name_en, "name_ar": c.name_ar, "country": c.country}
            for c in cities
        ],
        "experts": _experts(session, edition.id, domain_codes, indicator_codes),
    }


def _experts(
    session: Session,
    edition_id: int,
    domain_codes: dict[int | None, str],
    indicator_codes: dict[int | None, str],
) -> list[dict[str, Any]]:
    experts = session.exec(
        select(Expert).where(Expert.edition_id == edition_id).order_by(col(Expert.code))
    ).all()
    ids = [e.id for e in experts]
    domain_weights: dict[int, dict[str, float]] = defaultdict(dict)
    domain_query = select(ExpertDomainWeight).where(col(ExpertDomainWeight.expert_id).in_(ids))
    for dw in session.exec(domain_query):
        domain_weights[dw.expert_id][domain_codes[dw.domain_id]] = dw.weight
    indicator_weights: dict[int, dict[str, float]] = defaultdict(dict)
    query = select(ExpertIndicatorWeight).where(col(ExpertIndicatorWeight.expert_id).in_(ids))
    for iw in session.exec(query):
        indicator_weights[iw.expert_id][indicator_codes[iw.indicator_id]] = iw.weight
    return [
        {
            "code": e.code,
            "domain_weights": dict(sorted(domain_weights[e.id].items())),  # type: ignore[index]
            "indicator_weights": dict(sorted(indicator_weights[e.id].items())),  # type: ignore[index]
        }
        for e in experts
    ]


def load_snapshot(session: Session, publication_id: int) -> dict[str, Any]:
    """The stored document of a publication, as the scorer and exports read it."""
    publication = session.get(Publication, publication_id)
    if publication is None:
        raise NotFoundError(f"no publication {publication_id} (see `verifier publications`)")
    document: dict[str, Any] = json.loads(publication.content)
    return document


def snapshot_verified(publication: Publication, document: dict[str, Any]) -> bool:
    """The document hashes to what was recorded at publishing and to what it claims itself."""
    claimed = document.get("publication", {}).get("sha256")
    return content_hash(document) == publication.content_sha256 == claimed


def load_verified_snapshot(session: Session, publication_id: int) -> tuple[dict[str, Any], bool]:
    """The stored document of a publication and whether its hash verifies."""
    publication = session.get(Publication, publication_id)
    if publication is None:
        raise NotFoundError(f"no publication {publication_id} (see `verifier publications`)")
    document: dict[str, Any] = json.loads(publication.content)
    return document, snapshot_verified(publication, document)
