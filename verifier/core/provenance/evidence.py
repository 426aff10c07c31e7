"""The evidence check's results as a report shows them: what was checked for each item, and
whether that is still the document the item rests on.

A stored result is a derived cache keyed by the document's sha256 (verifier.core.evidence).
A report states the sha256 the result was computed against and compares it with the
document the item rests on: for a published item the document its source named at the
publication (the source's version then), for any other item the one it names now. A result
for another document, or by another version of the check, is *stale*; an item never checked
is *absent*. Neither is ever shown as if it were current.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlmodel import Session, col, select

from db.models import Document, EvidenceCheck
from verifier.core.evidence.method import METHOD
from verifier.core.provenance.model import NOT_CHECKED, EvidenceFacts

IN_LIMIT = 900


def stored_documents(session: Session, sha256s: Iterable[str]) -> set[str]:
    """Those of ``sha256s`` whose document the workspace holds."""
    wanted = sorted({s for s in sha256s if s})
    found: set[str] = set()
    for start in range(0, len(wanted), IN_LIMIT):
        chunk = wanted[start : start + IN_LIMIT]
        found.update(session.exec(select(Document.sha256).where(col(Document.sha256).in_(chunk))))
    return found


def evidence_facts(
    session: Session, rests_on: Mapping[int, str | None], stored: set[str]
) -> dict[int, EvidenceFacts]:
    """Per item id, its stored result judged against ``rests_on[item_id]`` (the sha256 its
    source names, as published or now; "" or None for none). ``stored`` holds the sha256s
    of the documents the workspace has."""
    ids = sorted(rests_on)
    rows: dict[int, EvidenceCheck] = {}
    for start in range(0, len(ids), IN_LIMIT):
        chunk = ids[start : start + IN_LIMIT]
        for check in session.exec(
            select(EvidenceCheck).where(col(EvidenceCheck.item_id).in_(chunk))
        ):
            rows[check.item_id] = check
    facts: dict[int, EvidenceFacts] = {}
    for item_id in ids:
        named = rests_on[item_id] or ""
        document = named if named in stored else None
        found = rows.get(item_id)
        if found is None:
            facts[item_id] = _absent(document)
            continue
        check = found
        why = _stale_because(check, named, document)
        facts[item_id] = EvidenceFacts(
            state="stale" if why else "current",
            status=check.status,
            page=check.page,
            sha256=check.sha256,
            document_sha256=document,
            found_value=check.found_value,
            score=check.score,
            checked_by=check.checked_by,
            checked_at=check.checked_at,
            method=check.method,
            why=why,
        )
    return facts


def _absent(document: str | None) -> EvidenceFacts:
    return EvidenceFacts(NOT_CHECKED.state, document_sha256=document, why=NOT_CHECKED.why)


def _stale_because(check: EvidenceCheck, named: str, document: str | None) -> str:
    """Why the result does not describe the document (empty when it does)."""
    checked = check.sha256 or None
    if checked != document:
        if checked is None:
            return (
                f"it was computed when the source had no stored document; document {document} "
                "is stored now"
            )
        if document is None and named:
            return (
                f"it was computed against document {checked}, but the document the item "
                f"rests on ({named}) is not stored in the workspace"
            )
        if document is None:
            return (
                f"it was computed against document {checked}, but the source the item rests "
                "on names no document"
            )
        return f"it was computed against document {checked}, not {document}"
    if check.method != METHOD:
        return f"it was computed by another version of the check ({check.method}, now {METHOD})"
    return ""
