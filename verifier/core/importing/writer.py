"""Writing validated rows inside the import's transaction, chunk by chunk, so the database
works while later rows are still being validated."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from db.bulk import bulk_insert
from db.models import Item, RejectedRow, Status, table_of
from db.types import utcnow
from verifier.core.importing.rawrows import cell_text

if TYPE_CHECKING:
    from verifier.core.cities.automatic import ImportMatcher

CHUNK = 5_000
_SURROGATE = re.compile("[\ud800-\udfff]")
IN_LIMIT = 900  # SQLite's bound-parameter limit is 999 on old builds


@dataclass
class BatchWriter:
    session: Session
    edition_id: int
    batch_id: int
    accepted: int = 0
    missing_values: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    matcher: ImportMatcher | None = None  # matches city labels as rows are written
    _pending: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    _seen: dict[str, int] = field(default_factory=dict)

    def accept(self, values: dict[str, Any], raw: dict[str, Any]) -> None:
        first = self._seen.get(values["fingerprint"])
        if first is not None:
            reason = (
                f"duplicate of row {first} of this file (same source, locator, indicator and city)"
            )
            self.refuse(values["row_number"], "duplicate", reason, raw)
            return
        self._seen[values["fingerprint"]] = values["row_number"]
        self._pending.append((values, raw))
        if len(self._pending) >= CHUNK:
            self.flush()

    def refuse(self, number: int, kind: str, reason: str, raw: dict[str, Any]) -> None:
        self.refused.append(
            {"row_number": number, "kind": kind, "reason": reason, "raw": _jsonable(raw)}
        )

    def flush(self) -> None:
        """Insert the pending rows, except facts another file already brought in."""
        if not self._pending:
            return
        existing = self._existing([values["fingerprint"] for values, _ in self._pending])
        now, unverified = utcnow(), Status.UNVERIFIED.value
        rows: list[dict[str, Any]] = []
        for values, raw in self._pending:
            earlier = existing.get(values["fingerprint"])
            if earlier is not None:
                item_id, batch_id, row_number = earlier
                reason = f"already imported as item {item_id} (batch {batch_id}, row {row_number})"
                self.refuse(values["row_number"], "duplicate", reason, raw)
                continue
            rows.append(
                {
                    **values,
                    "edition_id": self.edition_id,
                    "batch_id": self.batch_id,
                    "status": unverified,
                    "created_at": now,
                    "version": 1,
                }
            )
            self.missing_values += values["value_number"] is None
        if self.matcher is not None and rows:
            self.matcher.annotate(rows)
        bulk_insert(self.session.connection(), table_of(Item), rows)
        self.accepted += len(rows)
        self._pending.clear()

    def finish(self) -> None:
        self.flush()
        self.refused.sort(key=lambda r: r["row_number"])
        if self.refused:
            rows = [{"batch_id": self.batch_id, **r} for r in self.refused]
            bulk_insert(self.session.connection(), table_of(RejectedRow), rows)

    def _existing(self, fingerprints: list[str]) -> dict[str, tuple[int, int, int]]:
        found: dict[str, tuple[int, int, int]] = {}
        for start in range(0, len(fingerprints), IN_LIMIT):
            query = select(Item.fingerprint, Item.id, Item.batch_id, Item.row_number).where(
                Item.edition_id == self.edition_id,
                col(Item.fingerprint).in_(fingerprints[start : start + IN_LIMIT]),
            )
            for fingerprint, item_id, batch_id, row_number in self.session.exec(query):
                assert item_id is not None
                found[fingerprint] = (item_id, batch_id, row_number)
        return found


def _jsonable(raw: dict[str, Any]) -> dict[str, Any]:
    """The refused row as JSON the database can store, whatever the file held."""
    return {_storable_text(str(k)): _storable(v) for k, v in raw.items()}


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        return _storable_text(value)
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return _jsonable(value)
    if isinstance(value, bool | int | float | type(None)):
        return value
    return cell_text(value)


def _storable_text(text: str) -> str:
    # A lone surrogate (from a JSON escape) cannot be encoded: keep it as its escape.
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
