"""Private scratch folders in the system's temporary directory that a crash cannot leak.

An import stages its rows, and a document intake its copy, in a folder of their own that
is removed when they finish. A process killed outright (``kill -9``, power loss) cannot
remove it, so each folder is named with a recognisable prefix and held under an exclusive
``flock`` for its owner's lifetime: the kernel drops that lock when the owner dies, however
it dies. The next one to make a folder with the same prefix removes the folders whose lock
is free. A folder whose owner is alive is never touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # no flock (Windows): folders are still removed by their owner
    fcntl = None  # type: ignore[assignment]

# Written once the owner holds the lock: a free lock on a folder without it may belong to
# an owner between making the folder and locking it, so only an old one is removed.
OWNER_FILE = "owner.pid"
UNCLAIMED_AGE = 600.0  # seconds


class ScratchFolder:
    """A fresh folder ``<tmp>/<prefix>XXXX``, locked until :meth:`remove`."""

    def __init__(self, prefix: str) -> None:
        remove_abandoned(prefix)
        self.path = Path(tempfile.mkdtemp(prefix=prefix))
        self._lock = os.open(self.path, os.O_RDONLY)
        if fcntl is not None:
            fcntl.flock(self._lock, fcntl.LOCK_EX)  # blocks only while a sweep looks at it
        (self.path / OWNER_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self._lock >= 0:
            os.close(self._lock)
            self._lock = -1


def remove_abandoned(prefix: str, folder: Path | None = None) -> list[Path]:
    """Remove the ``prefix`` folders in ``folder`` (the temporary directory) whose owner is
    gone; the ones removed."""
    if fcntl is None:
        return []
    removed = []
    for path in (folder or Path(tempfile.gettempdir())).glob(f"{prefix}*"):
        if _abandoned(path):
            removed.append(path)
    return removed


def _abandoned(path: Path) -> bool:
    """Whether ``path`` was removed because its owner is gone (under the owner's lock)."""
    assert fcntl is not None
    try:
        if path.is_symlink() or not path.is_dir() or path.stat().st_uid != os.getuid():
            return False  # not a folder this user made: never followed, never removed
        descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return False  # gone meanwhile, or not ours to open
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return False  # its owner holds the lock: alive
    try:
        claimed = (path / OWNER_FILE).exists()
        if not claimed and time.time() - path.stat().st_mtime < UNCLAIMED_AGE:
            return False  # maybe being made right now
        shutil.rmtree(path, ignore_errors=True)
        return not path.exists()
    except OSError:
        return False
    finally:
        os.close(descriptor)
