"""Domain and overall scores, for many weight sets at once.

Shapes: normalised is cities x indicators (NaN = no value), ``within`` is K x indicators,
``domain`` is K x domains, membership is indicators x domains. Results carry K first, so
the Monte Carlo can score every expert's set in one call.
"""

from __future__ import annotations

import numpy as np

from verifier.core.scoring.options import Aggregation


def domain_scores(
    normalised: np.ndarray, within: np.ndarray, membership: np.ndarray, aggregation: Aggregation
) -> np.ndarray:
    """K x cities x domains: weighted mean of each city's available indicators in a domain.

    Weights are renormalised over the indicators the city has. If all of those have weight 0,
    they count equally. A domain where the city has no value is NaN.
    """
    available = ~np.isnan(normalised)
    # Geometric mean = exp of the weighted arithmetic mean of logs.
    terms = np.log(normalised) if aggregation == "geometric" else normalised
    terms = np.where(available, terms, 0.0)
    weighted_sum = np.einsum("ki,ci,id->kcd", within, terms, membership)
    weight_available = np.einsum("ki,ci,id->kcd", within, available.astype(float), membership)
    count_available = available.astype(float) @ membership
    plain_mean = np.divide(
        terms @ membership,
        count_available,
        out=np.full(count_available.shape, np.nan),
        where=count_available > 0,
    )
    scores = np.divide(
        weighted_sum,
        weight_available,
        out=np.broadcast_to(plain_mean, weighted_sum.shape).copy(),
        where=weight_available > 0,
    )
    return np.exp(scores) if aggregation == "geometric" else scores


def overall_scores(
    scores_by_domain: np.ndarray, domain: np.ndarray, aggregation: Aggregation
) -> np.ndarray:
    """K x cities: weighted mean of the domain scores; NaN if any scored domain is missing.

    ``domain`` must already sum to 1 over the domains in ``scores_by_domain``.
    """
    if aggregation == "geometric":
        return np.exp(np.einsum("kcd,kd->kc", np.log(scores_by_domain), domain))
    return np.einsum("kcd,kd->kc", scores_by_domain, domain)
