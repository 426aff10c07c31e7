"""Publishing: a lead turns the eligible values into a new immutable, versioned snapshot."""

from __future__ import annotations

import json
from itertools import islice

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.bulk import bulk_insert
from db.models import (
    Edition,
    Indicator,
    Publication,
    PublicationEvidence,
    PublicationValue,
    Role,
    table_of,
)
from db.types import utcnow
from verifier.core.errors import VerifierError
from verifier.core.eventlog.append import record_event
from verifier.core.eventlog.chain import chain_head
from verifier.core.eventlog.derived_columns import check_derived
from verifier.core.eventlog.import_digest import check_imported
from verifier.core.eventlog.item_state import check_items
from verifier.core.people.roles import require_role
from verifier.core.publishing.conflicts import ConflictView, open_conflicts
from verifier.core.publishing.eligibility import compute_eligibility
from verifier.core.publishing.snapshot import content_hash, reference_sections, stored_form
from verifier.core.qa.gate import QaGateRefusedError, check_threshold, qa_record
from verifier.core.wording import agree, count

EVIDENCE_ROWS_PER_INSERT = 10_000


class PublishRefusedError(VerifierError):
    """Publishing cannot go ahead; ``conflicts`` lists what a lead must resolve first."""

    def __init__(self, message: str, conflicts: list[ConflictView] | None = None) -> None:
        self.conflicts = conflicts or []
        super().__init__(message)


def latest_publication(session: Session, edition_id: int) -> Publication | None:
    query = (
        select(Publication)
        .where(Publication.edition_id == edition_id)
        .order_by(col(Publication.number).desc())
    )
    return session.exec(query.limit(1)).first()


def publish(
    session: Session,
    edition: Edition,
    actor: str,
    note: str,
    *,
    max_error_rate: float | None = None,
) -> Publication:
    """Snapshot the edition's eligible values. Leads only; refused while conflicts are open,
    and by the QA gate (``max_error_rate``, else the edition's setting; see core.qa.gate)."""
    assert edition.id is not None
    check_threshold(max_error_rate)
    require_role(session, actor, Role.LEAD, "publishing")
    # Serialise publishers of one edition on PostgreSQL (SQLite's write lock already does).
    session.exec(select(Edition.id).where(Edition.id == edition.id).with_for_update()).one()
    conflicts = open_conflicts(session, edition.id)
    if conflicts:
        raise PublishRefusedError(
            f"{count(len(conflicts), 'conflict')} must be resolved before publishing "
            "(verifier conflict resolve ITEM --reason ...)",
            conflicts,
        )
    _refuse_items_unlike_the_log(session, edition.id)
    eligibility = compute_eligibility(session, edition.id)
    document = reference_sections(session, edition)
    codes = {
        i.id: i.code
        for i in session.exec(select(Indicator).where(Indicator.edition_id == edition.id))
    }
    units = {i["code"]: i["unit"] for i in document["indicators"]}
    values = sorted(
        (
            {
                "city": group.city_id,
                "indicator": codes[group.indicator_id],
                "value": chosen.value,
                "year": group.year,
                "unit": units[codes[group.indicator_id]],
                "evidence": sorted(e.item_id for e in chosen.items),
            }
            for group, chosen in eligibility.values
        ),
        key=lambda v: (v["city"], v["indicator"]),
    )
    if not values:
        raise PublishRefusedError("nothing to publish: no verified value with a confirmed city yet")
    parent = latest_publication(session, edition.id)
    if parent is not None and _values_of(parent) == values:
        raise PublishRefusedError(
            f"nothing changed since publication {parent.number} (id {parent.id}); not published"
        )
    evidence = [item for value in values for item in value["evidence"]]
    try:
        qa = qa_record(session, edition, evidence, max_error_rate)
    except QaGateRefusedError as refused:
        raise PublishRefusedError(str(refused)) from refused
    cells = len(document["cities"]) * len(document["indicators"])
    # Publications are never updated (a trigger forbids it), so the row is written once,
    # complete: its id, which the document contains, is taken before the insert.
    now = utcnow().replace(microsecond=0)
    document["publication"] = {
        "id": _next_id(session),
        "number": (parent.number if parent else 0) + 1,
        "parent_id": parent.id if parent else None,
        "created_by": actor,
        "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "note": note.strip(),
        "value_count": len(values),
        "coverage": round(len(values) / cells, 4) if cells else 0.0,
        # The review log's last link when publishing: an exported copy anchors the log
        # outside the workspace, so rewriting history before it is detectable.
        "audit_head": _audit_head(session),
    }
    document["values"] = values
    if qa is not None:
        document["qa"] = qa
    document["publication"]["sha256"] = content_hash(document)
    meta = document["publication"]
    publication = Publication(
        id=meta["id"],
        edition_id=edition.id,
        number=meta["number"],
        parent_id=meta["parent_id"],
        created_by=actor,
        created_at=now,
        note=meta["note"],
        value_count=meta["value_count"],
        coverage=meta["coverage"],
        content_sha256=meta["sha256"],
        content=stored_form(document),
    )
    session.add(publication)
    session.flush()
    _store_values(session, publication, values, {code: i for i, code in codes.items() if i})
    record_event(
        session,
        edition_id=edition.id,
        actor=actor,
        action="publish",
        note=publication.note,
        payload={
            "publication_id": publication.id,
            "number": publication.number,
            "sha256": publication.content_sha256,
            "value_count": publication.value_count,
        },
    )
    return publication


