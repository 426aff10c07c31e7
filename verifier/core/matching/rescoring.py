"""The learned transliteration model as one more scorer.

After the rules have scored every shortlisted name, the best few candidates of each label
whose best pair crosses scripts are scored again by the learned model
(``learned/model.py``): the probability that the candidate's name, in the table of its
country's romanisation tradition, writes the label, on the forms the normaliser produced.
The query is the same for all of a label's candidates, so their log-likelihood ratios
compare directly: a candidate that explains the label less well than the best of them
loses points in proportion,

    score −= LEARNED_WEIGHT · (best ratio among the label's candidates − its ratio)

(nats per symbol), and the candidate the model prefers keeps its rule score. So the model
reorders close candidates without moving a label's scores against candidates it does not
score (exact names, exonyms, names in the label's own script). The weight is fitted
leave-one-country-out on the dev countries (parameter file). All the pairs of a batch are
scored in one array pass, and a label whose best hit is exact is left alone.
"""

from __future__ import annotations

import heapq

from verifier.core.matching import traditions
from verifier.core.matching.forms import ARABIC
from verifier.core.matching.hits import Hit
from verifier.core.matching.learned.model import TransliterationModel
from verifier.core.matching.scoring import EXACT_SCORE


def rescore(
    model: TransliterationModel | None,
    weight: float,
    candidates: int,
    best_by_text: dict[str, dict[int, Hit]],
    countries: list[str],
) -> None:
    """Blend the learned similarity into the best ``candidates`` hits of each label (in
    place); ``countries`` gives each city's country by position."""
    if model is None or candidates <= 0:
        return
    chosen: list[tuple[dict[int, Hit], int, Hit]] = []
    queries: list[str] = []
    names: list[str] = []
    kinds: list[str] = []
    arabic_queries: list[bool] = []
    for best in best_by_text.values():
        if not best:
            continue
        top = heapq.nlargest(candidates, best.items(), key=lambda item: item[1].score)
        if top[0][1].score >= EXACT_SCORE:
            continue
        for position, hit in top:
            query_form, name_form = hit.query_form, hit.name_form
            if query_form is None or name_form is None or query_form.via:
                continue
            if query_form.form.script == name_form.script:
                continue
            queries.append(query_form.form.model_text)
            names.append(name_form.model_text)
            arabic_queries.append(query_form.form.script == ARABIC)
            kinds.append(traditions.primary(countries[position]))
            chosen.append((best, position, hit))
    if not chosen:
        return
    ratios = model.log_ratio(queries, names, kinds, arabic_queries)
    similarities = model.similarity_of(ratios, arabic_queries).tolist()
    # The best ratio among each label's rescored candidates (the query is the same for all
    # of them, so their ratios compare directly).
    best_ratio: dict[int, float] = {}
    for (best, _, _), ratio in zip(chosen, ratios.tolist(), strict=True):
        best_ratio[id(best)] = max(best_ratio.get(id(best), ratio), ratio)
    for (best, position, hit), ratio, learned in zip(
        chosen, ratios.tolist(), similarities, strict=True
    ):
        delta = -weight * (best_ratio[id(best)] - ratio)
        best[position] = hit._replace(
            score=max(hit.score + delta, 0.0), learned=learned, learned_delta=delta
        )
