"""Words and formats shared by every rendering: UTC timestamps, numbers, event details."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from verifier.core.provenance.model import CityMatch, ConflictOutcome, EvidenceFacts
from verifier.core.wording import agree, percent

STATUS_ACTIONS = frozenset({"status", "undo"})


def utc(moment: datetime | None) -> str:
    """ISO 8601 in UTC with ``Z``, to the second; empty for no time."""
    if moment is None:
        return ""
    if moment.tzinfo is None:  # stored values are UTC; never guess another zone
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def number(value: float | None) -> str:
    """A value as people read it: no float noise, no exponent for ordinary magnitudes."""
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def with_unit(value: float | None, unit: str) -> str:
    shown = number(value)
    return f"{shown} {unit}".strip() if shown else ""


def status_change(old: str | None, new: str | None) -> str:
    if old == new or not new:
        return ""
    return f"{old or '—'} → {new}"


def event_detail(action: str, payload: dict[str, Any]) -> str:
    """What an event's payload says, in words (the part a reader cares about)."""
    if action == "match":
        old, new = payload.get("old_city") or "none", payload.get("new_city") or "none"
        words = f"city {old} → {new}"
        if payload.get("method"):
            words += f" ({payload['method']})"
        if payload.get("bulk"):
            words += ", for every item with this label"
        return words
    if action == "undo":
        words = f"undoes event id {payload.get('undoes')}"
        if payload.get("new_city") is not None or payload.get("old_city") is not None:
            words += f"; city {payload.get('old_city') or 'none'} → "
            words += f"{payload.get('new_city') or 'none'}"
        return words
    if action == "resolve_conflict":
        ids = payload.get("other_items", [])
        others = ", ".join(str(i) for i in ids)
        return f"chose this item's value over {agree(len(ids), 'item')} {others}" if ids else ""
    return ""


def source_file_words(state: str, sha_now: str) -> str:
    return {
        "none": "no local copy recorded",
        "ok": "present, sha256 matches",
        "stored": "stored in the workspace (the document is kept there; the file is not needed)",
        "missing": "MISSING: the file is no longer there",
        "changed": f"CHANGED: its sha256 is now {sha_now}",
        "unreadable": "UNREADABLE: the file cannot be read",
    }.get(state, state)


def match_facts(
    match: CityMatch,
    text: Callable[[str], str] = str,
    moment: Callable[[datetime | None], str] = utc,
) -> list[str]:
    """The city match's score, band, method and who confirmed it, in words (those without a
    value left out). ``text`` makes an untrusted piece safe for the format being written,
    ``moment`` writes a time."""
    facts = [
        f"score {number(match.score)}" if match.score is not None else "",
        f"band {text(match.band)}" if match.band else "",
        f"method {text(match.method)}" if match.method else "not confirmed",
    ]
    if match.automatic:
        facts.append("matched automatically at import")
    elif match.confirmed_by:
        facts.append(f"confirmed by {text(match.confirmed_by)} at {moment(match.confirmed_at)}")
    return [fact for fact in facts if fact]


def resolution_words(
    conflict: ConflictOutcome,
    text: Callable[[str], str] = str,
    moment: Callable[[datetime | None], str] = utc,
) -> str:
    """Who resolved the conflict, when, choosing which item and why, and the items that lost
    (``text`` and ``moment`` as for ``match_facts``)."""
    losers = "; ".join(
        f"item {loser.id} ({text(loser.value_text)}, {text(loser.source_title)})"
        for loser in conflict.losers
    )
    words = (
        f"{text(conflict.resolved_by or '')} chose item {conflict.chosen_item_id} at "
        f"{moment(conflict.resolved_at)}, because: {text(conflict.reason)}."
    )
    return words + (f" Lost: {losers}." if losers else "")


def evidence_words(facts: EvidenceFacts) -> str:
    """The evidence check's result in one sentence (plain text: escape it). A stale or
    absent result says so first, in capitals, and never reads as current."""
    if facts.state == "absent":
        document = (
            f" (its document {facts.document_sha256} is stored)" if facts.document_sha256 else ""
        )
        return f"NOT CHECKED: {facts.why}{document}"
    found = f"{facts.status}"
    if facts.page is not None:
        found += f", page {facts.page}"
    if facts.found_value is not None:
        found += f", the document prints {number(facts.found_value)}"
    if facts.score is not None:
        found += f", score {number(facts.score)}"
    against = f"document {facts.sha256}" if facts.sha256 else "no stored document"
    if facts.state == "stale":
        return f"STALE: {facts.why}; the stored result ({found}) was computed against {against}"
    return f"{found}; checked against {against}"


def qa_words(qa: dict[str, Any]) -> str:
    """The QA figures a publication recorded, in one sentence (plain text: escape it)."""

    def share(value: Any) -> str:
        return percent(value if isinstance(value, int | float) else None)

    low, high = (qa.get("error_ci") or [0.0, 1.0])[:2]
    kappa = qa.get("kappa")
    samples = ", ".join(str(s) for s in qa.get("samples") or []) or "none"
    words = (
        f"error rate {share(qa.get('error_rate'))} ({qa.get('errors')} of "
        f"{qa.get('verified_reviewed')} first-verified items reviewed), 95% interval "
        f"{share(low)} to {share(high)}; agreement {share(qa.get('agreement'))}, kappa "
        f"{'undefined' if kappa is None else format(kappa, '.3f')}; {qa.get('reviewed')} of "
        f"{qa.get('size')} drawn items reviewed (samples {samples}); {qa.get('items_covered')} "
        f"of {qa.get('items')} published items covered by a sample"
    )
    if qa.get("max_error_rate") is not None:
        words += f"; gate: at most {share(qa['max_error_rate'])} ({qa.get('max_error_rate_from')})"
    return words
