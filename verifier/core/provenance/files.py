"""Is a recorded file still there, with the bytes it had? Each file is read once per report,
however many items cite it."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1 << 20


class FileChecks:
    """Remembers, for the life of one report, what each path hashed to."""

    def __init__(self) -> None:
        self._seen: dict[str, str | None] = {}

    def state(self, path: str, recorded_sha256: str) -> tuple[str, str]:
        """("none" | "ok" | "missing" | "changed" | "unreadable", sha256 found now or "")."""
        if not path:
            return "none", ""
        if path not in self._seen:
            self._seen[path] = _sha256_of(Path(path))
        found = self._seen[path]
        if found is None:
            return ("missing", "") if not Path(path).exists() else ("unreadable", "")
        if recorded_sha256 and found != recorded_sha256.lower():
            return "changed", found
        return "ok", found


def _sha256_of(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256")
    except OSError:
        return None
    return digest.hexdigest()
