"""Registering source documents by hand (``verifier source add``), beside those an edition
folder lists."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from db.models import Source, SourceOrigin
from verifier.core.errors import InputFileError, InvalidActionError


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


def upsert_source(session: Session, fields: SourceFields) -> tuple[Source, bool]:
    if not fields.key.strip() or not fields.title.strip():
        raise InvalidActionError("a source needs a key and a title")
    source = session.exec(select(Source).where(Source.key == fields.key)).first()
    created = source is None
    if source is None:
        source = Source(key=fields.key, title=fields.title, origin=SourceOrigin.CURATED)
    source.title, source.publisher = fields.title, fields.publisher
    source.language, source.url = fields.language.lower(), fields.url
    source.published_on, source.retrieved_on = fields.published_on, fields.retrieved_on
    if fields.file is not None:
        try:
            data = fields.file.read_bytes()
        except OSError as error:
            raise InputFileError(f"{fields.file}: cannot read ({error.strerror})") from None
        source.file_path = str(fields.file.resolve())
        source.file_sha256 = hashlib.sha256(data).hexdigest()
    session.add(source)
    session.flush()
    return source, created
