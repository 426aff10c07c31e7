"""What a scoring run returns. Renderers, the CLI and the UI read these records only."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from verifier.core.scoring.options import ScoringOptions


@dataclass(frozen=True)
class ScoringWarning:
    """Something the reader of the ranking should know, e.g. an indicator that was left out.

    ``kind`` is a stable keyword for programs; ``subject`` is the code or id concerned.
    """

    kind: str
    subject: str
    message: str


@dataclass(frozen=True)
class DomainWeight:
    code: str
    name_en: str
    name_ar: str
    weight: float
    # False when none of the domain's indicators could be scored; its weight is then 0.
    scored: bool


@dataclass(frozen=True)
class IndicatorWeight:
    code: str
    domain: str
    direction: str
    included: bool
    domain_weight: float
    within_domain_weight: float
    effective_weight: float


@dataclass(frozen=True)
class CityResult:
    id: str
    name_en: str
    name_ar: str
    country: str
    ranked: bool
    rank: int | None
    overall: float | None
    # Domain code -> score, in the edition's domain order; None where the city has no value.
    domain_scores: dict[str, float | None]
    coverage: float
    indicators_with_value: int
    # Why the city is not ranked (empty for ranked cities).
    not_ranked_because: str
    median_rank: int | None = None
    p5_rank: int | None = None
    p95_rank: int | None = None


@dataclass(frozen=True, eq=False)
class UncertaintyResult:
    """The Monte Carlo over expert weight sets, normalisations and aggregations.

    Row r of ``ranks`` holds the ranks of ``city_ids`` in run r; ``expert``, ``normalisation``
    and ``aggregation`` record what run r drew (indices into ``expert_codes``, and the option
    tuples in options.py), so any run can be recomputed with ``score``.
    """

    runs: int
    seed: int
    city_ids: tuple[str, ...]
    expert_codes: tuple[str, ...]
    ranks: np.ndarray
    expert: np.ndarray
    normalisation: np.ndarray
    aggregation: np.ndarray
    median_rank: np.ndarray
    p5_rank: np.ndarray
    p95_rank: np.ndarray

    def interval(self, city_id: str) -> tuple[int, int, int]:
        """(median, p5, p95) rank of one ranked city."""
        index = self.city_ids.index(city_id)
        return (
            int(self.median_rank[index]),
            int(self.p5_rank[index]),
            int(self.p95_rank[index]),
        )


@dataclass(frozen=True, eq=False)
class Ranking:
    edition_code: str
    edition_name: str
    edition_name_ar: str | None
    publication_id: int
    publication_number: int
    publication_sha256: str
    hash_verified: bool
    options: ScoringOptions
    domains: tuple[DomainWeight, ...]
    weights: tuple[IndicatorWeight, ...]
    # Ranked cities by rank (ties by English name, then id), then the unranked ones.
    cities: tuple[CityResult, ...]
    warnings: tuple[ScoringWarning, ...]
    uncertainty: UncertaintyResult | None = field(default=None)

    @property
    def ranked(self) -> tuple[CityResult, ...]:
        return tuple(city for city in self.cities if city.ranked)

    @property
    def unranked(self) -> tuple[CityResult, ...]:
        return tuple(city for city in self.cities if not city.ranked)

    def city(self, city_id: str) -> CityResult:
        for city in self.cities:
            if city.id == city_id:
                return city
        raise KeyError(city_id)
