"""Experiment: the character pair scorer (learned/pair_scorer.py) as a re-ranker, leave one
country out on the dev countries. From the repository root, with torch installed:

    .venv/bin/python benchmarks/exp_pair_scorer.py [WEIGHT ...]  # the scorer alone
    RESIDUAL=1 .venv/bin/python benchmarks/exp_pair_scorer.py [WEIGHT ...]  # on the engine

PAIR_ORDER=0 leaves out the penalty on letters aligned at distant positions.

Prints, per left-out country, how often the scorer alone, the learned transliteration
model alone, the engine and the engine with the scorer pick the right one of the rules'
candidates, then the leave-one-country-out top-1 and top-3 (no hint) at each weight.
``benchmarks/exp_pair_bands.py WEIGHT N`` fits the bands with the N-th cached scorers."""

from __future__ import annotations

import os
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path

import matching_learning as learning
import matching_pair_scorer as ps
import numpy as np
import train_matching as training
from matching_devset import DEV_COUNTRIES

from verifier.core.matching.learned.parameters import MatchingParameters, default_parameters
from verifier.core.matching.learned.training import expectation

OUT = Path(__file__).resolve().parent / "out"


def say(*a):
    print(*a, f"[load {os.getloadavg()[0]:.1f}]", flush=True)


def scored_candidates(fitted):
    """(country, query text, query is Arabic, [(candidate text, tradition, right, score)])
    for every dev query (no hint), the top five cross-script candidates as the shipped
    engine scores them with the fold model that never saw the query's country."""
    from verifier.core.matching import traditions
    from verifier.core.matching.forms import analyse

    shipped = default_parameters()
    found = []
    for devset in learning.devsets()[:2]:
        entries = {e.city_id: e for e in devset.gazetteer}
        for country in DEV_COUNTRIES:
            matcher = learning.matcher_for(
                devset, replace(shipped, transliteration=fitted[country])
            )
            queries = [q for q in devset.queries if q.country == country]
            results = matcher.match_many([(q.text, None) for q in queries], top=5, explain=False)
            for query, result in zip(queries, results, strict=True):
                query_forms = analyse(query.text, guess_order=False)
                if not query_forms:
                    continue
                candidates = []
                for candidate in result.candidates:
                    name_forms = analyse(candidate.matched_name, guess_order=False)
                    if not name_forms or name_forms[0].script == query_forms[0].script:
                        continue
                    candidates.append(
                        (
                            name_forms[0].model_text,
                            traditions.primary(entries[candidate.city_id].country),
                            devset.correct(candidate.city_id, query.truth),
                            candidate.score,
                        )
                    )
                found.append(
                    (
                        country,
                        query_forms[0].model_text,
                        query_forms[0].script == "arabic",
                        candidates,
                    )
                )
    return found


def residual_groups(scored, held_out):
    found = []
    for country, query, arabic_query, candidates in scored:
        if country == held_out or len(candidates) < 2:
            continue
        if sum(c[2] for c in candidates) != 1:
            continue
        found.append((query, arabic_query, candidates))
    return found


def main() -> int:
    t = time.time()
    fitted, _ = training.models()
    say("models", time.time() - t)
    conf_path = OUT / "confusable.pkl"
    if conf_path.exists():
        confusable = pickle.loads(conf_path.read_bytes())
    else:
        rules_only = MatchingParameters(fitted[None], 0.0, 0, 0.0, training._PLACEHOLDER)
        confusable = learning.confusable_pairs(rules_only)
        conf_path.write_bytes(pickle.dumps(confusable))
    say("confusable", len(confusable), time.time() - t)
    scored_path = OUT / "scored.pkl"
    if scored_path.exists():
        scored = pickle.loads(scored_path.read_bytes())
    else:
        scored = scored_candidates(fitted)
        scored_path.write_bytes(pickle.dumps(scored))
    say("scored", len(scored), time.time() - t)
    residual = os.environ.get("RESIDUAL") == "1"
    all_pairs = learning._all_pairs()
    scorers = {}
    for country in (*DEV_COUNTRIES, None):
        pairs = [p for c, p in all_pairs if c != country]
        posterior = expectation(fitted[country].to_latin, pairs, 0.9).posterior
        weighted = [
            (p.arabic, p.latin, p.tradition, round(float(w), 3))
            for p, w in zip(pairs, posterior, strict=True)
        ]
        groups = residual_groups(scored, country) if residual else ps.groups_of(confusable, country)
        scorers[country] = ps.cached_scorer(country, weighted, groups)
        # Held-out group accuracy: pair scorer vs the learned ratio.
        own = ps.groups_of([x for x in confusable if x[0] == country], None) if country else []
        right_ps = right_lr = 0
        for query, arabic_query, candidates in own:
            texts = [c[0] for c in candidates]
            kinds = [c[1] for c in candidates]
            if arabic_query:
                s = scorers[country].score([query] * len(texts), texts, kinds)
            else:
                s = scorers[country].score(texts, [query] * len(texts), kinds)
            lr = fitted[country].log_ratio(
                [query] * len(texts), texts, kinds, [arabic_query] * len(texts)
            )
            truth = [c[2] for c in candidates]
            right_ps += truth[int(np.argmax(s))]
            right_lr += truth[int(np.argmax(lr))]
        if country:
            base_right = both_right = 0
            for query, arabic_query, candidates in residual_groups(
                [x for x in scored if x[0] == country], None
            ):
                texts = [c[0] for c in candidates]
                kinds = [c[1] for c in candidates]
                if arabic_query:
                    s = scorers[country].score([query] * len(texts), texts, kinds)
                else:
                    s = scorers[country].score(texts, [query] * len(texts), kinds)
                base = np.array([c[3] for c in candidates])
                truth = [c[2] for c in candidates]
                base_right += truth[int(np.argmax(base))]
                both_right += truth[int(np.argmax(base + s))]
            say(f"  engine groups: engine {base_right}, engine + scorer {both_right}")
        say(
            f"scorer {country}: groups {len(own)} pair-scorer {right_ps} learned {right_lr}",
            time.time() - t,
        )
    shipped = default_parameters()
    weights = [float(w) for w in (sys.argv[1:] or ["0", "1", "2", "4"])]
    for weight in weights:
        outcomes = learning.loco(
            lambda c, w=weight: replace(
                shipped, transliteration=fitted[c], pair_scorer=scorers[c], pair_weight=w
            ),
            hints=(False,),
        )
        ar = [o for o in outcomes if o.direction == "Ar→En"]
        en = [o for o in outcomes if o.direction == "En→Ar"]
        line = []
        for name, chosen in (("Ar→En", ar), ("En→Ar", en)):
            top1 = np.mean([o.correct for o in chosen])
            top3 = np.mean([o.top3 for o in chosen])
            per = {c: np.mean([o.correct for o in chosen if o.country == c]) for c in DEV_COUNTRIES}
            worst = min(per, key=per.get)
            line.append(
                f"{name} {top1:.4f}/{top3:.4f} mean-of-countries {np.mean(list(per.values())):.3f}"
                f" worst {worst} {per[worst]:.3f}"
            )
        say(f"weight {weight}: " + "; ".join(line), time.time() - t)
        (OUT / f"loco-{weight}.pkl").write_bytes(pickle.dumps(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
