"""Expert weights: normalise each expert's set, combine them into the edition's weights.

Every weight vector here is normalised within groups: domain weights over the domains,
indicator weights within each domain. One rule covers every group whose weights sum to 0
(an expert who gave nothing, or a median that came out as 0): its members count equally.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verifier.core.scoring.options import ExpertWeighting
from verifier.core.scoring.results import ScoringWarning
from verifier.core.scoring.snapshot import PublicationSnapshot


@dataclass(frozen=True, eq=False)
class WeightSets:
    """K weight sets: ``domain`` is K x domains, ``within`` is K x indicators."""

    domain: np.ndarray
    within: np.ndarray


def domain_membership(snapshot: PublicationSnapshot) -> np.ndarray:
    """Indicators x domains matrix of 0/1: which domain each indicator belongs to."""
    domain_index = {domain.code: d for d, domain in enumerate(snapshot.domains)}
    membership = np.zeros((len(snapshot.indicators), len(snapshot.domains)))
    for i, indicator in enumerate(snapshot.indicators):
        membership[i, domain_index[indicator.domain]] = 1.0
    return membership


def normalise_in_groups(
    weights: np.ndarray, groups: np.ndarray, members: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Scale K x N ``weights`` to sum to 1 within each group, counting only ``members``.

    ``groups`` is N x G (0/1), ``members`` a boolean N-vector. Returns the normalised weights
    and a K x G boolean array of the groups that summed to 0 and fell back to equal weights.
    """
    kept = weights * members
    group_sums = kept @ groups
    group_sizes = members.astype(float) @ groups
    fell_back = (group_sums <= 0) & (group_sizes > 0)
    sum_of_own_group = group_sums @ groups.T
    size_of_own_group = np.broadcast_to(group_sizes @ groups.T, kept.shape)
    equal = np.divide(
        members.astype(float),
        size_of_own_group,
        out=np.zeros_like(kept),
        where=size_of_own_group > 0,
    )
    proportional = np.divide(kept, sum_of_own_group, out=equal, where=sum_of_own_group > 0)
    return proportional, fell_back


def expert_weight_sets(snapshot: PublicationSnapshot) -> tuple[WeightSets, list[ScoringWarning]]:
    """Each expert's weights, normalised: one row per expert, in the snapshot's order."""
    domains, indicators = snapshot.domains, snapshot.indicators
    raw_domain = np.array(
        [[e.domain_weights.get(d.code, 0.0) for d in domains] for e in snapshot.experts]
    )
    raw_within = np.array(
        [[e.indicator_weights.get(i.code, 0.0) for i in indicators] for e in snapshot.experts]
    )
    membership = domain_membership(snapshot)
    domain, domain_fallback = normalise_in_groups(
        raw_domain, np.ones((len(domains), 1)), np.ones(len(domains), dtype=bool)
    )
    within, within_fallback = normalise_in_groups(
        raw_within, membership, np.ones(len(indicators), dtype=bool)
    )
    warnings = []
    for e, expert in enumerate(snapshot.experts):
        if domain_fallback[e, 0]:
            warnings.append(
                ScoringWarning(
                    "expert_weights_empty",
                    expert.code,
                    f"expert {expert.code} gave no positive domain weight; "
                    "the domains count equally in that expert's set",
                )
            )
        for d, domain_record in enumerate(domains):
            if within_fallback[e, d]:
                warnings.append(
                    ScoringWarning(
                        "expert_weights_empty",
                        expert.code,
                        f"expert {expert.code} gave no positive indicator weight in domain "
                        f"{domain_record.code}; its indicators count equally in that set",
                    )
                )
    return WeightSets(domain=domain, within=within), warnings


def combine_expert_weights(
    sets: WeightSets, how: ExpertWeighting, membership: np.ndarray, domain_codes: list[str]
) -> tuple[WeightSets, list[ScoringWarning]]:
    """The edition's weights: the mean (or median) over experts, as a single-row WeightSets.

    The mean of normalised sets is already normalised; a median is renormalised.
    """
    pick = np.mean if how == "mean" else np.median
    domain = pick(sets.domain, axis=0)[np.newaxis, :]
    within = pick(sets.within, axis=0)[np.newaxis, :]
    domain, domain_fallback = normalise_in_groups(
        domain, np.ones((domain.shape[1], 1)), np.ones(domain.shape[1], dtype=bool)
    )
    within, within_fallback = normalise_in_groups(
        within, membership, np.ones(within.shape[1], dtype=bool)
    )
    warnings = []
    if domain_fallback.any():
        warnings.append(
            ScoringWarning(
                "edition_weights_empty",
                "domains",
                f"the {how} of the experts' domain weights is 0 everywhere; domains count equally",
            )
        )
    for d in np.flatnonzero(within_fallback[0]):
        warnings.append(
            ScoringWarning(
                "edition_weights_empty",
                domain_codes[d],
                f"the {how} of the experts' indicator weights is 0 in domain {domain_codes[d]}; "
                "its indicators count equally",
            )
        )
    return WeightSets(domain=domain, within=within), warnings


def restrict_to_scored(
    sets: WeightSets, membership: np.ndarray, included: np.ndarray, scored_domains: np.ndarray
) -> tuple[WeightSets, np.ndarray, np.ndarray]:
    """Drop indicators left out and domains with nothing left, renormalising what remains.

    The result's ``domain`` has one column per scored domain only. Also returned: which
    sets' domain weights (K) and which (set, domain) indicator weights (K x all domains)
    summed to 0 after the drop and fell back to equal weights.
    """
    within, within_fallback = normalise_in_groups(sets.within, membership, included)
    scored_count = int(scored_domains.sum())
    domain, domain_fallback = normalise_in_groups(
        sets.domain[:, scored_domains],
        np.ones((scored_count, 1)),
        np.ones(scored_count, dtype=bool),
    )
    return WeightSets(domain=domain, within=within), domain_fallback[:, 0], within_fallback