def _refuse_items_unlike_the_log(session: Session, edition_id: int) -> None:
    """Eligibility is read from the item rows: each must say what the review log says (its
    status, city and value, who changed the status and when), and what its import wrote
    (the import digests), or a row changed behind the application's back would be
    published."""
    check = check_items(session, edition_id)
    if not check.intact:
        raise PublishRefusedError(
            f"{count(check.disagreeing, 'item')} "
            f"{agree(check.disagreeing, 'disagrees', 'disagree')} with the review log (changed "
            "without an "
            f"event); not published: {check.summary()}. See `verifier audit verify`."
        )
    imported = check_imported(session, edition_id)
    if not imported.intact:
        raise PublishRefusedError(
            f"{count(imported.disagreeing, 'item or batch', 'items or batches')} no longer "
            f"{agree(imported.disagreeing, 'hashes', 'hash')} to what their import "
            f"recorded (changed without an event); not published: {imported.summary()}. "
            "See `verifier audit verify`."
        )
    # The QA gate reads who last decided an item, and when; the rest the log records exactly.
    changed = check_derived(session, edition_id, status_only=True)
    if not changed.intact:
        raise PublishRefusedError(
            f"{count(changed.disagreeing, 'item column')} "
            f"{agree(changed.disagreeing, 'disagrees', 'disagree')} with what the review log "
            "records (who changed a status or confirmed a city and when, versions, match "
            f"explanations, import times); not published: {changed.summary()}. "
            "See `verifier audit verify`."
        )


def _audit_head(session: Session) -> dict[str, object]:
    head = chain_head(session)
    return {"seq": head.seq, "hash": head.hash}


def _next_id(session: Session) -> int:
    """The next publication id. Writers are serialised (SQLite's write lock; on PostgreSQL
    the edition row lock taken in ``publish``), so two publishers cannot take the same one."""
    highest = session.exec(select(func.max(Publication.id))).one()
    return (highest or 0) + 1


def _values_of(publication: Publication) -> list[dict[str, object]]:
    values: list[dict[str, object]] = json.loads(publication.content)["values"]
    return values


def _store_values(
    session: Session,
    publication: Publication,
    values: list[dict[str, object]],
    indicator_ids: dict[str, int],
) -> None:
    """Queryable copies of the document's values: they never change after this."""
    assert publication.id is not None
    rows = [
        {
            "publication_id": publication.id,
            "city_id": v["city"],
            "indicator_id": indicator_ids[str(v["indicator"])],
            "value": v["value"],
            "year": v["year"],
            "unit": v["unit"],
        }
        for v in values
    ]
    bulk_insert(session.connection(), table_of(PublicationValue), rows)
    stored = session.exec(
        select(PublicationValue.id, PublicationValue.city_id, PublicationValue.indicator_id).where(
            PublicationValue.publication_id == publication.id
        )
    ).all()
    ids = {(city, indicator): value_id for value_id, city, indicator in stored}
    evidence = (
        {"value_id": ids[(str(v["city"]), indicator_ids[str(v["indicator"])])], "item_id": item_id}
        for v in values
        for item_id in v["evidence"]  # type: ignore[attr-defined]
    )
    while chunk := list(islice(evidence, EVIDENCE_ROWS_PER_INSERT)):
        bulk_insert(session.connection(), table_of(PublicationEvidence), chunk)
