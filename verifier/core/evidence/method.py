"""Which version of the evidence check a stored result comes from. Read wherever results are
listed or judged stale (the queue, the item view, provenance) without loading the check
itself (``check.py``, which uses these)."""

from __future__ import annotations

# A quote is found when its best alignment in a page scores at least this (0-100).
THRESHOLD = 90.0
# Bumped whenever the check gives other results for the same item and document, so that
# stored results are recomputed.
METHOD = f"evidence-check 1, threshold {THRESHOLD:g}"
