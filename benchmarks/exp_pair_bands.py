"""Experiment: the bands (auto share and precision), leave one country out, with the
character pair scorer at a given weight (0: the shipped engine)."""

from __future__ import annotations

import sys

import matching_pair_scorer as ps
import train_matching as training

from verifier.core.matching.learned.parameters import MatchingParameters


def main() -> int:
    weight = float(sys.argv[1])
    fitted, _ = training.models()
    scorers = {}
    if weight > 0:
        generation = int(sys.argv[2])  # which of the cached fold scorers, oldest first
        for country in fitted:
            found = ps.CACHE.glob(f"pair-scorer-{country or 'all'}-*.json")
            chosen = sorted(found, key=lambda p: p.stat().st_mtime)[generation]
            print(country, chosen.name, flush=True)
            scorers[id(fitted[country])] = ps.PairScorer.load(chosen)
    original = training.parameters

    def parameters(model, learned_weight, prior, calibration=training._PLACEHOLDER):
        base = original(model, learned_weight, prior, calibration)
        if weight <= 0:
            return base
        return MatchingParameters(
            base.transliteration,
            base.learned_weight,
            base.learned_candidates,
            base.script_prior,
            base.calibration,
            pair_scorer=scorers[id(model)],
            pair_weight=weight,
        )

    training.parameters = parameters
    training.calibrate(fitted, 1.0, 5.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
