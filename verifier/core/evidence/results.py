"""Running the evidence check over items and keeping its results in the workspace.

A result is stored with the sha256 of the document it was computed against and the
check's ``METHOD``. It is *stale* when the item's source now names another document (or
none, or a document that was stored since) or when the check changed; stale and missing
results are what :func:`run_check` computes. It reads and computes first, then writes the
results in one short transaction, so an import or a colleague is not held up.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, insert
from sqlalchemy import func as sql_func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from db.models import Document, EvidenceCheck, Indicator, Item, Source, table_of
from db.types import utcnow
from verifier.core.evidence.check import ItemToCheck, Outcome, check_item
from verifier.core.evidence.method import METHOD
from verifier.core.evidence.scope import Scope, scoped, stale_condition
from verifier.core.evidence.search import DocumentText, load_text
from verifier.core.units import UnitTable
from verifier.core.wording import count
from verifier.core.workspace import Workspace

_WRITE_CHUNK = 500


@dataclass
class CheckRun:
    """What a run did: how many items it checked and their statuses."""

    checked: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        """``2,706 items checked: 2,610 match, 45 value_differs, ...`` (in precedence order)."""
        from db.models import EvidenceStatus

        if not self.checked:
            return "evidence check: every result is up to date."
        parts = [f"{self.counts[s]:,} {s}" for s in EvidenceStatus if self.counts[s]]
        return f"evidence check: {count(self.checked, 'item')} checked: {', '.join(parts)}."


def _joined(query: Any) -> Any:
    return (
        query.join(Source, col(Source.id) == col(Item.source_id))
        .outerjoin(Document, col(Document.sha256) == col(Source.file_sha256))
        .outerjoin(EvidenceCheck, col(EvidenceCheck.item_id) == col(Item.id))
    )


def _items_to_check(session: Session, scope: Scope, force: bool) -> list[tuple[Any, ...]]:
    columns = (
        Item.id, Item.snippet, Item.locator, Item.value_text, Item.value_number,
        Item.value_normalized, Item.year, Item.language, Item.indicator_id, Source.language,
        Document.sha256,
    )  # fmt: skip
    query = sa_select(*(col(c) for c in columns))
    query = scoped(_joined(query), scope)
    if not force:
        query = query.where(stale_condition())
    return [tuple(row) for row in session.execute(query.order_by(col(Item.id))).all()]


def _unit_tables(session: Session) -> dict[int, UnitTable]:
    return {
        row.id: UnitTable.build(row.unit, row.unit_aliases)
        for row in session.exec(select(Indicator))
        if row.id is not None
    }


def compute(
    session: Session, scope: Scope, *, force: bool = False
) -> list[tuple[int, str | None, Outcome]]:
    """Check the scope's items whose result is missing or stale (all of them with
    ``force``): (item id, document sha256, outcome), nothing written."""
    rows = _items_to_check(session, scope, force)
    units = _unit_tables(session) if rows else {}
    texts: dict[str, DocumentText] = {}
    results: list[tuple[int, str | None, Outcome]] = []
    for (item_id, snippet, locator, value_text, number, normalized, year, item_language,
         indicator_id, source_language, sha256) in rows:  # fmt: skip
        text = None
        if sha256 is not None:
            text = texts.get(sha256)
            if text is None:
                text = texts[sha256] = load_text(session, sha256)
        language = (source_language or item_language or "").lower()
        item = ItemToCheck(
            item_id=item_id, snippet=snippet, locator=locator, value_text=value_text,
            value_number=number, value_normalized=normalized, year=year,
            decimal_comma=language.startswith("fr"), units=units.get(indicator_id),
        )  # fmt: skip
        results.append((item_id, sha256, check_item(item, text)))
    return results


def store(session: Session, results: Sequence[tuple[int, str | None, Outcome]], actor: str) -> None:
    """Replace the stored results of these items."""
    table = table_of(EvidenceCheck)
    now = utcnow()
    for begin in range(0, len(results), _WRITE_CHUNK):
        chunk = results[begin : begin + _WRITE_CHUNK]
        ids = [item_id for item_id, _, _ in chunk]
        session.execute(delete(table).where(table.c.item_id.in_(ids)))
        session.execute(
            insert(table),
            [
                {
                    "item_id": item_id, "sha256": sha256, "status": outcome.status.value,
                    "page": outcome.page, "found_value": outcome.found_value,
                    "found_text": outcome.found_text, "score": outcome.score,
                    "quote_start": outcome.quote_start, "quote_end": outcome.quote_end,
                    "value_start": outcome.value_start, "value_end": outcome.value_end,
                    "place": outcome.place, "hint": outcome.hint, "method": METHOD,
                    "checked_by": actor, "checked_at": now,
                }
                for item_id, sha256, outcome in chunk
            ],
        )  # fmt: skip


def run_check(
    workspace: Workspace,
    scope: Scope,
    actor: str,
    *,
    force: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> CheckRun:
    """Check the scope's items whose result is missing or stale and store the results."""
    started = time.perf_counter()
    with workspace.reading() as session:
        results = compute(session, scope, force=force)
    run = CheckRun(checked=len(results))
    run.counts.update(outcome.status.value for _, _, outcome in results)
    if results:
        with workspace.session() as session:
            store(session, results, actor)
    if on_progress is not None:
        on_progress(len(results), len(results))
    run.seconds = time.perf_counter() - started
    return run


def check_in_session(session: Session, scope: Scope, actor: str) -> CheckRun:
    """Check and store within the caller's transaction (after storing a new document)."""
    results = compute(session, scope)
    store(session, results, actor)
    run = CheckRun(checked=len(results))
    run.counts.update(outcome.status.value for _, _, outcome in results)
    return run


def sources_naming(session: Session, sha256s: Iterable[str]) -> list[str]:
    """Keys of the sources whose document is one of ``sha256s``."""
    wanted = [s for s in sha256s if s]
    if not wanted:
        return []
    return list(session.exec(select(Source.key).where(col(Source.file_sha256).in_(wanted))).all())


def stale_count(session: Session, edition_id: int) -> int:
    """How many of the edition's items have no up-to-date result."""
    query = _joined(select(sql_func.count()).select_from(Item))
    query = query.where(and_(col(Item.edition_id) == edition_id, stale_condition()))
    return int(session.exec(query).one())
