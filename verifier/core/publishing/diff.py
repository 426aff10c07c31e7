"""What changed between two publications: values added, removed and changed, with the
items behind each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from verifier.core.publishing.snapshot import load_snapshot, load_verified_snapshot


@dataclass(frozen=True)
class ValueChange:
    city: str
    indicator: str
    kind: str  # "added", "removed" or "changed"
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def describe(self) -> str:
        def one(v: dict[str, Any] | None) -> str:
            if v is None:
                return "—"
            items = ", ".join(str(i) for i in v["evidence"])
            return f"{v['value']:g} {v['unit']} ({v['year']}; items {items})".replace("  ", " ")

        return (
            f"{self.kind:<8} {self.city} · {self.indicator}: {one(self.before)} → {one(self.after)}"
        )


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[ValueChange]:
    before = {(v["city"], v["indicator"]): v for v in old["values"]}
    after = {(v["city"], v["indicator"]): v for v in new["values"]}
    changes: list[ValueChange] = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        if a is None:
            changes.append(ValueChange(*key, "added", None, b))
        elif b is None:
            changes.append(ValueChange(*key, "removed", a, None))
        elif (a["value"], a["year"], a["evidence"]) != (b["value"], b["year"], b["evidence"]):
            changes.append(ValueChange(*key, "changed", a, b))
    return changes


def diff_publications(session: Session, old_id: int, new_id: int) -> list[ValueChange]:
    return diff_documents(load_snapshot(session, old_id), load_snapshot(session, new_id))


def diff_checked(session: Session, old_id: int, new_id: int) -> tuple[list[ValueChange], list[int]]:
    """The diff of the two hashed documents, and which of the two no longer verify (the
    diff then compares altered content, and must say so)."""
    old, old_ok = load_verified_snapshot(session, old_id)
    new, new_ok = load_verified_snapshot(session, new_id)
    altered = [i for i, ok in ((old_id, old_ok), (new_id, new_ok)) if not ok]
    return diff_documents(old, new), altered
