"""Building a provenance report from what the caller selects: a publication (the edition's
latest by default), narrowed to a city, an indicator or one item."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session, col, select

from db.models import City, Edition, EditionCity, Indicator, Item, Publication
from db.types import utcnow
from verifier.core.errors import NotFoundError
from verifier.core.provenance.model import ProvenanceReport, ReportStream, Selection
from verifier.core.provenance.published import publication_facts, published_values
from verifier.core.provenance.stream import publication_values
from verifier.core.provenance.unpublished import explain_unpublished
from verifier.core.text import match_key

CELL_ITEMS_SHOWN = 200


@dataclass(frozen=True)
class _Choice:
    edition: Edition
    publication: Publication | None
    publication_id: int | None
    city_id: str | None
    indicator: Indicator | None
    item: Item | None


def build_report(
    session: Session,
    *,
    edition_id: int | None = None,
    publication_id: int | None = None,
    city: str | None = None,
    indicator: str | None = None,
    item_id: int | None = None,
) -> ProvenanceReport:
    """The provenance of the selected published values (or of the item asked about), built
    whole: for one value or one item. A whole publication is written by ``stream_report``.

    Without ``publication_id`` the edition's latest publication is used; the edition comes
    from the item when ``item_id`` is given, else from ``edition_id``.
    """
    chosen = _choose(session, edition_id, publication_id, city, indicator, item_id)
    values = []
    if chosen.publication is not None:
        values = published_values(
            session,
            chosen.publication,
            city_id=chosen.city_id,
            indicator_id=chosen.indicator.id if chosen.indicator else None,
            item_id=item_id,
        )
    return replace(_head(session, chosen, bool(values)), values=tuple(values))


def stream_report(
    session: Session,
    *,
    edition_id: int | None = None,
    publication_id: int | None = None,
    city: str | None = None,
    indicator: str | None = None,
    item_id: int | None = None,
) -> ReportStream:
    """The same report as ``build_report``, its values read a chunk at a time while it is
    written (verifier.core.provenance.stream): memory stays flat in the publication's size."""
    chosen = _choose(session, edition_id, publication_id, city, indicator, item_id)
    if chosen.publication is None:
        return ReportStream.of(_head(session, chosen, False))
    values = publication_values(
        session,
        chosen.publication,
        city_id=chosen.city_id,
        indicator_id=chosen.indicator.id if chosen.indicator else None,
        item_id=item_id,
    )
    return ReportStream(_head(session, chosen, bool(len(values))), len(values), values)


def _choose(
    session: Session,
    edition_id: int | None,
    publication_id: int | None,
    city: str | None,
    indicator: str | None,
    item_id: int | None,
) -> _Choice:
    item = _item(session, item_id)
    publication = _publication(session, publication_id)
    if publication is not None:
        edition_id = publication.edition_id
    elif item is not None:
        edition_id = item.edition_id
    if edition_id is None:
        raise NotFoundError("say which edition or publication to report on")
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFoundError(f"no edition with id {edition_id}")
    if publication is None and publication_id is None:
        publication = _latest(session, edition_id)
    city_id = resolve_city(session, edition_id, city) if city else None
    chosen_indicator = resolve_indicator(session, edition_id, indicator) if indicator else None
    if publication is None and item is None and not (city_id and chosen_indicator):
        raise NotFoundError(
            f"edition {edition.code} has no publication yet (publish first, or ask about "
            "one item with --item, or one value with --city and --indicator)"
        )
    return _Choice(edition, publication, publication_id, city_id, chosen_indicator, item)


def _head(session: Session, chosen: _Choice, has_values: bool) -> ProvenanceReport:
    """The report without its values; ``has_values``: some published value is selected
    (else the items asked about are explained)."""
    edition, publication, item = chosen.edition, chosen.publication, chosen.item
    assert edition.id is not None
    unpublished_ids: list[int] = []
    if item is not None and not has_values:
        assert item.id is not None
        unpublished_ids = [item.id]
    elif item is None and chosen.city_id and chosen.indicator and not has_values:
        assert chosen.indicator.id is not None
        unpublished_ids = _cell_items(session, edition.id, chosen.city_id, chosen.indicator.id)
    return ProvenanceReport(
        edition_code=edition.code,
        edition_name=edition.name,
        generated_at=utcnow(),
        selection=Selection(
            publication.id if publication else chosen.publication_id,
            chosen.city_id,
            chosen.indicator.code if chosen.indicator else None,
            item.id if item else None,
        ),
        publication=publication_facts(session, publication, edition.code) if publication else None,
        unpublished=tuple(explain_unpublished(session, unpublished_ids, publication))
        if unpublished_ids
        else (),
    )


def item_provenance_markdown(session: Session, item_id: int) -> str:
    """One item's provenance as Markdown, for the review UI (``p`` on an item)."""
    from verifier.core.provenance.markdown import render_markdown

    return render_markdown(build_report(session, item_id=item_id))


def resolve_city(session: Session, edition_id: int, text: str) -> str:
    """A city of the edition by id, or by its English or Arabic name."""
    cities = session.exec(
        select(City)
        .join(EditionCity, col(EditionCity.city_id) == col(City.id))
        .where(EditionCity.edition_id == edition_id)
    ).all()
    wanted = text.strip()
    for city in cities:
        if city.id == wanted:
            return city.id
    key = match_key(wanted)
    named = [c for c in cities if key in (match_key(c.name_en), match_key(c.name_ar))]
    if len(named) == 1:
        return named[0].id
    if named:
        ids = ", ".join(sorted(c.id for c in named))
        raise NotFoundError(f"'{text}' names several cities ({ids}); give the city id")
    raise NotFoundError(f"no city '{text}' in this edition (see `verifier cities`)")


def resolve_indicator(session: Session, edition_id: int, text: str) -> Indicator:
    """An indicator of the edition by code (any case), or by its English or Arabic name."""
    key = match_key(text)
    for indicator in session.exec(select(Indicator).where(Indicator.edition_id == edition_id)):
        names = (indicator.code, indicator.name_en, indicator.name_ar)
        if key in {match_key(n) for n in names if n}:
            return indicator
    raise NotFoundError(f"no indicator '{text}' in this edition")


def _item(session: Session, item_id: int | None) -> Item | None:
    if item_id is None:
        return None
    item = session.get(Item, item_id)
    if item is None:
        raise NotFoundError(f"no item {item_id}")
    return item


def _publication(session: Session, publication_id: int | None) -> Publication | None:
    if publication_id is None:
        return None
    publication = session.get(Publication, publication_id)
    if publication is None:
        raise NotFoundError(f"no publication {publication_id} (see `verifier publications`)")
    return publication


def _latest(session: Session, edition_id: int) -> Publication | None:
    query = (
        select(Publication)
        .where(Publication.edition_id == edition_id)
        .order_by(col(Publication.number).desc())
    )
    return session.exec(query.limit(1)).first()


def _cell_items(session: Session, edition_id: int, city_id: str, indicator_id: int) -> list[int]:
    query = (
        select(Item.id)
        .where(
            Item.edition_id == edition_id,
            Item.city_id == city_id,
            Item.indicator_id == indicator_id,
        )
        .order_by(col(Item.year).desc(), col(Item.id))
        .limit(CELL_ITEMS_SHOWN)
    )
    return [i for i in session.exec(query) if i is not None]
