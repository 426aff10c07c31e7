"""Each source's metadata as it was at every recorded change, and at a publication.

Every new or changed source writes a ``source_add`` / ``source_change`` event (hash-chained,
with the metadata before and after) and a ``source_version`` row repeating the ``after``
(append-only). Reports of a publication read the version in force at its publish event,
so changing a source later, or rewriting its row behind the application's back, does not
change what a published value is said to rest on. ``audit verify`` checks that the rows
agree with the events (verifier.core.sources.audit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from db.models import Item, ReviewEvent, Source, SourceVersion

# What a source says about its document: what an event records and a version repeats.
# ``file_path`` is the document's file name; sources recorded before the workspace stored
# documents kept the absolute path it was read from, and their events and versions still do.
METADATA = (
    "title", "publisher", "language", "url", "file_path", "file_sha256", "published_on",
    "retrieved_on", "origin",
)  # fmt: skip
SOURCE_ACTIONS = ("source_add", "source_change")
IN_LIMIT = 900


def metadata(record: Source | SourceVersion) -> dict[str, Any]:
    """The metadata of a source row or a version, as an event stores it (dates as text)."""
    values = {name: getattr(record, name) for name in METADATA}
    for name in ("published_on", "retrieved_on"):
        values[name] = values[name].isoformat() if isinstance(values[name], date) else None
    return values


def record_version(session: Session, source: Source, event: ReviewEvent, actor: str) -> None:
    """Append the source's current metadata as its next version, tied to ``event``."""
    assert source.id is not None
    last = session.exec(
        select(SourceVersion.version)
        .where(SourceVersion.source_id == source.id)
        .order_by(col(SourceVersion.version).desc())
        .limit(1)
    ).first()
    session.add(
        SourceVersion(
            source_id=source.id,
            version=(last or 0) + 1,
            key=source.key,
            **{name: getattr(source, name) for name in METADATA},
            event_id=event.id,
            recorded_by=actor,
        )
    )
    session.flush()


@dataclass(frozen=True)
class SourceState:
    """A version with the position of its event in the log (0 when it has none)."""

    version: SourceVersion
    seq: int


def versions_by_source(session: Session, source_ids: Iterable[int]) -> dict[int, list[SourceState]]:
    """Every version of the given sources, oldest first, with its event's position."""
    found: dict[int, list[SourceState]] = defaultdict(list)
    for chunk in _chunks(source_ids):
        rows = session.execute(
            sa_select(SourceVersion, col(ReviewEvent.seq))
            .join(ReviewEvent, col(ReviewEvent.id) == col(SourceVersion.event_id), isouter=True)
            .where(col(SourceVersion.source_id).in_(chunk))
            .order_by(col(SourceVersion.source_id), col(SourceVersion.version))
        ).all()
        for version, seq in rows:
            found[version.source_id].append(SourceState(version, seq or 0))
    return found


def version_at(states: list[SourceState], seq: int) -> SourceState | None:
    """The version in force at log position ``seq``: the last one recorded at or before it.

    A version whose event is not linked yet (PostgreSQL links at commit) is after every
    published position. None when the source has no version that old.
    """
    in_force = [s for s in states if s.seq <= seq and (s.seq or s.version.event_id is None)]
    return in_force[-1] if in_force else None


def sources_as_of(session: Session, sources: dict[int, Source], seq: int) -> dict[int, Source]:
    """The given sources (by id) as they were at log position ``seq``.

    Each is a detached ``Source`` carrying the version's metadata, so every report renders
    it like a current one. A source with no version that old is returned as it is now.
    """
    history = versions_by_source(session, sources)
    result: dict[int, Source] = {}
    for source_id, current in sources.items():
        state = version_at(history.get(source_id, []), seq)
        result[source_id] = current if state is None else as_source(state.version, current)
    return result


def as_source(version: SourceVersion, current: Source) -> Source:
    return Source(
        id=version.source_id,
        key=version.key,
        **{name: getattr(version, name) for name in METADATA},
        created_at=current.created_at,
    )


@dataclass(frozen=True)
class PublishedSource:
    """A source cited by a publication: as it was then, and whether it changed since."""

    then: Source
    version: int | None
    now: Source
    changed_since: tuple[str, ...]


def compare_with_now(then: Source, version: int | None, now: Source) -> PublishedSource:
    before, after = metadata(then), metadata(now)
    changed = tuple(name for name in METADATA if before[name] != after[name])
    if then.key != now.key:
        changed = ("key", *changed)
    return PublishedSource(then, version, now, changed)


def cited_sources(session: Session, item_ids: Iterable[int], seq: int) -> list[PublishedSource]:
    """The sources of the given items (a publication's evidence) as they were at log
    position ``seq`` (its publish event), each with what changed since; by key."""
    source_ids = {
        source_id
        for chunk in _chunks(item_ids)
        for source_id in session.exec(select(Item.source_id).where(col(Item.id).in_(chunk)))
    }
    current = {
        source.id: source
        for chunk in _chunks(source_ids)
        for source in session.exec(select(Source).where(col(Source.id).in_(chunk)))
        if source.id is not None
    }
    history = versions_by_source(session, current)
    found = []
    for source_id, now in current.items():
        state = version_at(history.get(source_id, []), seq)
        then = now if state is None else as_source(state.version, now)
        found.append(compare_with_now(then, state.version.version if state else None, now))
    return sorted(found, key=lambda cited: cited.then.key)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), IN_LIMIT):
        yield ordered[start : start + IN_LIMIT]


def source_history(session: Session, key: str) -> list[SourceState]:
    """Every recorded version of the source ``key``, oldest first; NotFoundError if none."""
    from verifier.core.errors import NotFoundError

    source = session.exec(select(Source).where(Source.key == key)).first()
    if source is None or source.id is None:
        raise NotFoundError(f"no source {key!r} (see `verifier source list`)")
    return versions_by_source(session, [source.id]).get(source.id, [])


def changed_fields(before: SourceVersion | None, after: SourceVersion) -> tuple[str, ...]:
    """The metadata fields ``after`` changed relative to ``before`` (all, for a first one)."""
    if before is None:
        return ()
    old, new = metadata(before), metadata(after)
    return tuple(name for name in METADATA if old[name] != new[name])
