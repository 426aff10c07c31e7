"""Scores are finite numbers, or the scoring stops and names the value that broke it.

A ranking that placed a city by a NaN or infinite score would look normal and be wrong
(NaN compares as neither higher nor lower, so it would take a rank by accident). Huge but
valid values, such as 1e308, overflow the normalisation; the error names that value by
indicator, city and the items that are its evidence, so the lead can find and correct it.
"""

from __future__ import annotations

import numpy as np

from verifier.core.scoring.errors import NonFiniteScoreError
from verifier.core.scoring.inputs import ScoringInputs
from verifier.core.scoring.normalisation import NonFiniteIntermediate, normalise
from verifier.core.scoring.options import Aggregation, Normalisation
from verifier.core.scoring.snapshot import PublicationSnapshot

_STEP_NAMES = {"min-max": "min-max normalisation", "z-score": "z-score normalisation"}


def normalise_finite(
    snapshot: PublicationSnapshot,
    inputs: ScoringInputs,
    normalisation: Normalisation,
    aggregation: Aggregation,
    context: str = "",
) -> np.ndarray:
    """``normalise`` whose result is finite wherever a city has a value, or an error."""
    try:
        return normalise(inputs.values, inputs.higher_is_better, normalisation, aggregation)
    except NonFiniteIntermediate as failure:
        raise overflow_error(snapshot, failure, context) from None


def overflow_error(
    snapshot: PublicationSnapshot, failure: NonFiniteIntermediate, context: str = ""
) -> NonFiniteScoreError:
    indicator = snapshot.indicators[failure.indicator].code
    city = snapshot.cities[failure.city].id
    value = next(v for v in snapshot.values if v.city == city and v.indicator == indicator)
    items = ", ".join(str(item) for item in value.evidence) or "none recorded"
    step = _STEP_NAMES.get(failure.step, failure.step)
    where = f" ({context})" if context else ""
    return NonFiniteScoreError(
        f"cannot score: the value {value.value!r} of indicator {indicator!r} for city "
        f"{city!r} (evidence item {items}) makes the {step}{where} overflow to a number "
        "that is not finite; correct the value or its unit and publish again"
    )


def require_finite_scores(
    snapshot: PublicationSnapshot, overall: np.ndarray, ranked: np.ndarray, context: str = ""
) -> None:
    """Every city about to be ranked has a finite overall score in every weight set.

    ``overall`` is K x cities; ``ranked`` holds the city indices to be ranked.
    """
    scores = overall[..., ranked]
    broken = ~np.isfinite(scores)
    if not broken.any():
        return
    city = snapshot.cities[int(ranked[np.flatnonzero(broken.any(axis=0))[0]])].id
    where = f" ({context})" if context else ""
    raise NonFiniteScoreError(
        f"cannot score: city {city!r} would be ranked but its overall score{where} is not a "
        "finite number; check its values for extreme magnitudes"
    )
