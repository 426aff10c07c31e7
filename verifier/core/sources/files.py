"""A source's local copy: is it there, and is it still the file that was recorded?"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from db.models import Source


@dataclass(frozen=True)
class SourceFacts:
    key: str
    title: str
    publisher: str
    language: str
    url: str
    file_path: str
    # "none" (no local copy), "ok", "missing", "changed" (sha256 differs), "unreadable"
    file_state: str
    recorded_sha256: str
    actual_sha256: str = ""

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
            return f"the source file {self.file_path} cannot be read"
        return None


def source_facts(source: Source) -> SourceFacts:
    path = source.file_path
    state, actual = file_state(path, source.file_sha256)
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
    )


def file_state(path: str, recorded: str) -> tuple[str, str]:
    """("none" | "ok" | "missing" | "changed" | "unreadable", the sha256 found now or "")."""
    if not path:
        return "none", ""
    try:
        stat = Path(path).stat()
    except FileNotFoundError:
        return "missing", ""
    except OSError:
        return "unreadable", ""
    actual = _sha256(path, stat.st_size, stat.st_mtime_ns)
    if actual is None:
        return "unreadable", ""
    if recorded and actual != recorded.lower():
        return "changed", actual
    return "ok", actual


@lru_cache(maxsize=512)
def _sha256(path: str, size: int, mtime_ns: int) -> str | None:
    # Keyed by size and mtime as well: the digest is recomputed when the file changes, and
    # not for every item of a document when it does not.
    try:
        with Path(path).open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
