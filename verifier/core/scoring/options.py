"""The choices a scoring run makes. The defaults are the method described in docs/scoring.md."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from verifier.core.scoring.errors import ScoringOptionError

Normalisation = Literal["minmax", "zscore"]
Aggregation = Literal["arithmetic", "geometric"]
ExpertWeighting = Literal["mean", "median"]

NORMALISATIONS: tuple[Normalisation, ...] = ("minmax", "zscore")
AGGREGATIONS: tuple[Aggregation, ...] = ("arithmetic", "geometric")
EXPERT_WEIGHTINGS: tuple[ExpertWeighting, ...] = ("mean", "median")

DEFAULT_COVERAGE_THRESHOLD = 0.75
DEFAULT_UNCERTAINTY_RUNS = 1000
# Fixed so that two people scoring the same publication see the same rank intervals.
DEFAULT_SEED = 20240101


@dataclass(frozen=True)
class ScoringOptions:
    normalisation: Normalisation = "minmax"
    aggregation: Aggregation = "arithmetic"
    expert_weights: ExpertWeighting = "mean"
    coverage_threshold: float = DEFAULT_COVERAGE_THRESHOLD
    # 0 skips the Monte Carlo; the ranking then has no rank intervals.
    uncertainty_runs: int = DEFAULT_UNCERTAINTY_RUNS
    seed: int = DEFAULT_SEED

    def __post_init__(self) -> None:
        if self.normalisation not in NORMALISATIONS:
            raise ScoringOptionError(
                f"normalisation must be one of {', '.join(NORMALISATIONS)}, "
                f"not {self.normalisation!r}"
            )
        if self.aggregation not in AGGREGATIONS:
            raise ScoringOptionError(
                f"aggregation must be one of {', '.join(AGGREGATIONS)}, not {self.aggregation!r}"
            )
        if self.expert_weights not in EXPERT_WEIGHTINGS:
            raise ScoringOptionError(
                f"expert weights must be one of {', '.join(EXPERT_WEIGHTINGS)}, "
                f"not {self.expert_weights!r}"
            )
        if not 0.0 <= self.coverage_threshold <= 1.0:
            raise ScoringOptionError(
                f"coverage threshold must be between 0 and 1, not {self.coverage_threshold}"
            )
        if self.seed < 0:
            raise ScoringOptionError(f"the seed must be 0 or more, not {self.seed}")
        if self.uncertainty_runs < 0:
            raise ScoringOptionError(
                f"uncertainty runs must be 0 (off) or more, not {self.uncertainty_runs}"
            )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
