"""What an import brought in and what the matching engine set, made tamper-evident.

The review log vouches for what people decided (``item_state.py``). What an import file
said, and the city the engine set on an item nobody decided on, are no event of their own,
so each item carries two digests, written with it:

- ``import_digest``: sha256 of its imported fields (``IMPORTED_FIELDS``, in that order);
- ``match_digest``: sha256 of that digest with the engine's verdict (``ENGINE_FIELDS``).

The batch's digest, sha256 of every item's two digests in item id order, is recorded in the
batch's ``import`` event, inside the hashed log; a lead's ``rematch`` records the new digest of
each batch whose cities it changed, and a lead's seal (``core.audit.seal``) the digest of each
batch imported before digests existed, as its items stood when sealed. ``check_imported``
then finds:

- every item whose imported fields no longer hash to its ``import_digest``;
- every item no person decided on (no ``status``, ``undo`` or ``match`` event) whose city and
  method no longer hash to its ``match_digest``;
- every batch whose items' digests no longer hash to what the log recorded: digests were
  rewritten along with the items, or items were added, moved or deleted.

Digests are 32 hex digits (128 bits of sha256). Items written before digests existed have
none until sealed: they are counted, not checked. All of it is one streamed pass over the items.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Select
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import Item, ReviewEvent
from verifier.core.eventlog.findings import NAMED, NamedFindings, stream_named
from verifier.core.eventlog.hashing import TIMESTAMP_FORMAT
from verifier.core.wording import agree, count

IMPORTED_FIELDS = (
    "row_number", "raw_label", "label_key", "label_script", "country", "indicator_id",
    "value_text", "value_number", "unit", "value_normalized", "year", "source_id", "locator",
    "snippet", "language", "source_url", "extractor", "extracted_at", "fingerprint",
)  # fmt: skip
ENGINE_FIELDS = ("suggested_city_id", "match_score", "match_band", "city_id", "match_method")
DIGEST_KEY = "items_sha256"  # in an import event's payload: the batch's digest
REMATCH_KEY = "batch_digests"  # in a rematch or seal event's payload: {batch id: digest}
DIGEST_ACTIONS = ("import", "rematch", "seal")
PERSON_ACTIONS = ("status", "undo", "match")  # an event by which a person decided on an item
DIGEST_LENGTH = 32
STREAM = 5_000


_IMPORTED = itemgetter(*IMPORTED_FIELDS)
_IMPORTED_FLOATS = tuple(
    IMPORTED_FIELDS.index(name) for name in ("value_number", "value_normalized")
)
_EXTRACTED_AT = IMPORTED_FIELDS.index("extracted_at")
_SCORE = ENGINE_FIELDS.index("match_score")


@lru_cache(maxsize=4_096)  # an import's rows share a few extraction times
def _timestamp(value: datetime) -> str:
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


# ``json.dumps`` with these options builds a new encoder on every call: one is kept.
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _sha(values: list[Any]) -> str:
    text = _ENCODE(values)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_LENGTH]


def import_digest(item: Mapping[str, Any]) -> str:
    """Numbers as floats (an integer-valued REAL reads back as a float), the extraction
    time as UTC with microseconds: the same digest from the import's values and the row's."""
    values = list(_IMPORTED(item))
    for index in _IMPORTED_FLOATS:
        if values[index] is not None:
            values[index] = float(values[index])
    if values[_EXTRACTED_AT] is not None:
        values[_EXTRACTED_AT] = _timestamp(values[_EXTRACTED_AT])
    return _sha(values)


def match_digest(item: Mapping[str, Any], imported: str | None) -> str:
    return match_digest_after(imported, engine_verdict_text(item))


def engine_verdict_text(item: Mapping[str, Any]) -> str:
    """What ``match_digest`` hashes after the import digest: the JSON list of the engine's
    fields without its opening bracket. Every item of one label shares it, so an import
    encodes it once per label."""
    values: list[Any] = [item.get(name) for name in ENGINE_FIELDS]
    if values[_SCORE] is not None:
        values[_SCORE] = float(values[_SCORE])
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)[1:]


def match_digest_after(imported: str | None, verdict_text: str) -> str:
    """``_sha([imported, *engine fields])``, the list's JSON put together from its parts."""
    # An import digest is hex, which JSON writes as it is: no encoder call per item.
    plain = imported is not None and imported.isascii() and imported.isalnum()
    head = f'"{imported}"' if plain else json.dumps(imported, ensure_ascii=False)
    text = f"[{head},{verdict_text}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_LENGTH]


