"""A calibrated probability that the best candidate is right, and the bands it decides.

A logistic model reads what the matcher knows about its best candidate: the score (and how
far it is above 90, where scores tell most), the lead
over the next city, whether it was an exact hit, whether a guessed reading or a sound-alike
exonym produced it, how many words were left out, the learned transliteration model's
similarity and whether it agrees with the rules' choice, whether the match crosses scripts,
and whether a country hint confirms it. The coefficients and the ``auto`` threshold are
fitted by ``benchmarks/train_matching.py`` on the dev countries, leave-one-country-out (each
country's matches come from a model that never saw it), together with the best candidates
of large cities outside the gazetteer, which are all wrong; the threshold is the lowest
whose precision holds overall and country by country with no outsider above it. They ship
in the parameter file (learned/transliteration.json). The coefficients of the score and of
the lead are kept non-negative, so the probability never falls as either rises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from verifier.core.matching.result import AUTO, NONE, REVIEW

# Below this score nothing is plausible enough to show as a proposal.
REVIEW_MIN_SCORE = 70.0
# Points taken off a candidate whose country differs from the query's country hint: more
# than any lead the calibration trusts, so that the hint alone settles a same-name pair.
COUNTRY_PENALTY = 15.0
# The lead, in points, beyond which a larger one says nothing more.
MARGIN_CAP = 30.0

FEATURES = (
    "score",  # best score / 100
    "score_high",  # points of the best score above 90, / 10 (0 below): where scores tell most
    "margin",  # lead over the next city / MARGIN_CAP, capped at 1 (1 with no other city)
    "exact",  # an exact name, alias or label
    "guessed",  # a guessed reading, a sound-alike exonym or one word of a longer name
    "left_out",  # words of the label or the name left out (0 to 3)
    "learned",  # learned similarity of the best pair, (s - 50) / 50; 0 when not computed
    "learned_agrees",  # the learned model ranks the same city first (+1), another (-1), 0
    "cross_script",  # the query and the name are in different scripts
    "exonym",  # the spelling was lent by an exonym group
    "hint_agrees",  # a country hint names the best candidate's country
)
# Features whose coefficient is kept non-negative: the probability is monotone in them.
MONOTONE = ("score", "score_high", "margin")


@dataclass(frozen=True)
class Calibration:
    intercept: float
    weights: dict[str, float]
    auto_threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(w * features.get(name, 0.0) for name, w in self.weights.items())
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def band(self, score: float | None, confidence: float, country_match: bool | None) -> str:
        """``auto`` needs a calibrated probability at the threshold, no country conflict and
        a plausible score; ``review`` a plausible score; anything else is ``none``."""
        if score is None or score < REVIEW_MIN_SCORE:
            return NONE
        if confidence >= self.auto_threshold and country_match is not False:
            return AUTO
        return REVIEW

    def to_json(self) -> dict[str, Any]:
        return {
            "intercept": round(self.intercept, 6),
            "weights": {name: round(value, 6) for name, value in self.weights.items()},
            "auto_threshold": round(self.auto_threshold, 6),
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibration:
        weights = {name: float(value) for name, value in data["weights"].items()}
        unknown = set(weights) - set(FEATURES)
        if unknown:
            raise ValueError(f"calibration uses unknown features: {sorted(unknown)}")
        return cls(
            float(data["intercept"]),
            weights,
            float(data["auto_threshold"]),
            dict(data.get("meta", {})),
        )


def features(
    score: float,
    margin: float | None,
    *,
    exact: bool,
    guessed: bool,
    left_out: int,
    learned: float | None,
    learned_agrees: bool | None,
    cross_script: bool,
    exonym: bool,
    hint_agrees: bool,
) -> dict[str, float]:
    """The calibration's inputs for a best candidate (see FEATURES)."""
    lead = 1.0 if margin is None else min(max(margin, 0.0), MARGIN_CAP) / MARGIN_CAP
    return {
        "score": score / 100.0,
        "score_high": max(score - 90.0, 0.0) / 10.0,
        "margin": lead,
        "exact": float(exact),
        "guessed": float(guessed),
        "left_out": float(min(left_out, 3)),
        "learned": 0.0 if learned is None else (learned - 50.0) / 50.0,
        "learned_agrees": 0.0 if learned_agrees is None else (1.0 if learned_agrees else -1.0),
        "cross_script": float(cross_script),
        "exonym": float(exonym),
        "hint_agrees": float(hint_agrees),
    }
