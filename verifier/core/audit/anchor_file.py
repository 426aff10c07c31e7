"""Anchors kept outside the workspace: a file (or a directory of files) of chain heads.

A hash chain stored next to the data cannot show that its newest events were cut off or
rewritten: only a head recorded elsewhere can. ``publish`` and ``verifier audit anchor``
append the head to the configured anchor file; ``verifier audit verify`` reads it back.

One line per anchor, tab-separated, the head first::

    1234:9f86d081…<TAB>2026-09-14T07:22:05Z<TAB>log=3b5d…<TAB>publish las2024 #3 (id 3)

``log`` is the hash of the log's first event: it tells one workspace's anchors from
another's when several share a file. A directory holds one file per log,
``verifier-<log>.anchors``. Blank lines and lines starting with ``#`` are ignored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import ReviewEvent
from verifier.core.audit.findings import Anchor, parse_anchor
from verifier.core.errors import InvalidActionError, VerifierError
from verifier.core.eventlog.chain import ChainHead, read_head
from verifier.core.text import one_line

LOG_ID_LENGTH = 16  # hex digits of the first event's hash that name a log


@dataclass
class AnchorFile:
    """What an anchor file holds for one log."""

    path: Path
    anchors: list[Anchor] = field(default_factory=list)
    other_logs: int = 0  # anchors of other workspaces' logs in the same file
    malformed: list[str] = field(default_factory=list)  # "line N: reason"

    @property
    def newest(self) -> Anchor | None:
        return max(self.anchors, key=lambda a: a.seq) if self.anchors else None


def log_id(session: Session) -> str | None:
    """The first event's hash, shortened: the name of this workspace's log (None if empty)."""
    digest = (
        session.connection()
        .execute(sa_select(col(ReviewEvent.hash)).where(col(ReviewEvent.seq) == 1))
        .scalar()
    )
    return str(digest)[:LOG_ID_LENGTH] if digest else None


def anchor_path(configured: Path, log: str) -> Path:
    """The file anchors of ``log`` go to: the configured file, or its file in a directory."""
    return configured / f"verifier-{log}.anchors" if configured.is_dir() else configured


def check_anchor_target(configured: Path) -> None:
    """Refuse, before anything is written, an anchor setting that cannot be appended to."""
    folder = configured if configured.is_dir() else configured.parent
    if configured.exists() and not (configured.is_dir() or configured.is_file()):
        raise InvalidActionError(f"anchor file {configured} is neither a file nor a directory")
    if not folder.is_dir():
        raise InvalidActionError(
            f"anchor file {configured}: its directory {folder} does not exist (create it, or "
            "change the `anchor` setting)"
        )
    if not os.access(folder if not configured.is_file() else configured, os.W_OK):
        raise InvalidActionError(f"anchor file {configured}: not writable")


def record_anchor(session: Session, configured: Path, what: str, when: datetime) -> Path:
    """Append the log's current head to the anchor file; return the file written."""
    head = read_head(session)
    log = log_id(session)
    if log is None or head.seq == 0:
        raise InvalidActionError("the review log is empty: there is no head to anchor yet")
    target = anchor_path(configured, log)
    line = _line(head, log, what, when)
    try:
        with target.open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise VerifierError(
            f"could not append the anchor to {target}: {error.strerror or error}"
        ) from error
    return target


def read_anchor_file(session: Session, configured: Path) -> AnchorFile:
    """This log's anchors in the configured file or directory (missing: none yet)."""
    log = log_id(session)
    target = anchor_path(configured, log or "none")
    found = AnchorFile(target)
    if not target.exists():
        return found
    if not target.is_file():
        found.malformed.append(f"{target} is not a regular file")
        return found
    try:
        text = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        found.malformed.append(f"{target} cannot be read: {error}")
        return found
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        marks = dict(f.split("=", 1) for f in fields[1:] if f.startswith("log="))
        try:
            anchor = parse_anchor(fields[0])
        except InvalidActionError as error:
            found.malformed.append(f"line {number}: {one_line(str(error))[:200]}")
            continue
        if marks.get("log", log) != log:
            found.other_logs += 1
            continue
        found.anchors.append(anchor)
    return found


def _line(head: ChainHead, log: str, what: str, when: datetime) -> str:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{head.seq}:{head.hash}\t{stamp}\tlog={log}\t{one_line(what)}\n"
