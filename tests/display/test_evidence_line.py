"""The item view's evidence line for a page mismatch keeps where the locator's table really
is, on a 100-column terminal and in the wide layout."""

from __future__ import annotations

from verifier.core.evidence.listing import EvidenceResult
from verifier.presentation.evidence_marks import evidence_line

PLACE = "page 22, table 3.1, row 3 (table 3.1 is on page 3, 21)"


def _mismatch() -> EvidenceResult:
    return EvidenceResult(
        item_id=607, status="page_mismatch", page=21, found_value=86.6, found_text="86.6%",
        score=100.0, sha256="e6b4", place=PLACE, hint="", value_text="86.6",
        value_number=86.6, source_key="ae-stats-yearbook-2023", stale=False,
    )  # fmt: skip


def test_the_locator_is_shown_whole_where_it_fits() -> None:
    for room in (86, 75):  # the item column at 100 columns; the wide layout's at 160
        lines = evidence_line(_mismatch(), 86.6, bidi=True, room=room).plain.splitlines()
        assert lines == ["≈ page mismatch · page 21 · score 100", f"the locator says {PLACE}"]
        assert all(len(line) <= room for line in lines)


def test_a_long_locator_is_cut_within_the_room() -> None:
    result = _mismatch()
    long = EvidenceResult(**{**result.__dict__, "place": PLACE * 3})
    lines = evidence_line(long, 86.6, bidi=True, room=60).plain.splitlines()
    assert len(lines) == 2 and len(lines[1]) <= 60 and lines[1].endswith("…")
