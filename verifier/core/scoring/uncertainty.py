"""Monte Carlo rank intervals: how much do the choices behind the ranking move each city?

Each run draws one expert's weight set, a normalisation and an aggregation. Those are only
2 x 2 x (number of experts) distinct configurations, so every configuration is scored once
and the runs just look up the ranks of the configuration they drew.
"""

from __future__ import annotations

import numpy as np

from verifier.core.scoring.aggregation import domain_scores, overall_scores
from verifier.core.scoring.errors import ScoringOptionError
from verifier.core.scoring.finite import normalise_finite, require_finite_scores
from verifier.core.scoring.inputs import ScoringInputs, prepare_inputs
from verifier.core.scoring.options import (
    AGGREGATIONS,
    DEFAULT_SEED,
    DEFAULT_UNCERTAINTY_RUNS,
    NORMALISATIONS,
    ScoringOptions,
)
from verifier.core.scoring.ranking import competition_ranks, percentile_ranks
from verifier.core.scoring.results import UncertaintyResult
from verifier.core.scoring.snapshot import PublicationSnapshot
from verifier.core.scoring.weights import WeightSets, expert_weight_sets, restrict_to_scored


def run_uncertainty(
    snapshot: PublicationSnapshot,
    options: ScoringOptions | None = None,
    runs: int = DEFAULT_UNCERTAINTY_RUNS,
    seed: int = DEFAULT_SEED,
) -> UncertaintyResult:
    """Rank intervals of the cities ranked under ``options`` (only its threshold matters)."""
    options = options if options is not None else ScoringOptions()
    inputs = prepare_inputs(snapshot, options.coverage_threshold)
    experts, _ = expert_weight_sets(snapshot)
    return simulate_ranks(snapshot, inputs, experts, runs, seed)


def configuration_ranks(
    snapshot: PublicationSnapshot, inputs: ScoringInputs, experts: WeightSets
) -> np.ndarray:
    """Ranks of the ranked cities under every configuration.

    Shape: normalisations x aggregations x experts x ranked cities.
    """
    weights, _, _ = restrict_to_scored(
        experts, inputs.membership, inputs.included, inputs.scored_domains
    )
    ranked = np.flatnonzero(inputs.ranked)
    table = np.empty(
        (len(NORMALISATIONS), len(AGGREGATIONS), weights.domain.shape[0], ranked.size),
        dtype=np.int32,
    )
    for n, normalisation in enumerate(NORMALISATIONS):
        for a, aggregation in enumerate(AGGREGATIONS):
            context = f"{normalisation}, {aggregation}, in the uncertainty runs"
            normalised = normalise_finite(snapshot, inputs, normalisation, aggregation, context)
            by_domain = domain_scores(
                normalised, weights.within, inputs.scored_membership, aggregation
            )
            overall = overall_scores(by_domain, weights.domain, aggregation)
            require_finite_scores(snapshot, overall, ranked, context)
            table[n, a] = competition_ranks(overall[:, ranked])
    return table


def simulate_ranks(
    snapshot: PublicationSnapshot,
    inputs: ScoringInputs,
    experts: WeightSets,
    runs: int,
    seed: int,
) -> UncertaintyResult:
    if runs < 1:
        raise ScoringOptionError(f"the Monte Carlo needs at least 1 run, not {runs}")
    table = configuration_ranks(snapshot, inputs, experts)
    # The draw order is part of the method: same seed, same draws (see docs/scoring.md).
    rng = np.random.default_rng(seed)
    expert = rng.integers(0, table.shape[2], size=runs)
    normalisation = rng.integers(0, len(NORMALISATIONS), size=runs)
    aggregation = rng.integers(0, len(AGGREGATIONS), size=runs)
    ranks = table[normalisation, aggregation, expert]
    return UncertaintyResult(
        runs=runs,
        seed=seed,
        city_ids=tuple(snapshot.cities[c].id for c in np.flatnonzero(inputs.ranked)),
        expert_codes=tuple(e.code for e in snapshot.experts),
        ranks=ranks,
        expert=expert,
        normalisation=normalisation,
        aggregation=aggregation,
        median_rank=percentile_ranks(ranks, 50),
        p5_rank=percentile_ranks(ranks, 5),
        p95_rank=percentile_ranks(ranks, 95),
    )
