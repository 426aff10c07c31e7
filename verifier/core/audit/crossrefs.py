"""Records outside the log that the log vouches for: publications (conflict resolutions are
in resolutions.py).

A publication's content must still hash to its recorded sha256, and its ``publish`` event
(hash-chained) must exist and name that same sha256. Rewriting a publication therefore
means rewriting the chain too; deleting the newest events takes the publish event with
them, which is noticed here.

A publication's value and evidence rows, and its own row, must say what its hashed content
says (core.publishing.rows): they are what queries and reports would otherwise trust.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import Publication, ReviewEvent
from verifier.core.audit.findings import Finding
from verifier.core.wording import agree, count


def check_publications(session: Session, findings: list[Finding]) -> int:
    """Append a finding for each publication that does not match its hash or its event, and
    for each of its queryable rows that does not match its hashed content."""
    from verifier.core.publishing.rows import check_publication

    announced = _publish_events(session)
    publications = session.execute(sa_select(Publication).order_by(col(Publication.id))).all()
    for (publication,) in publications:
        label = f"publication {publication.id} (#{publication.number})"
        recorded = publication.content_sha256
        check = check_publication(session, publication)
        document: dict[str, Any] = check.document or {}
        meta = document.get("publication")
        claimed = meta.get("sha256") if isinstance(meta, dict) else None
        if not check.content_intact:
            actual = _actual_hash(document) if check.document is not None else ""
            findings.append(
                Finding(
                    "publication",
                    f"{label}: its stored content hashes to {actual[:16] or 'nothing'}…, not "
                    f"the recorded sha256 {recorded[:16]}…: the content was altered",
                )
            )
        elif claimed != recorded:
            findings.append(
                Finding(
                    "publication",
                    f"{label}: the sha256 inside the document ({str(claimed)[:16]}…) is not "
                    f"the recorded one ({recorded[:16]}…)",
                )
            )
        else:
            # The rows are copies of the content for queries: a difference was written behind
            # the application's back (the rows are append-only).
            findings.extend(Finding("published_rows", f"{label}: {p}") for p in check.problems)
            if check.more_problems:
                findings.append(
                    Finding(
                        "published_rows",
                        f"{label}: {count(check.more_problems, 'more row')} "
                        f"{agree(check.more_problems, 'does', 'do')} not match its hashed content",
                    )
                )
        _check_anchor(session, label, document if check.content_intact else {}, findings)
        event = announced.get(publication.id or 0)
        if event is None:
            findings.append(
                Finding(
                    "publication",
                    f"{label} has no 'publish' event in the log: the event was deleted, or the "
                    "publication was written behind the application's back",
                )
            )
        elif event.payload.get("sha256") != recorded:
            findings.append(
                Finding(
                    "publication",
                    f"{label}: its publish event #{event.seq} names sha256 "
                    f"{str(event.payload.get('sha256'))[:16]}…, the publication records "
                    f"{recorded[:16]}…: one of them was replaced",
                    event.seq,
                    event.id,
                )
            )
    return len(publications)


def _actual_hash(document: dict[str, Any]) -> str:
    from verifier.core.publishing.snapshot import content_hash

    try:
        return content_hash(document)
    except (TypeError, ValueError):
        return ""


def _check_anchor(
    session: Session, label: str, document: dict[str, Any], findings: list[Finding]
) -> None:
    """The log's head recorded in the publication must still be in the log, unchanged."""
    anchor = document.get("publication", {}).get("audit_head")
    if not isinstance(anchor, dict) or not anchor.get("seq"):
        return  # published before anything was logged, or before anchors existed
    seq, claimed = int(anchor["seq"]), str(anchor.get("hash"))
    stored = (
        session.connection()
        .execute(sa_select(col(ReviewEvent.hash)).where(col(ReviewEvent.seq) == seq))
        .scalar()
    )
    if stored is None:
        findings.append(
            Finding(
                "publication",
                f"{label} anchors the log at event #{seq}, which is no longer in the log: "
                "events up to it were deleted",
                seq,
            )
        )
    elif stored != claimed:
        findings.append(
            Finding(
                "publication",
                f"{label} anchors the log at event #{seq} with hash {claimed[:16]}…, the log "
                f"now has {str(stored)[:16]}…: history before this publication was rewritten",
                seq,
            )
        )


def _publish_events(session: Session) -> dict[int, ReviewEvent]:
    query = (
        sa_select(ReviewEvent)
        .where(col(ReviewEvent.action) == "publish")
        .order_by(col(ReviewEvent.id))
    )
    found: dict[int, ReviewEvent] = {}
    for (event,) in session.execute(query):
        publication_id = event.payload.get("publication_id")
        if isinstance(publication_id, int):
            found.setdefault(publication_id, event)
    return found


def last_publish_seq(session: Session) -> int:
    """The position of the newest publish event: cutting the log at or before it is caught,
    since each publication requires its event."""
    seq = (
        session.connection()
        .execute(
            sa_select(func.max(col(ReviewEvent.seq))).where(col(ReviewEvent.action) == "publish")
        )
        .scalar()
    )
    return int(seq or 0)
