"""Reading the evidence check's stored results: for a listing, one item, or a report.

A result that no longer describes the item's document (the source now names another one,
or the check changed) is *stale*; readers say so rather than show it as current.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import Document, EvidenceCheck, EvidenceStatus, Item, Source
from verifier.core.evidence.method import METHOD
from verifier.core.evidence.scope import Scope, scoped


@dataclass(frozen=True)
class EvidenceResult:
    item_id: int
    status: str
    page: int | None
    found_value: float | None
    found_text: str
    score: float
    sha256: str | None  # the document checked against
    place: str
    hint: str
    value_text: str  # the item's value as written
    value_number: float | None
    source_key: str
    stale: bool
    quote_start: int | None = None
    quote_end: int | None = None
    value_start: int | None = None
    value_end: int | None = None

    def contract(self) -> dict[str, Any]:
        """The JSON object of ``verifier evidence check --format json`` (exact)."""
        return {
            "item_id": self.item_id,
            "status": self.status,
            "page": self.page,
            "found_value": self.found_value,
            "score": self.score,
        }

    def describe(self) -> str:
        """One line for a person: ``value differs: the document prints 68.2 (item 66.7), page
        26``."""
        return describe_result(self)


def describe_result(result: EvidenceResult) -> str:
    status = result.status
    where = f", page {result.page}" if result.page is not None else ""
    stale = " (stale: the document changed since; run verifier evidence check)"
    tail = stale if result.stale else ""
    if status == EvidenceStatus.NO_DOCUMENT:
        return f"no document: the source {result.source_key} has no stored document{tail}"
    if status == EvidenceStatus.NO_TEXT:
        return f"no text: the document has no text layer (a scan){tail}"
    if status == EvidenceStatus.SNIPPET_NOT_FOUND:
        hint = f"; {result.hint}" if result.hint else ""
        return f"quote not found (best score {result.score:g}){hint}{tail}"
    if status == EvidenceStatus.VALUE_DIFFERS:
        printed = result.found_text or "no number"
        return (
            f"value differs: the document prints {printed}, the item says "
            f"{result.value_text}{where}{tail}"
        )
    if status == EvidenceStatus.PAGE_MISMATCH:
        return f"found on another page{where} than the locator's {result.place}{tail}"
    return f"match{where} (score {result.score:g}){tail}"


def _query(session: Session) -> Any:
    return (
        sa_select(
            EvidenceCheck,
            col(Item.value_text),
            col(Item.value_number),
            col(Source.key),
            col(Document.sha256),
        )
        .join(Item, col(Item.id) == col(EvidenceCheck.item_id))
        .join(Source, col(Source.id) == col(Item.source_id))
        .outerjoin(Document, col(Document.sha256) == col(Source.file_sha256))
    )


def _result(row: Any) -> EvidenceResult:
    check, value_text, value_number, source_key, current = row
    stale = check.method != METHOD or (check.sha256 or "") != (current or "")
    return EvidenceResult(
        item_id=check.item_id, status=check.status, page=check.page,
        found_value=check.found_value, found_text=check.found_text, score=check.score,
        sha256=check.sha256, place=check.place, hint=check.hint, value_text=value_text,
        value_number=value_number, source_key=source_key, stale=stale,
        quote_start=check.quote_start, quote_end=check.quote_end,
        value_start=check.value_start, value_end=check.value_end,
    )  # fmt: skip


def load_results(
    session: Session, scope: Scope, statuses: Sequence[str] = ()
) -> list[EvidenceResult]:
    """The stored results of the scope's items, in item order, optionally of some statuses."""
    query = scoped(_query(session), scope)
    if statuses:
        query = query.where(col(EvidenceCheck.status).in_(list(statuses)))
    rows = session.execute(query.order_by(col(EvidenceCheck.item_id)))
    return [_result(row) for row in rows]


def result_for(session: Session, item_id: int) -> EvidenceResult | None:
    """One item's stored result (None when it was never checked)."""
    row = session.execute(_query(session).where(col(EvidenceCheck.item_id) == item_id)).first()
    return None if row is None else _result(row)


def results_for(session: Session, item_ids: Sequence[int]) -> dict[int, EvidenceResult]:
    """Several items' stored results, by item id."""
    found: dict[int, EvidenceResult] = {}
    ids = list(item_ids)
    for begin in range(0, len(ids), 500):
        chunk = ids[begin : begin + 500]
        query = _query(session).where(col(EvidenceCheck.item_id).in_(chunk))
        for row in session.execute(query):
            result = _result(row)
            found[result.item_id] = result
    return found
