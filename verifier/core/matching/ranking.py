"""From the best hit per city to a ranked, explained, banded result.

Three adjustments are made while ranking, all shown in the explanation:

* the country hint: a candidate of another country loses COUNTRY_PENALTY points;
* the script prior: an Arabic-script label with no hint prefers cities of the
  Arabic-speaking countries, so a candidate elsewhere loses the prior's points (a Brazilian
  or Indian town that an Arabic name spells equally well);
* a speculative reversed reading never ties the label's own reading: its candidates score
  at least REVERSED_TIE_GAP below the best the label's own reading found, unless they beat
  it outright.

The band comes from the calibrated probability (``calibration.py``); a label that is also
the name of a large city in another country (``foreign.py``) needs a country hint for
``auto``.
"""

from __future__ import annotations

from verifier.core.matching import calibration as calibrating
from verifier.core.matching.calibration import COUNTRY_PENALTY, Calibration
from verifier.core.matching.cleanup import has_arabic
from verifier.core.matching.hits import Hit
from verifier.core.matching.index import NameIndex
from verifier.core.matching.result import AUTO, NONE, REVIEW, Candidate, MatchResult
from verifier.core.matching.romanised import P_AND_V, SHORT_VOWELS_DROPPED
from verifier.core.matching.scoring import EXACT_SCORE, score_pair

# Countries where Arabic is spoken and Arab place names are written in Arabic: the League's
# members, Western Sahara, Chad and Israel.
ARABIC_SPEAKING = frozenset(
    (
        *("AE", "BH", "DJ", "DZ", "EG", "IQ", "JO", "KM", "KW", "LB", "LY", "MA", "MR", "OM"),
        *("PS", "QA", "SA", "SD", "SO", "SY", "TN", "YE", "EH", "TD", "IL"),
    )
)
# A speculative reading scores at least this far below the label's own best.
REVERSED_TIE_GAP = 0.5
# Readings that guess rather than read (the calibration weighs them).
GUESSED_READINGS = frozenset({SHORT_VOWELS_DROPPED, P_AND_V})


def _off_prior(country: str, foreign: frozenset[str]) -> bool:
    """The script prior's points come off ``country``'s candidates: outside the
    Arabic-speaking countries, unless the label names a large city there."""
    return bool(country) and country not in ARABIC_SPEAKING and country not in foreign


def _country_match(hint: str | None, country: str) -> bool | None:
    if not hint or not country:
        return None
    return hint == country


def separate_speculative(best: dict[int, Hit]) -> None:
    """Keep every speculative reversed reading's candidate below the best candidate of the
    label's own reading unless it beats it outright (in place)."""
    direct = max(
        (
            hit.score
            for hit in best.values()
            if hit.query_form is None or not hit.query_form.form.speculative
        ),
        default=None,
    )
    if direct is None:
        return
    ceiling = direct - REVERSED_TIE_GAP
    for position, hit in list(best.items()):
        speculative = hit.query_form is not None and hit.query_form.form.speculative
        if speculative and ceiling < hit.score <= direct:
            best[position] = hit._replace(score=ceiling)


