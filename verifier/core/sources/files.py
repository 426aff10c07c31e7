"""A source's document: is it stored in the workspace, or is its local copy there and still
the file that was recorded?

Once the workspace holds the document (by its sha256), the stored bytes are what counts: the
original path is no longer needed, so a local copy that is gone, changed or unreadable is
no problem then ("stored"). Sources recorded since then keep only the file's name, which
names the document and no local copy; older ones kept the absolute path they were read from."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from db.models import Source
from verifier.core.evidence.intake import DEFAULT_MAX_BYTES, DocumentError, sha256_of


@dataclass(frozen=True)
class SourceFacts:
    key: str
    title: str
    publisher: str
    language: str
    url: str
    file_path: str
    # "none" (no local copy), "ok" (the local copy is the recorded file), "stored" (the
    # workspace holds the document; the local copy is not needed), "missing", "changed"
    # (sha256 differs), "unreadable" (not a regular file, too large, or no permission)
    file_state: str
    recorded_sha256: str
    actual_sha256: str = ""
    stored: bool = False  # the workspace holds the document with the recorded sha256

    @property
    def file_problem(self) -> str | None:
        """A sentence for the reviewer when the local copy cannot be trusted, else None."""
        if self.file_state == "missing":
            return f"the source file {self.file_path} does not exist"
        if self.file_state == "changed":
            return (
                f"the source file {self.file_path} changed since it was recorded "
                f"(sha256 {self.actual_sha256[:12]}…, recorded {self.recorded_sha256[:12]}…)"
            )
        if self.file_state == "unreadable":
            return (
                f"the source file {self.file_path} cannot be read (not a regular file, "
                "larger than the document limit, or not permitted)"
            )
        return None


def source_facts(source: Source, *, stored: bool = False) -> SourceFacts:
    """``stored``: the workspace holds the document with the source's recorded sha256."""
    path = source.file_path
    state, actual = file_state(path, source.file_sha256, stored=stored)
    return SourceFacts(
        key=source.key,
        title=source.title,
        publisher=source.publisher,
        language=source.language,
        url=source.url,
        file_path=path,
        file_state=state,
        recorded_sha256=source.file_sha256,
        actual_sha256=actual,
        stored=stored and bool(source.file_sha256),
    )


def file_state(
    path: str, recorded: str, max_bytes: int = DEFAULT_MAX_BYTES, *, stored: bool = False
) -> tuple[str, str]:
    """("none" | "ok" | "stored" | "missing" | "changed" | "unreadable", the sha256 found
    now or "").

    ``stored`` says the workspace holds the document with the ``recorded`` sha256: the
    local copy is then "ok" when it is that very file and "stored" otherwise (gone, changed,
    unreadable or never named), never a problem.

    Only a regular file within ``max_bytes`` is read: a path since swapped for a FIFO, a
    device (a link to /dev/zero) or a huge file is "unreadable" at once instead of hanging
    the item view and the reports."""
    stored = stored and bool(recorded)
    state, actual = _local_state(path, recorded, max_bytes)
    if stored and state != "ok":
        return "stored", actual
    return state, actual


def _local_state(path: str, recorded: str, max_bytes: int) -> tuple[str, str]:
    # Sources record their document's file name since the workspace stores it; only sources
    # recorded before kept an absolute path to a local copy. A name is looked for nowhere.
    if not path or not Path(path).is_absolute():
        return "none", ""
    try:
        info = Path(path).stat()
    except FileNotFoundError:
        return "missing", ""
    except OSError:
        return "unreadable", ""
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        return "unreadable", ""
    actual = _sha256(path, info.st_size, info.st_mtime_ns, max_bytes)
    if actual is None:
        return "unreadable", ""
    if recorded and actual != recorded.lower():
        return "changed", actual
    return "ok", actual


@lru_cache(maxsize=512)
def _sha256(path: str, size: int, mtime_ns: int, max_bytes: int) -> str | None:
    # Keyed by size and mtime as well: the digest is recomputed when the file changes, and
    # not for every item of a document when it does not. The reading itself checks again
    # (on the open descriptor) that the file is regular: it may be swapped since the stat.
    try:
        return sha256_of(Path(path), max_bytes)[0]
    except (DocumentError, OSError):
        return None
