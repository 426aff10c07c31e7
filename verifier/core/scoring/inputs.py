"""Turn a snapshot into the matrices the scorer works on, and decide who can be ranked.

This is the part of the method that does not depend on weights, normalisation or
aggregation, so the nominal scoring and every Monte Carlo run share it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verifier.core.scoring.normalisation import has_spread
from verifier.core.scoring.ranking import coverage, meets_threshold, missing_domains
from verifier.core.scoring.results import ScoringWarning
from verifier.core.scoring.snapshot import PublicationSnapshot
from verifier.core.scoring.weights import domain_membership

# The reason every city carries when no indicator can be scored (none has spread).
NOTHING_SCORED = "nothing could be scored: no indicator has differing values to rank on"


@dataclass(frozen=True, eq=False)
class ScoringInputs:
    # cities x indicators, NaN where there is no value or the indicator is left out
    values: np.ndarray
    higher_is_better: np.ndarray
    included: np.ndarray  # per indicator: has spread, so it is scored
    membership: np.ndarray  # indicators x all domains
    scored_domains: np.ndarray  # per domain: has at least one scored indicator
    scored_domain_codes: tuple[str, ...]
    coverage: np.ndarray
    value_counts: np.ndarray
    ranked: np.ndarray
    not_ranked_because: tuple[str, ...]
    warnings: tuple[ScoringWarning, ...]

    @property
    def scored_membership(self) -> np.ndarray:
        return self.membership[:, self.scored_domains]


def value_matrix(snapshot: PublicationSnapshot) -> np.ndarray:
    city_index = {city.id: c for c, city in enumerate(snapshot.cities)}
    indicator_index = {indicator.code: i for i, indicator in enumerate(snapshot.indicators)}
    values = np.full((len(snapshot.cities), len(snapshot.indicators)), np.nan)
    for value in snapshot.values:
        values[city_index[value.city], indicator_index[value.indicator]] = value.value
    return values


def prepare_inputs(snapshot: PublicationSnapshot, coverage_threshold: float) -> ScoringInputs:
    values = value_matrix(snapshot)
    warnings = _range_warnings(snapshot, values)
    included = np.array([has_spread(values[:, i]) for i in range(values.shape[1])], dtype=bool)
    for i in np.flatnonzero(~included):
        warnings.append(_left_out_warning(snapshot.indicators[i].code, values[:, i]))
    values[:, ~included] = np.nan
    membership = domain_membership(snapshot)
    scored_domains = membership[included].sum(axis=0) > 0
    for d in np.flatnonzero(~scored_domains):
        code = snapshot.domains[d].code
        warnings.append(
            ScoringWarning(
                "domain_left_out",
                code,
                f"domain {code} has no indicator that can be scored; it is left out and the "
                "other domains' weights are renormalised",
            )
        )
    available = ~np.isnan(values)
    share, count = coverage(available, included)
    lacking = missing_domains(available, membership[:, scored_domains])
    enough = meets_threshold(share, coverage_threshold)
    scored_codes = tuple(snapshot.domains[d].code for d in np.flatnonzero(scored_domains))
    # With every indicator left out there is nothing to rank on, whatever the threshold.
    nothing_scored = not included.any()
    reasons = []
    for c in range(len(snapshot.cities)):
        if nothing_scored:
            reasons.append(NOTHING_SCORED)
            continue
        why = []
        if not enough[c]:
            why.append(f"coverage {share[c]:.0%} < {coverage_threshold:.0%}")
        empty = [code for code, gap in zip(scored_codes, lacking[c], strict=True) if gap]
        if empty:
            why.append(f"no value in domain {', '.join(empty)}")
        reasons.append("; ".join(why))
    ranked = enough & ~lacking.any(axis=1) & ~nothing_scored
    if nothing_scored and snapshot.cities:
        warnings.append(
            ScoringWarning(
                "nothing_ranked",
                "",
                "nothing could be scored: every indicator is left out; no city is ranked",
            )
        )
    elif not ranked.any():
        warnings.append(
            ScoringWarning("nothing_ranked", "", "no city meets the coverage rule; none is ranked")
        )
    return ScoringInputs(
        values=values,
        higher_is_better=np.array([ind.higher_is_better for ind in snapshot.indicators]),
        included=included,
        membership=membership,
        scored_domains=scored_domains,
        scored_domain_codes=scored_codes,
        coverage=share,
        value_counts=count,
        ranked=ranked,
        not_ranked_because=tuple(reasons),
        warnings=tuple(warnings),
    )


def _left_out_warning(code: str, column: np.ndarray) -> ScoringWarning:
    present = column[~np.isnan(column)]
    if present.size == 0:
        detail = "has no value"
    elif present.size == 1:
        detail = "has a single value"
    else:
        detail = f"has the same value ({present[0]:g}) for all {present.size} cities"
    return ScoringWarning(
        "indicator_left_out",
        code,
        f"indicator {code} {detail}, so it cannot be normalised; it is left out",
    )


def _range_warnings(snapshot: PublicationSnapshot, values: np.ndarray) -> list[ScoringWarning]:
    """Values outside an indicator's valid range are scored as given, but flagged."""
    found = []
    for i, indicator in enumerate(snapshot.indicators):
        column = values[:, i]
        outside = np.zeros(column.shape, dtype=bool)
        if indicator.min is not None:
            outside |= column < indicator.min
        if indicator.max is not None:
            outside |= column > indicator.max
        if outside.any():
            cities = ", ".join(snapshot.cities[c].id for c in np.flatnonzero(outside))
            found.append(
                ScoringWarning(
                    "value_out_of_range",
                    indicator.code,
                    f"indicator {indicator.code} has values outside its valid range "
                    f"[{indicator.min}, {indicator.max}] for: {cities}",
                )
            )
    return found
