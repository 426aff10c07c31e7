"""Publishing verified values as immutable snapshots, and reading them back."""

from verifier.core.publishing.conflicts import ConflictView, open_conflicts, resolve_conflict
from verifier.core.publishing.diff import ValueChange, diff_publications
from verifier.core.publishing.eligibility import compute_eligibility
from verifier.core.publishing.publish import PublishRefusedError, latest_publication, publish
from verifier.core.publishing.snapshot import content_hash, load_snapshot

__all__ = [
    "ConflictView",
    "PublishRefusedError",
    "ValueChange",
    "compute_eligibility",
    "content_hash",
    "diff_publications",
    "latest_publication",
    "load_snapshot",
    "open_conflicts",
    "publish",
    "resolve_conflict",
]