class Ranker:
    def __init__(self, index: NameIndex, calibration: Calibration, script_prior: float) -> None:
        self._index = index
        self._calibration = calibration
        self._script_prior = script_prior

    def prior(self, text: str, hint: str | None) -> float:
        """Points off candidates outside ARABIC_SPEAKING for this label."""
        return self._script_prior if hint is None and has_arabic(text) else 0.0

    def _adjustment(
        self, country: str, hint: str | None, prior: float, foreign: frozenset[str]
    ) -> float:
        if hint:
            return COUNTRY_PENALTY if country not in (hint, "") else 0.0
        return prior if _off_prior(country, foreign) else 0.0

    def result(
        self,
        text: str,
        label: str,
        hint: str | None,
        best: dict[int, Hit],
        top: int,
        explain: bool,
        foreign: frozenset[str] = frozenset(),
    ) -> MatchResult:
        """The ranked result of ``text`` (whose :func:`label_key` is ``label``); ``foreign``
        holds the countries with a large city of that name (``foreign.py``)."""
        city_ids, countries = self._index.city_ids, self._index.city_countries
        prior = self.prior(text, hint)
        # Best first, then by city id; the running number keeps the order of equals as found.
        if hint or prior:
            adjust = self._adjustment
            ranked = [
                (
                    -(hit.score - adjust(countries[position], hint, prior, foreign)),
                    city_ids[position],
                    number,
                    position,
                )
                for number, (position, hit) in enumerate(best.items())
            ]
        else:
            ranked = [
                (-hit.score, city_ids[position], number, position)
                for number, (position, hit) in enumerate(best.items())
            ]
        ranked.sort()
        chosen = [position for *_, position in ranked[: max(top, 2)]]
        candidates = [
            self._candidate(best[p], label, hint, prior, explain, foreign) for p in chosen
        ]
        order = sorted(
            range(len(candidates)),
            key=lambda n: (
                -candidates[n].score,
                candidates[n].country_match is False,
                candidates[n].city_id,
            ),
        )
        candidates = [candidates[n] for n in order]
        hits = [best[chosen[n]] for n in order]
        if not candidates:
            return MatchResult(text, hint, [], NONE, None)
        first = candidates[0]
        runner_up = next((c for c in candidates[1:] if c.city_id != first.city_id), None)
        margin = first.score - runner_up.score if runner_up else None
        evidence = self._features(hits[0], first, margin, best, hint)
        confidence = self._calibration.probability(evidence)
        band = self._calibration.band(first.score, confidence, first.country_match)
        if band == AUTO and hint is None and foreign and first.country not in foreign:
            band = REVIEW
            if explain:
                first.parts["foreign_homonym"] = ",".join(sorted(foreign))
        return MatchResult(
            text, hint, candidates[: max(top, 1)], band, margin, round(confidence, 6), evidence
        )

    def _features(
        self,
        hit: Hit,
        first: Candidate,
        margin: float | None,
        best: dict[int, Hit],
        hint: str | None,
    ) -> dict[str, float]:
        query_form = hit.query_form
        exact = query_form is None or hit.name_form is None
        guessed = False
        left_out = 0
        if query_form is not None and hit.name_form is not None:
            pair = score_pair(
                query_form.form,
                hit.name_form,
                query_form.similarity if query_form.via else None,
                first.country,
            )
            exact = pair.method == "exact"
            guessed = (
                pair.parts.get("variant") in GUESSED_READINGS
                or (bool(query_form.via) and query_form.similarity < 1.0)
                or hit.name_form.dropped_words > 0
            )
            left_out = query_form.form.dropped_words + hit.name_form.dropped_words
        learned_agrees: bool | None = None
        if hit.learned is not None:
            others = [
                other.learned
                for other in best.values()
                if other.learned is not None and other is not hit
            ]
            learned_agrees = all(hit.learned >= value for value in others) if others else None
        return calibrating.features(
            first.score,
            margin,
            exact=exact or first.score >= EXACT_SCORE,
            guessed=guessed,
            left_out=left_out,
            learned=hit.learned,
            learned_agrees=learned_agrees,
            cross_script=hit.cross_script,
            exonym=bool(query_form is not None and query_form.via),
            hint_agrees=first.country_match is True,
        )

    def _candidate(
        self,
        hit: Hit,
        label: str,
        hint: str | None,
        prior: float,
        explain: bool,
        foreign: frozenset[str] = frozenset(),
    ) -> Candidate:
        index = self._index
        entry = index.entries[index.record_entries[hit.record_id]]
        query_form = hit.query_form
        parts: dict[str, object] = {}
        if query_form is None or hit.name_form is None:  # the whole label is a known name
            score = EXACT_SCORE
            query_text = name_text = label
            if explain:
                parts = {"method": "exact", "exact": EXACT_SCORE, "label": 1}
        elif explain:
            lent = query_form.similarity if query_form.via else None
            pair = score_pair(query_form.form, hit.name_form, lent, entry.country)
            score = hit.score
            query_text, name_text = pair.query_form, pair.name_form
            parts = {"method": pair.method, **pair.parts}
            if hit.learned is not None:
                parts["learned"] = round(hit.learned, 1)
                parts["learned_delta"] = round(hit.learned_delta, 2)
        else:
            score, query_text, name_text = hit.score, query_form.form.plain, hit.name_form.plain
        country_match = _country_match(hint, entry.country)
        if country_match is False:
            score = max(score - COUNTRY_PENALTY, 0.0)
        off_prior = prior and not hint and _off_prior(entry.country, foreign)
        if off_prior:
            score = max(score - prior, 0.0)
        if explain:
            if query_form is not None and query_form.form.reversed:
                parts["reversed"] = True
            if query_form is not None and query_form.via:
                parts["via_exonym"] = query_form.via
            if country_match is False:
                parts["country_penalty"] = -COUNTRY_PENALTY
            if off_prior:
                parts["script_prior"] = -prior
            if hint and hint not in index.countries:
                parts["hint_not_in_gazetteer"] = hint
        return Candidate(
            city_id=entry.city_id,
            score=round(score, 2),
            matched_field=(
                "exonym"
                if query_form is not None and query_form.via
                else index.record_fields[hit.record_id]
            ),
            matched_name=index.record_texts[hit.record_id],
            query_form=query_text,
            name_form=name_text,
            parts=parts,
            country_match=country_match,
            country=entry.country,
        )
