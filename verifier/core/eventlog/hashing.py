"""The canonical content of a review event and its chained hash (scheme 1).

docs/provenance.md specifies this byte for byte, so that anyone can re-check the log
without this code. Migration 0003 uses it to backfill existing events: change nothing
here; a new scheme gets a new function and a new ``scheme`` number.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

SCHEME = 1
# The prev_hash of the first event of a workspace.
GENESIS = "0" * 64
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def hashed_timestamp(moment: datetime) -> str:
    """UTC, microseconds always written: ``2026-09-14T07:22:05.123456Z``."""
    if moment.tzinfo is None:
        raise ValueError("event timestamps must carry a zone")
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def canonical_event(
    *,
    seq: int,
    prev_hash: str,
    edition_id: int,
    item_id: int | None,
    actor: str,
    action: str,
    old_status: str | None,
    new_status: str | None,
    note: str,
    reason: str,
    payload: dict[str, Any],
    created_at: datetime,
) -> bytes:
    """The bytes an event's hash covers. The row id is left out: PostgreSQL assigns it at
    insert, after the hash is fixed; ``seq`` and ``prev_hash`` fix the order instead."""
    content = {
        "scheme": SCHEME,
        "seq": seq,
        "prev_hash": prev_hash,
        "edition_id": edition_id,
        "item_id": item_id,
        "actor": actor,
        "action": action,
        "old_status": old_status,
        "new_status": new_status,
        "note": note,
        "reason": reason,
        "payload": payload,
        "created_at": hashed_timestamp(created_at),
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def event_hash(**fields: Any) -> str:
    """Hex sha256 of :func:`canonical_event` (same keyword arguments)."""
    return hashlib.sha256(canonical_event(**fields)).hexdigest()


def stored_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """The payload as the database will give it back (JSON round trip: tuples become lists,
    keys become strings), so that the hash written equals the hash re-computed later."""
    if not payload:
        return {}
    plain: dict[str, Any] = json.loads(json.dumps(payload, ensure_ascii=False))
    return plain
