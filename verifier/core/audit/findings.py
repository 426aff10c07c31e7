"""What an audit found: findings, anchors kept outside the workspace, and the result."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from verifier.core.errors import InvalidActionError
from verifier.core.eventlog.hashing import GENESIS


@dataclass(frozen=True)
class Finding:
    """One way the log or a record pointing into it is not as it was written."""

    # altered, missing, inserted, unlinked, unchained, guard, publication, published_rows,
    # resolution, source, item_row, imported, batch, derived, anchor
    kind: str
    message: str
    seq: int | None = None
    event_id: int | None = None
    item_id: int | None = None  # the item it names, if one
    batch_id: int | None = None  # the import batch it names, if one


QUOTED = 60  # characters of a differing value quoted in a finding


def differences(recorded: dict[str, Any], found: dict[str, Any], names: Iterable[str]) -> str:
    """``title 'A', recorded 'B'; …`` for each of ``names`` that differs."""
    return "; ".join(
        f"{name} {_quote(found.get(name))}, recorded {_quote(recorded.get(name))}"
        for name in names
        if recorded.get(name) != found.get(name)
    )


def _quote(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= QUOTED else text[: QUOTED - 1] + "…"


@dataclass(frozen=True)
class Anchor:
    """A chain position and hash kept outside the workspace (printed by an earlier check)."""

    seq: int
    hash: str


@dataclass
class AuditResult:
    events: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    publications: int = 0
    resolutions: int = 0
    sources: int = 0
    items: int = 0
    items_status_only: int = 0  # items whose value no event records (older events)
    items_without_digest: int = 0  # items imported before import digests, not sealed
    batches: int = 0
    rejected_rows: int = 0  # covered by a digest in the log
    batches_unsealed: int = 0  # batches whose rejected rows no digest covers
    findings: list[Finding] = field(default_factory=list)
    # Anchors checked (given and read from the anchor file), where the file is, and the
    # newest position something outside the chain vouches for (an anchor, or a publication
    # whose publish event the audit requires): events after it are covered by nothing.
    anchors: int = 0
    anchor_file: str | None = None
    anchor_file_other_logs: int = 0
    newest_anchor: int = 0
    covered_seq: int = 0

    @property
    def uncovered(self) -> int:
        """How many of the newest events no anchor covers."""
        return max(0, self.head_seq - self.covered_seq)

    @property
    def intact(self) -> bool:
        return not self.findings

    @property
    def first_break(self) -> Finding | None:
        return self.findings[0] if self.findings else None


def parse_anchor(text: str) -> Anchor:
    """``SEQ:HASH`` as ``verifier audit verify`` prints the head."""
    seq, _, digest = text.strip().partition(":")
    digest = digest.strip().lower()
    if not seq.strip().isdigit() or len(digest) != 64 or not _is_hex(digest):
        raise InvalidActionError(f"anchor '{text}' is not SEQ:SHA256 (e.g. 1234:9f86d0…)")
    return Anchor(int(seq), digest)


def _is_hex(text: str) -> bool:
    return all(ch in "0123456789abcdef" for ch in text)
