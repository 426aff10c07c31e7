"""Sources against their history and the log: each source row must say what its last
recorded version says, and each version what its hash-chained event says.

The event (``source_add`` / ``source_change``, with the metadata after the change) is the
reference: the chain walk has already checked it. A version row that differs from its
event, an event with no version, a version with no event (beyond a source's first, which
may predate logged changes) and a source row that differs from its last version are each
a finding. Rewriting a source's row directly, or its history, is therefore detected.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import ReviewEvent, Source, SourceVersion
from verifier.core.audit.findings import Finding, differences
from verifier.core.sources.history import METADATA, SOURCE_ACTIONS, metadata


def check_sources(session: Session, findings: list[Finding]) -> int:
    """Append a finding for each disagreement; returns the number of sources checked."""
    events = {
        e.id: e
        for (e,) in session.execute(
            sa_select(ReviewEvent).where(col(ReviewEvent.action).in_(SOURCE_ACTIONS))
        )
        if e.id is not None
    }
    versions: dict[int, list[SourceVersion]] = {}
    for (version,) in session.execute(
        sa_select(SourceVersion).order_by(col(SourceVersion.source_id), col(SourceVersion.version))
    ):
        versions.setdefault(version.source_id, []).append(version)
    sources = [s for (s,) in session.execute(sa_select(Source).order_by(col(Source.id)))]
    cited: set[int] = set()
    for source in sources:
        history = versions.get(source.id or 0, [])
        label = f"source {source.key!r}"
        if not history:
            findings.append(
                Finding(
                    "source",
                    f"{label} has no recorded history: it was added behind the application's "
                    "back, or its history was deleted",
                )
            )
            continue
        for version in history:
            _check_version(label, version, events.get(version.event_id or 0), findings)
            if version.event_id is not None:
                cited.add(version.event_id)
        last = history[-1]
        differences = _differences(metadata(last), metadata(source))
        if differences:
            findings.append(
                Finding(
                    "source",
                    f"{label}: its row differs from its last recorded version "
                    f"{last.version} ({differences}): the row was changed behind the "
                    "application's back",
                )
            )
    for event_id, event in sorted(events.items()):
        if event_id not in cited:
            findings.append(
                Finding(
                    "source",
                    f"event #{event.seq} ({event.action} of source "
                    f"{str(event.payload.get('source'))!r}) has no version in the source's "
                    "history: the version was deleted",
                    event.seq,
                    event.id,
                )
            )
    return len(sources)


def _check_version(
    label: str, version: SourceVersion, event: ReviewEvent | None, findings: list[Finding]
) -> None:
    where = f"{label} version {version.version}"
    if version.event_id is None:
        if version.version != 1:
            findings.append(
                Finding(
                    "source",
                    f"{where} has no event in the log: only a source's first version may "
                    "predate logged changes; this one was inserted behind the application's "
                    "back",
                )
            )
        return
    if event is None:
        findings.append(
            Finding(
                "source",
                f"{where} points at event id {version.event_id}, which is not a source event "
                "in the log",
            )
        )
        return
    payload: dict[str, Any] = event.payload or {}
    after = payload.get("after")
    recorded = {name: after.get(name) for name in METADATA} if isinstance(after, dict) else {}
    differences = _differences(recorded, metadata(version))
    if payload.get("source") != version.key:
        differences = f"key {version.key!r}, the event says {payload.get('source')!r}; " + (
            differences
        )
    if differences:
        findings.append(
            Finding(
                "source",
                f"{where} differs from its event #{event.seq} ({differences.rstrip('; ')}): "
                "the history was rewritten",
                event.seq,
                event.id,
            )
        )


def _differences(recorded: dict[str, Any], found: dict[str, Any]) -> str:
    """``title 'A', recorded 'B'; …`` for each field that differs."""
    return differences(recorded, found, METADATA)