DIGEST_COLUMNS = ("import_digest", "match_digest")


def add_digests(items: Iterable[dict[str, Any]]) -> None:
    """Give each item (a dict of item columns, engine match included) its two digests."""
    for item in items:
        imported = import_digest(item)
        item["import_digest"] = imported
        item["match_digest"] = match_digest(item, imported)


class BatchDigest:
    """The digest of a batch, fed its items' digests in item id order."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.items = 0
        self.without = 0  # items with no digest

    def add(self, imported: str | None, matched: str | None) -> None:
        self._hash.update(f"{imported or '-'} {matched or '-'}\n".encode("ascii"))
        self.items += 1
        self.without += imported is None

    def add_all(self, pairs: Iterable[tuple[str | None, str | None]]) -> None:
        """``add`` for each pair, hashed a chunk at a time (one update per chunk)."""
        chunks = iter(pairs)
        while chunk := list(itertools.islice(chunks, STREAM)):
            text = "".join([f"{imported or '-'} {matched or '-'}\n" for imported, matched in chunk])
            self._hash.update(text.encode("ascii"))
            self.items += len(chunk)
            self.without += sum(1 for imported, _ in chunk if imported is None)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def batch_digest(pairs: Iterable[tuple[str | None, str | None]]) -> str:
    """The digest of a batch from its items' (import digest, match digest), in id order."""
    digest = BatchDigest()
    digest.add_all(pairs)
    return digest.hexdigest()


@dataclass(frozen=True)
class ImportDisagreement:
    item_id: int | None  # None: the whole batch
    batch_id: int
    what: str  # "imported", "match", "batch" or "stripped" (a batch's digests all gone)
    seq: int | None = None  # the event recording the batch's digest
    detail: str = ""

    def describe(self) -> str:
        where = f"event #{self.seq}" if self.seq is not None else "its import event"
        if self.what == "imported":
            return (
                f"item {self.item_id} (batch {self.batch_id}): its imported fields (value, "
                "unit, year, label, source, locator, snippet…) no longer hash to the digest "
                "written at import"
            )
        if self.what == "match":
            return (
                f"item {self.item_id} (batch {self.batch_id}): its city or match method, "
                f"which no person decided, {self.detail} is not what the matching engine set"
            )
        if self.what == "stripped":
            return (
                f"import batch {self.batch_id}: {where} recorded its items' digest "
                f"({self.detail}): they were removed (a downgrade below migration 0012 does "
                "that too), so what was imported is no longer checked"
            )
        return (
            f"import batch {self.batch_id}: its items' digests no longer hash to the digest "
            f"{where} recorded ({self.detail}): digests were rewritten with the items, or items "
            "were added, moved or deleted"
        )


@dataclass
class ImportCheck(NamedFindings[ImportDisagreement]):
    """Items (and batches) found; ``items`` read, ``uncovered`` written before digests."""

    items: int = 0
    uncovered: int = 0


_COLUMNS = ("id", "batch_id", *IMPORTED_FIELDS, *ENGINE_FIELDS, "import_digest", "match_digest")


def check_imported(
    session: Session, edition_id: int | None = None, limit: int | None = NAMED
) -> ImportCheck:
    """Compare every item (of one edition, or all) with its digests, and every batch's
    digests with the log; name ``limit`` of what disagrees (None: all)."""
    check = ImportCheck(limit=limit)
    recorded = recorded_digests(session, edition_id)
    current: tuple[int, BatchDigest] | None = None
    for row in _stream(session, edition_id):
        check.items += 1
        if current is None or current[0] != row["batch_id"]:
            _close_batch(current, recorded, check)
            current = (row["batch_id"], BatchDigest())
        current[1].add(row["import_digest"], row["match_digest"])
        if row["import_digest"] is None:
            check.uncovered += 1
            continue
        imported = import_digest(row)
        if imported != row["import_digest"]:
            check.found(ImportDisagreement(row["id"], row["batch_id"], "imported"))
        elif not row["decided"] and match_digest(row, imported) != row["match_digest"]:
            shown = f"(city {json.dumps(row['city_id'])}, method {json.dumps(row['match_method'])})"
            check.found(ImportDisagreement(row["id"], row["batch_id"], "match", detail=shown))
    _close_batch(current, recorded, check)
    return check


