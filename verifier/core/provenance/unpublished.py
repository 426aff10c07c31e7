"""Why an item is not in a publication, in plain words: its status, its city match, a
missing value, a later reference year, a conflict it lost or that is still open, or simply
that it became eligible after the publication was made."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from db.models import (
    ConflictResolution,
    Item,
    Publication,
    ReviewEvent,
    Status,
)
from verifier.core.provenance.chains import indicator_refs, load_item_chains
from verifier.core.provenance.model import (
    ConflictOutcome,
    ItemChain,
    Reason,
    UnpublishedItem,
)
from verifier.core.provenance.published import conflict_outcome, losing_items, publish_event
from verifier.core.provenance.wording import STATUS_ACTIONS, number, utc
from verifier.core.publishing.eligibility import ValueGroup, compute_eligibility
from verifier.core.wording import agree


def explain_unpublished(
    session: Session, item_ids: list[int], publication: Publication | None
) -> list[UnpublishedItem]:
    announced = publish_event(session, publication) if publication is not None else None
    cutoff = announced.seq if announced is not None else None
    chains = load_item_chains(session, item_ids, cutoff, published=False)
    published_in = _publications_holding(session, list(chains))
    explained: list[UnpublishedItem] = []
    for edition_id in sorted({c.edition_id for c in chains.values()}):
        groups = _groups_by_cell(session, edition_id)
        indicators = indicator_refs(session, edition_id)
        for chain in sorted(chains.values(), key=lambda c: c.id):
            if chain.edition_id != edition_id:
                continue
            cell = (chain.match.city.id, chain.indicator_id) if chain.match.city else None
            group = groups.get(cell) if cell else None
            conflict = _conflict(session, chain, group)
            reasons = _reasons(chain, group, conflict, publication, cutoff)
            explained.append(
                UnpublishedItem(
                    item=chain,
                    indicator=indicators[chain.indicator_id],
                    reasons=tuple(reasons),
                    conflict=conflict,
                    published_in=tuple(published_in.get(chain.id, ())),
                )
            )
    return explained


def _reasons(
    chain: ItemChain,
    group: ValueGroup | None,
    conflict: ConflictOutcome | None,
    publication: Publication | None,
    cutoff: int | None,
) -> list[Reason]:
    reasons: list[Reason] = []
    if publication is None:
        reasons.append(Reason("no_publication", "nothing has been published in this edition yet"))
    elif publication.edition_id != chain.edition_id:
        reasons.append(
            Reason(
                "other_edition", f"it belongs to another edition than publication {publication.id}"
            )
        )
    if chain.status != Status.VERIFIED.value:
        reasons.append(Reason("status", _status_words(chain)))
    if not chain.match.confirmed:
        reasons.append(Reason("city_match", _match_words(chain)))
    if chain.value_normalized is None:
        shown = chain.value_text.strip() or "nothing"
        reasons.append(Reason("missing_value", f"it has no value: the source gives '{shown}'"))
    if group is not None and group.year > chain.year:
        later = [e.item_id for c in group.candidates for e in c.items]
        reasons.append(
            Reason(
                "superseded",
                f"its reference year {chain.year} is superseded by {group.year} "
                f"(verified {agree(len(later), 'item')} {', '.join(map(str, later))})",
            )
        )
    if conflict is not None and conflict.state == "lost":
        reasons.append(
            Reason(
                "conflict_lost",
                f"it lost a conflict: {conflict.resolved_by} chose item {conflict.chosen_item_id} "
                f"at {utc(conflict.resolved_at)} because: {conflict.reason}",
            )
        )
    if conflict is not None and conflict.state == "open" and group is not None:
        others = [
            f"item {e.item_id} ({number(c.value)})"
            for c in group.candidates
            for e in c.items
            if e.item_id != chain.id
        ]
        reasons.append(
            Reason(
                "conflict_open",
                f"its value conflicts with {', '.join(others)} and no lead has resolved it yet",
            )
        )
    if not reasons and publication is not None:
        reasons.append(_eligible_words(chain, publication, cutoff))
    return reasons


def _status_words(chain: ItemChain) -> str:
    words = f"its status is {chain.status}"
    changes = [
        e for e in chain.events if e.action in STATUS_ACTIONS and e.new_status == chain.status
    ]
    if changes:
        last = changes[-1]
        words += f" (set by {last.actor} at {utc(last.at)}"
        if last.reason:
            words += f"; reason: {last.reason}"
        if last.note:
            words += f"; note: {last.note}"
        words += ")"
    return words


def _match_words(chain: ItemChain) -> str:
    match = chain.match
    if match.band == "none" or (match.suggested_city_id is None and match.band):
        return f"its city is not matched: no city of the edition fits the label '{match.raw_label}'"
    if match.suggested_city_id:
        score = f", score {number(match.score)}" if match.score is not None else ""
        return (
            f"its city match is not confirmed: the label '{match.raw_label}' suggests "
            f"{match.suggested_city_id} (band {match.band}{score}) and no one has confirmed it"
        )
    return (
        f"its city match is not confirmed: the label '{match.raw_label}' has not been matched yet"
    )


def _eligible_words(chain: ItemChain, publication: Publication, cutoff: int | None) -> Reason:
    verified = chain.verified_by
    when = f" (verified by {verified.actor} at {utc(verified.at)})" if verified else ""
    if chain.changed_after_publication or (
        verified is not None and cutoff is not None and (verified.seq or 0) > cutoff
    ):
        return Reason(
            "not_yet_published",
            f"it became eligible after publication #{publication.number}{when}; "
            "the next publication will include it",
        )
    return Reason(
        "eligible",
        f"it is eligible now{when} but is not part of publication #{publication.number}",
    )


def _conflict(
    session: Session, chain: ItemChain, group: ValueGroup | None
) -> ConflictOutcome | None:
    if group is None or group.year != chain.year or not group.in_conflict:
        return None
    members = {e.item_id for c in group.candidates for e in c.items}
    if chain.id not in members:
        return None
    chosen = group.chosen
    if chosen is None:
        return ConflictOutcome("open", None, None, None, "")
    resolution: ConflictResolution | None = group.resolution
    assert resolution is not None
    event = session.get(ReviewEvent, resolution.event_id) if resolution.event_id else None
    others = {int(i) for i in (event.payload.get("other_items", []) if event else [])}
    state = "won" if any(e.item_id == chain.id for e in chosen.items) else "lost"
    return conflict_outcome(resolution, event, losing_items(session, others), state)


def _groups_by_cell(session: Session, edition_id: int) -> dict[tuple[str, int], ValueGroup]:
    """Eligibility as of now: per (city, indicator) the latest year's group."""
    return {(g.city_id, g.indicator_id): g for g in compute_eligibility(session, edition_id).groups}


def _publications_holding(session: Session, item_ids: list[int]) -> dict[int, list[int]]:
    """The numbers of the publications whose hashed content cites each item as evidence
    (the content, not the queryable evidence rows, which nothing hashes)."""
    from verifier.core.publishing.rows import parse_document

    wanted = set(item_ids)
    found: dict[int, list[int]] = defaultdict(list)
    if not wanted:
        return found
    editions = select(Item.edition_id).where(col(Item.id).in_(sorted(wanted)[:900]))
    query = (
        select(Publication)
        .where(col(Publication.edition_id).in_(editions))
        .order_by(col(Publication.number))
    )
    for publication in session.exec(query):
        document = parse_document(publication) or {}
        cited = {int(i) for v in document.get("values", []) for i in v.get("evidence", [])}
        for item_id in sorted(wanted & cited):
            found[item_id].append(publication.number)
    return found
