"""The nominal ranking of a publication, with rank intervals from the Monte Carlo."""

from __future__ import annotations

import math

import numpy as np

from verifier.core.scoring.aggregation import domain_scores, overall_scores
from verifier.core.scoring.finite import normalise_finite, require_finite_scores
from verifier.core.scoring.inputs import ScoringInputs, prepare_inputs
from verifier.core.scoring.options import ScoringOptions
from verifier.core.scoring.ranking import competition_ranks
from verifier.core.scoring.results import (
    CityResult,
    DomainWeight,
    IndicatorWeight,
    Ranking,
    ScoringWarning,
    UncertaintyResult,
)
from verifier.core.scoring.snapshot import PublicationSnapshot
from verifier.core.scoring.uncertainty import simulate_ranks
from verifier.core.scoring.weights import (
    WeightSets,
    combine_expert_weights,
    expert_weight_sets,
    restrict_to_scored,
)


def score(snapshot: PublicationSnapshot, options: ScoringOptions | None = None) -> Ranking:
    """Score and rank the cities of ``snapshot`` as described in docs/scoring.md."""
    options = options if options is not None else ScoringOptions()
    inputs = prepare_inputs(snapshot, options.coverage_threshold)
    warnings = list(inputs.warnings)
    if not snapshot.hash_verified:
        warnings.insert(
            0,
            ScoringWarning(
                "hash_mismatch",
                str(snapshot.publication.id),
                "the document does not match its publication.sha256: it was changed "
                "after publishing, so this is not the ranking of the published snapshot",
            ),
        )
    experts, expert_warnings = expert_weight_sets(snapshot)
    combined, combine_warnings = combine_expert_weights(
        experts, options.expert_weights, inputs.membership, [d.code for d in snapshot.domains]
    )
    warnings += expert_warnings + combine_warnings
    weights, domain_fallback, within_fallback = restrict_to_scored(
        combined, inputs.membership, inputs.included, inputs.scored_domains
    )
    warnings += _fallback_warnings(snapshot, bool(domain_fallback[0]), within_fallback[0])
    normalised = normalise_finite(snapshot, inputs, options.normalisation, options.aggregation)
    by_domain = domain_scores(
        normalised, weights.within, inputs.scored_membership, options.aggregation
    )[0]
    overall = overall_scores(by_domain[np.newaxis], weights.domain, options.aggregation)[0]
    ranked_index = np.flatnonzero(inputs.ranked)
    require_finite_scores(snapshot, overall, ranked_index)
    ranks = competition_ranks(overall[ranked_index])
    uncertainty = None
    if options.uncertainty_runs > 0 and ranked_index.size:
        uncertainty = simulate_ranks(
            snapshot, inputs, experts, options.uncertainty_runs, options.seed
        )
    cities = _city_results(snapshot, inputs, by_domain, overall, ranked_index, ranks, uncertainty)
    return Ranking(
        edition_code=snapshot.edition.code,
        edition_name=snapshot.edition.name,
        edition_name_ar=snapshot.edition.name_ar,
        publication_id=snapshot.publication.id,
        publication_number=snapshot.publication.number,
        publication_sha256=snapshot.publication.sha256,
        hash_verified=snapshot.hash_verified,
        options=options,
        domains=_domain_weights(snapshot, inputs, weights),
        weights=_indicator_weights(snapshot, inputs, weights),
        cities=cities,
        warnings=tuple(warnings),
        uncertainty=uncertainty,
    )


def _city_results(
    snapshot: PublicationSnapshot,
    inputs: ScoringInputs,
    by_domain: np.ndarray,
    overall: np.ndarray,
    ranked_index: np.ndarray,
    ranks: np.ndarray,
    uncertainty: UncertaintyResult | None,
) -> tuple[CityResult, ...]:
    rank_of = {int(c): int(rank) for c, rank in zip(ranked_index, ranks, strict=True)}
    results = []
    for c, city in enumerate(snapshot.cities):
        scores = dict.fromkeys((d.code for d in snapshot.domains), None)
        for d, code in enumerate(inputs.scored_domain_codes):
            scores[code] = _number(by_domain[c, d])
        ranked = c in rank_of
        interval: tuple[int | None, int | None, int | None] = (None, None, None)
        if ranked and uncertainty is not None:
            interval = uncertainty.interval(city.id)
        results.append(
            CityResult(
                id=city.id,
                name_en=city.name_en,
                name_ar=city.name_ar,
                country=city.country,
                ranked=ranked,
                rank=rank_of.get(c),
                overall=_number(overall[c]) if ranked else None,
                domain_scores=scores,
                coverage=float(inputs.coverage[c]),
                indicators_with_value=int(inputs.value_counts[c]),
                not_ranked_because=inputs.not_ranked_because[c],
                median_rank=interval[0],
                p5_rank=interval[1],
                p95_rank=interval[2],
            )
        )
    ranked_first = sorted((r for r in results if r.ranked), key=lambda r: (r.rank, r.name_en, r.id))
    unranked_after = sorted(
        (r for r in results if not r.ranked), key=lambda r: (-r.coverage, r.name_en, r.id)
    )
    return tuple(ranked_first + unranked_after)


def _domain_weights(
    snapshot: PublicationSnapshot, inputs: ScoringInputs, weights: WeightSets
) -> tuple[DomainWeight, ...]:
    column = iter(weights.domain[0])
    return tuple(
        DomainWeight(
            code=domain.code,
            name_en=domain.name_en,
            name_ar=domain.name_ar,
            weight=float(next(column)) if scored else 0.0,
            scored=bool(scored),
        )
        for domain, scored in zip(snapshot.domains, inputs.scored_domains, strict=True)
    )


def _indicator_weights(
    snapshot: PublicationSnapshot, inputs: ScoringInputs, weights: WeightSets
) -> tuple[IndicatorWeight, ...]:
    domain_weight = {d.code: d.weight for d in _domain_weights(snapshot, inputs, weights)}
    result = []
    for i, indicator in enumerate(snapshot.indicators):
        included = bool(inputs.included[i])
        within = float(weights.within[0, i]) if included else 0.0
        result.append(
            IndicatorWeight(
                code=indicator.code,
                domain=indicator.domain,
                direction=indicator.direction,
                included=included,
                domain_weight=domain_weight[indicator.domain],
                within_domain_weight=within,
                effective_weight=domain_weight[indicator.domain] * within,
            )
        )
    return tuple(result)


def _fallback_warnings(
    snapshot: PublicationSnapshot, domains_fell_back: bool, within_fell_back: np.ndarray
) -> list[ScoringWarning]:
    """Weights that were all on left-out indicators or domains: what remains counts equally."""
    found = []
    if domains_fell_back:
        found.append(
            ScoringWarning(
                "weights_only_on_left_out",
                "domains",
                "all domain weight is on domains that were left out; the others count equally",
            )
        )
    for d in np.flatnonzero(within_fell_back):
        code = snapshot.domains[d].code
        found.append(
            ScoringWarning(
                "weights_only_on_left_out",
                code,
                f"all indicator weight in domain {code} is on indicators that were left out; "
                "its remaining indicators count equally",
            )
        )
    return found


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
