"""The values each queue filter can take in an edition, with their item counts: for the
review UI's filter dialog and for checking command-line filter options."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.models import (
    City,
    Domain,
    EditionCity,
    EvidenceCheck,
    ImportBatch,
    Indicator,
    Item,
    Source,
)
from verifier.core.review.filters import EVIDENCE_CHOICES, NO_CITY, UNCHECKED


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # untrusted where it comes from data (names, titles): display it safely
    count: int = 0


@dataclass
class FilterChoices:
    indicators: list[Choice] = field(default_factory=list)
    domains: list[Choice] = field(default_factory=list)
    cities: list[Choice] = field(default_factory=list)
    countries: list[Choice] = field(default_factory=list)
    sources: list[Choice] = field(default_factory=list)
    batches: list[Choice] = field(default_factory=list)
    years: list[Choice] = field(default_factory=list)
    reviewers: list[Choice] = field(default_factory=list)
    evidence: list[Choice] = field(default_factory=list)  # labels: the status names


def filter_choices(session: Session, edition_id: int) -> FilterChoices:
    choices = FilterChoices()
    _indicators_and_domains(session, edition_id, choices)
    _cities_and_countries(session, edition_id, choices)
    mine = Item.edition_id == edition_id
    by_source: dict[int | None, int] = dict(
        session.exec(
            select(Item.source_id, func.count()).where(mine).group_by(col(Item.source_id))
        ).all()
    )
    sources = session.exec(
        select(Source).where(col(Source.id).in_(list(by_source))).order_by(col(Source.key))
    ).all()
    choices.sources = [Choice(s.key, s.title, by_source.get(s.id, 0)) for s in sources]
    batches = session.exec(
        select(ImportBatch)
        .where(ImportBatch.edition_id == edition_id)
        .order_by(col(ImportBatch.id))
    ).all()
    choices.batches = [
        Choice(str(b.id), f"{b.id}: {b.file_name}", b.accepted_count) for b in batches
    ]
    years = session.exec(
        select(Item.year, func.count())
        .where(mine)
        .group_by(col(Item.year))
        .order_by(col(Item.year))
    ).all()
    choices.years = [Choice(str(y), str(y), n) for y, n in years]
    reviewers = session.exec(
        select(Item.status_changed_by, func.count())
        .where(mine, col(Item.status_changed_by).is_not(None))
        .group_by(col(Item.status_changed_by))
        .order_by(col(Item.status_changed_by))
    ).all()
    choices.reviewers = [Choice(r, r, n) for r, n in reviewers if r]
    choices.evidence = _evidence(session, edition_id)
    return choices


def _evidence(session: Session, edition_id: int) -> list[Choice]:
    """Items per stored evidence status, in the check's order of precedence; "unchecked"
    for the items without a result."""
    by_status: dict[str, int] = dict(
        session.exec(
            select(EvidenceCheck.status, func.count())
            .join(Item, col(Item.id) == col(EvidenceCheck.item_id))
            .where(Item.edition_id == edition_id)
            .group_by(col(EvidenceCheck.status))
        ).all()
    )
    total = session.exec(select(func.count()).where(Item.edition_id == edition_id)).one()
    by_status[UNCHECKED] = int(total) - sum(by_status.values())
    return [Choice(s, s, by_status.get(s, 0)) for s in EVIDENCE_CHOICES]


def _indicators_and_domains(session: Session, edition_id: int, choices: FilterChoices) -> None:
    by_indicator: dict[int | None, int] = dict(
        session.exec(
            select(Item.indicator_id, func.count())
            .where(Item.edition_id == edition_id)
            .group_by(col(Item.indicator_id))
        ).all()
    )
    indicators = session.exec(
        select(Indicator, Domain)
        .join(Domain, col(Domain.id) == col(Indicator.domain_id))
        .where(Indicator.edition_id == edition_id)
        .order_by(col(Domain.position), col(Indicator.position), col(Indicator.code))
    ).all()
    domains: dict[str, Choice] = {}
    for indicator, domain in indicators:
        n = by_indicator.get(indicator.id, 0)
        label = f"{indicator.code} {indicator.name_en}"
        choices.indicators.append(Choice(indicator.code, label, n))
        before = domains.get(domain.code, Choice(domain.code, domain.name_en or domain.code))
        domains[domain.code] = Choice(before.value, before.label, before.count + n)
    choices.domains = list(domains.values())


def _cities_and_countries(session: Session, edition_id: int, choices: FilterChoices) -> None:
    by_city: dict[str | None, int] = dict(
        session.exec(
            select(Item.city_id, func.count())
            .where(Item.edition_id == edition_id)
            .group_by(col(Item.city_id))
        ).all()
    )
    cities = session.exec(
        select(City)
        .join(EditionCity, col(EditionCity.city_id) == col(City.id))
        .where(EditionCity.edition_id == edition_id)
        .order_by(col(City.country), col(City.name_en))
    ).all()
    choices.cities = [Choice(NO_CITY, "(no city yet)", by_city.get(None, 0))]
    choices.cities += [
        Choice(c.id, f"{c.name_en} · {c.name_ar} ({c.country})", by_city.get(c.id, 0))
        for c in cities
    ]
    countries: dict[str, int] = {}
    for c in cities:
        countries[c.country] = countries.get(c.country, 0) + by_city.get(c.id, 0)
    choices.countries = [Choice(code, code, n) for code, n in sorted(countries.items())]
