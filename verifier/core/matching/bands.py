"""Bands for the best candidate of a query: accept it, ask a person, or report nothing.

The thresholds were chosen from the precision/coverage curve measured on the dev set with
leave-one-country-out calibration; the figures behind each number are recorded in
docs/matching.md ("Bands and thresholds"). Re-run benchmarks/bench_match.py before changing
any of them.
"""

from __future__ import annotations

from verifier.core.matching.result import AUTO, NONE, REVIEW

# Best score at or above which a match may be accepted without a person...
AUTO_MIN_SCORE = 95.0
# ...provided no other city scores within this many points of it.
AUTO_MIN_MARGIN = 7.0
# Below this nothing is plausible enough to show as a proposal.
REVIEW_MIN_SCORE = 70.0
# Points taken off a candidate whose country differs from the query's country hint. Larger
# than AUTO_MIN_MARGIN so that the hint alone can settle a same-name pair (the two Tripolis).
COUNTRY_PENALTY = 15.0


def band_for(score: float | None, margin: float | None, country_match: bool | None) -> str:
    """``auto`` needs a high score, a clear lead over every other city, and no country
    conflict; ``review`` a plausible score; anything else is ``none``."""
    if score is None or score < REVIEW_MIN_SCORE:
        return NONE
    lead = float("inf") if margin is None else margin
    if score >= AUTO_MIN_SCORE and lead >= AUTO_MIN_MARGIN and country_match is not False:
        return AUTO
    return REVIEW
