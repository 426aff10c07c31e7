"""Registering source documents by hand (``verifier source add``), beside those an edition
folder lists. Leads only; every new or changed source is an event of the workspace that
keeps the metadata it had before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from db.models import Role, Source, SourceOrigin
from verifier.core.errors import InvalidActionError
from verifier.core.eventlog.append import record_event
from verifier.core.evidence.extraction import Limits
from verifier.core.evidence.store import store_document
from verifier.core.people.roles import require_role
from verifier.core.sources.history import metadata, record_version

__all__ = ["SourceFields", "metadata", "record_source_change", "upsert_source"]


@dataclass
class SourceFields:
    key: str
    title: str
    publisher: str = ""
    language: str = ""
    url: str = ""
    file: Path | None = None
    published_on: date | None = None
    retrieved_on: date | None = None


def record_source_change(
    session: Session, actor: str, source: Source, before: dict[str, Any] | None
) -> bool:
    """An event for a new source or a changed one (with the metadata before), and the new
    version in the source's history; nothing when nothing changed. Returns whether an event
    was written."""
    after = metadata(source)
    if before == after:
        return False
    changed = sorted(k for k in after if before is None or before.get(k) != after[k])
    event = record_event(
        session,
        edition_id=None,
        actor=actor,
        action="source_add" if before is None else "source_change",
        payload={"source": source.key, "changed": changed, "before": before, "after": after},
    )
    record_version(session, source, event, actor)
    return True


def upsert_source(
    session: Session, fields: SourceFields, actor: str, limits: Limits | None = None
) -> tuple[Source, bool]:
    """Add or update a source. A ``file`` is stored in the workspace (see
    ``verifier.core.evidence.store``) within ``limits``."""
    require_role(session, actor, Role.LEAD, "adding or changing a source")
    if not fields.key.strip() or not fields.title.strip():
        raise InvalidActionError("a source needs a key and a title")
    source = session.exec(select(Source).where(Source.key == fields.key)).first()
    created = source is None
    before = None if source is None else metadata(source)
    if source is None:
        source = Source(key=fields.key, title=fields.title, origin=SourceOrigin.CURATED)
    source.title, source.publisher = fields.title, fields.publisher
    source.language, source.url = fields.language.lower(), fields.url
    source.published_on, source.retrieved_on = fields.published_on, fields.retrieved_on
    if fields.file is not None:
        document = store_document(session, fields.file, actor, limits)
        source.file_path = fields.file.name  # its name, not where it was (as edition load)
        source.file_sha256 = document.sha256
    session.add(source)
    session.flush()
    record_source_change(session, actor, source, before)
    return source, created
