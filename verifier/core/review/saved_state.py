"""The review UI's per-user state: the queue filter and the current item, kept between
sessions in a small JSON file under the state directory, one file per user, workspace and
edition."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from verifier.core.review.filters import QueueFilter

FORMAT_VERSION = 1
APP_NAME = "verifier"
# A fresh queue shows what still needs a first look.
DEFAULT_FILTER = QueueFilter(statuses=("unverified",))


@dataclass
class ReviewState:
    filter: QueueFilter = field(default_factory=lambda: DEFAULT_FILTER)
    item_id: int | None = None


def state_dir() -> Path:
    """Where per-user UI state is kept: ``$VERIFIER_STATE_DIR``, else the user's state
    directory (``~/.local/state/verifier`` on Linux)."""
    explicit = os.environ.get("VERIFIER_STATE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    return platformdirs.user_state_path(APP_NAME)


def state_file(user: str, workspace_url: str, edition_code: str) -> Path:
    """The file for this user, workspace and edition. The name is a digest so that URLs
    (which may hold a password) never appear in file names."""
    key = "\x1f".join((user, workspace_url, edition_code)).encode("utf-8")
    return state_dir() / f"review-{hashlib.sha256(key).hexdigest()[:20]}.json"


def load_state(path: Path) -> ReviewState:
    """The saved state, or the defaults when there is none or it cannot be read (a corrupt
    or foreign file must never stop the reviewer from working)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ReviewState()
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        return ReviewState()
    try:
        flt = QueueFilter.from_dict(data.get("filter") or {})
    except Exception:  # an invalid value saved by another version: start clean
        flt = DEFAULT_FILTER
    item_id = data.get("item_id")
    return ReviewState(flt, item_id if isinstance(item_id, int) else None)


def save_state(path: Path, state: ReviewState, about: dict[str, Any] | None = None) -> None:
    """Write atomically (temporary file, then rename): a crash mid-write leaves the previous
    state, never half a file. ``about`` adds fields for people reading the file."""
    payload = {
        "version": FORMAT_VERSION,
        **(about or {}),
        "filter": state.filter.to_dict(),
        "item_id": state.item_id,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".review-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(payload, stream, ensure_ascii=False, indent=2)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