def _close_batch(
    current: tuple[int, BatchDigest] | None,
    recorded: dict[int, tuple[str, int | None]],
    check: ImportCheck,
) -> None:
    if current is None or current[0] not in recorded:
        return  # a batch imported before digests were recorded
    expected, seq = recorded[current[0]]
    batch = current[1]
    if batch.hexdigest() != expected:
        if batch.without == batch.items:
            detail = f"{expected[:16]}…; none of its {count(batch.items, 'item')} has a digest now"
            what = "stripped"
        else:
            detail = f"{expected[:16]}…, the {count(batch.items, 'item')} now "
            detail += f"{agree(batch.items, 'hashes', 'hash')} to "
            detail += f"{batch.hexdigest()[:16]}…"
            what = "batch"
        check.found(ImportDisagreement(None, current[0], what, seq, detail))


def recorded_digests(session: Session, edition_id: int | None) -> dict[int, tuple[str, int | None]]:
    """Each batch's latest digest in the log (import, then any rematch), with its event."""
    query: Select[Any] = sa_select(
        col(ReviewEvent.action), col(ReviewEvent.payload), col(ReviewEvent.seq)
    ).where(col(ReviewEvent.action).in_(DIGEST_ACTIONS))
    if session.connection().dialect.name != "postgresql":
        query = query.where(col(ReviewEvent.seq).is_not(None))
    if edition_id is not None:
        query = query.where(col(ReviewEvent.edition_id) == edition_id)
    found: dict[int, tuple[str, int | None]] = {}
    for action, payload, seq in session.connection().execute(query.order_by(col(ReviewEvent.id))):
        if not isinstance(payload, dict):
            continue
        if action == "import" and isinstance(payload.get(DIGEST_KEY), str):
            if isinstance(payload.get("batch_id"), int):
                found[payload["batch_id"]] = (payload[DIGEST_KEY], seq)
        elif action in ("rematch", "seal") and isinstance(payload.get(REMATCH_KEY), dict):
            for batch, digest in payload[REMATCH_KEY].items():
                if str(batch).isdigit() and isinstance(digest, str):
                    found[int(batch)] = (digest, seq)
    return found


def _stream(session: Session, edition_id: int | None) -> Iterator[dict[str, Any]]:
    decided: Select[Any] = (
        sa_select(col(ReviewEvent.item_id).label("item_id"))
        .where(col(ReviewEvent.item_id).is_not(None))
        .where(col(ReviewEvent.action).in_(PERSON_ACTIONS))
    )
    if edition_id is not None:
        decided = decided.where(col(ReviewEvent.edition_id) == edition_id)
    people = decided.group_by(col(ReviewEvent.item_id)).subquery()
    columns: list[Any] = [col(getattr(Item, name)) for name in _COLUMNS]
    query = (
        sa_select(*columns, people.c.item_id)
        .select_from(Item)
        .outerjoin(people, people.c.item_id == col(Item.id))
        .order_by(col(Item.batch_id), col(Item.id))
    )
    if edition_id is not None:
        query = query.where(col(Item.edition_id) == edition_id)
    for row, (person_matched,) in stream_named(session, query, _COLUMNS, STREAM):
        row["decided"] = person_matched is not None
        yield row


def digests_of_batches(session: Session, batch_ids: Iterable[int]) -> dict[int, str]:
    """The digest of each batch as its items' stored digests now give it (after a rematch)."""
    found: dict[int, str] = {}
    for batch_id in sorted(set(batch_ids)):
        digest = BatchDigest()
        query = (
            sa_select(col(Item.import_digest), col(Item.match_digest))
            .where(col(Item.batch_id) == batch_id)
            .order_by(col(Item.id))
            .execution_options(stream_results=True, yield_per=STREAM)
        )
        for imported, matched in session.connection().execute(query):
            digest.add(imported, matched)
        found[batch_id] = digest.hexdigest()
    return found
