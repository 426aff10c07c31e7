"""What a match returns: candidates with the evidence behind their scores, and a band."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

AUTO = "auto"
REVIEW = "review"
NONE = "none"

FIELD_LABELS = {
    "name_en": "English name",
    "name_ar": "Arabic name",
    "alias": "alias",
    "exonym": "exonym",
}


# Penalties for words a match did not cover, as the explanation names them.
_LEFT_OUT = {
    "dropped_words_penalty": "words of the label left out",
    "qualifier_penalty": "qualifier left out",
    "partial_name_penalty": "one word of the name",
}


@dataclass(frozen=True)
class Candidate:
    """One gazetteer city proposed for a query, with how its score came about.

    ``matched_field`` is where the winning name came from: ``name_en``, ``name_ar``, ``alias``
    or ``exonym`` (the query was a listed exonym and one of its spellings matched the city).
    ``query_form`` and ``name_form`` are the normalised texts that were compared; ``parts``
    holds the component scores; ``country_match`` is None when no country hint was given.
    """

    city_id: str
    score: float
    matched_field: str
    matched_name: str
    query_form: str
    name_form: str
    parts: dict[str, Any] = field(default_factory=dict)
    country_match: bool | None = None
    country: str = ""

    def explain(self) -> str:
        """One line for people: what matched what, how, and what the country hint did."""
        method = self.parts.get("method", "")
        pieces = [
            f"{self.score:.1f}: {FIELD_LABELS.get(self.matched_field, self.matched_field)} "
            f"{self.matched_name!r}",
        ]
        if method == "exact" and self.parts.get("label"):
            pieces.append("same label")
        elif method == "exact":
            pieces.append(f"exact on {self.name_form!r}")
        elif method == "text":
            pieces.append(
                f"spelling {self.query_form!r}~{self.name_form!r} {self.parts['text']:.0f}"
            )
        else:
            pieces.append(
                f"sound {self.parts.get('query_key', '')!r}~{self.parts.get('name_key', '')!r}"
                f" key {self.parts.get('key_ratio', 0):.0f} skeleton"
                f" {self.parts.get('skeleton_ratio', 0):.0f}"
            )
            variant = self.parts.get("variant")
            if variant and variant != "standard":
                pieces.append(f"reading {variant}")
        if self.parts.get("learned") is not None:
            pieces.append(
                f"learned transliteration {self.parts['learned']:.0f}"
                f" ({self.parts.get('learned_delta', 0.0):+.1f})"
            )
        if self.parts.get("via_exonym"):
            likeness = " (sounds like it)" if self.parts.get("exonym_factor", 1) < 0.99 else ""
            pieces.append(f"via exonym {self.parts['via_exonym']!r}{likeness}")
        for part, words in _LEFT_OUT.items():
            if self.parts.get(part):
                pieces.append(f"{words} {self.parts[part]:+.0f}")
        if self.parts.get("reversed"):
            pieces.append("reversed PDF order repaired")
        if self.parts.get("reversed_guess_penalty"):
            pieces.append(f"reversed-order guess {self.parts['reversed_guess_penalty']:+.0f}")
        if self.parts.get("script_prior"):
            pieces.append(
                f"outside the Arabic-speaking countries {self.parts['script_prior']:+.0f}"
            )
        if self.parts.get("foreign_homonym"):
            pieces.append(
                f"also a large city's name in {self.parts['foreign_homonym']}: needs a country"
            )
        if self.country_match is True:
            pieces.append("country matches")
        elif self.country_match is False:
            pieces.append(f"other country {self.parts.get('country_penalty', 0):+.0f}")
        return "; ".join(pieces)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form, as stored with a decision and shown by the review UI."""
        return {
            "city_id": self.city_id,
            "score": round(self.score, 2),
            "matched_field": self.matched_field,
            "matched_name": self.matched_name,
            "query_form": self.query_form,
            "name_form": self.name_form,
            "parts": dict(self.parts),
            "country": self.country,
            "country_match": self.country_match,
            "explanation": self.explain(),
        }


@dataclass(frozen=True)
class MatchResult:
    """Candidates for one query, best first, and the band of the best one."""

    query: str
    country: str | None
    candidates: list[Candidate]
    band: str
    # Score of the best candidate minus that of the best candidate of another city.
    margin: float | None = None
    # Calibrated probability that the best candidate is right (calibration.py).
    confidence: float | None = None
    # What the calibration read (calibration.FEATURES), for measuring and refitting it.
    features: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "country": self.country,
            "band": self.band,
            "margin": None if self.margin is None else round(self.margin, 2),
            "confidence": self.confidence,
            "candidates": [candidate.to_dict() for candidate in self.candidates],
        }
