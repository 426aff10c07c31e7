"""Match raw city labels against a gazetteer."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from verifier.core.matching import exonyms
from verifier.core.matching.bands import AUTO_MIN_SCORE, COUNTRY_PENALTY, band_for
from verifier.core.matching.forms import NameForm, analyse, label_key
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.index import NameIndex
from verifier.core.matching.result import NONE, Candidate, MatchResult
from verifier.core.matching.scoring import EXACT_SCORE, PairScore, score_pair

# Names per query form given the full scoring after the vectorised first pass.
PREFILTER_KEEP = 12
_NO_SLOTS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class QueryForm:
    """A form to look up for a query: one of its own readings, or a spelling its exonym
    group lends it (then only cities of the group's country may use it)."""

    form: NameForm
    exonym_country: str | None = None
    via: str = ""


def _query_forms(text: str) -> list[QueryForm]:
    own = analyse(text, spans=True)
    forms = [QueryForm(form) for form in own]
    for form in own:
        if form.speculative:
            continue
        for group in exonyms.lookup(form.plain):
            for spelling in group.forms:
                for lent in exonyms.spelling_forms(spelling):
                    if lent.plain != form.plain:
                        lent = replace(lent, dropped_words=form.dropped_words)
                        forms.append(QueryForm(lent, group.country, spelling))
    return forms


def _fallback(query_form: QueryForm) -> bool:
    return query_form.form.speculative or query_form.form.dropped_words > 0


def _country_match(hint: str | None, country: str) -> bool | None:
    if not hint or not country:
        return None
    return hint == country


class Matcher:
    """Scores gazetteer cities for raw labels in either script.

    Build once per gazetteer with :meth:`from_entries`; matching is then read-only, so one
    matcher can serve many threads.
    """

    def __init__(self, index: NameIndex) -> None:
        self._index = index

    @classmethod
    def from_entries(cls, entries: Iterable[GazetteerEntry]) -> Matcher:
        # Building creates a few objects per name and none of them cyclic: pausing the
        # cyclic collector saves it from scanning them over and over (a quarter of the time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            return cls(NameIndex(entries))
        finally:
            if collecting:
                gc.enable()

    @property
    def entries(self) -> list[GazetteerEntry]:
        return self._index.entries

    def match(self, query: str, country: str | None = None, top: int = 5) -> MatchResult:
        return self.match_many([(query, country)], top=top)[0]

    def match_many(
        self, queries: Sequence[tuple[str, str | None]], top: int = 5
    ) -> list[MatchResult]:
        """Match a batch; identical labels are analysed and shortlisted once.

        A label's fallback readings (a guessed reversal, part of its words) are scored only
        when its own reading finds no city at ``auto`` level: they cannot score higher, and
        skipping them keeps large batches fast.
        """
        texts = list(dict.fromkeys(text for text, _ in queries))
        forms_by_text = {text: _query_forms(text) for text in texts}
        primary = {
            text: [f for f in forms if not _fallback(f)] for text, forms in forms_by_text.items()
        }
        best_by_text = self._score_forms(primary)
        needing = {
            text: [f for f in forms_by_text[text] if _fallback(f)]
            for text, best in best_by_text.items()
            if max((pair.score for pair, _, _ in best.values()), default=0.0) < AUTO_MIN_SCORE
        }
        for text, extra in self._score_forms(needing, best_by_text).items():
            best_by_text[text] = extra
        cache: dict[tuple[str, str | None], MatchResult] = {}
        results = []
        for text, country in queries:
            hint = country.strip().upper() if country and country.strip() else None
            key = (text, hint)
            if key not in cache:
                cache[key] = self._result(text, hint, best_by_text[text], top)
            results.append(cache[key])
        return results

    def _score_forms(
        self,
        forms_by_text: dict[str, list[QueryForm]],
        start: dict[str, dict[int, tuple[PairScore, int, QueryForm]]] | None = None,
    ) -> dict[str, dict[int, tuple[PairScore, int, QueryForm]]]:
        coarse_keys = list(
            dict.fromkeys(
                qf.form.coarse for forms in forms_by_text.values() for qf in forms if qf.form.coarse
            )
        )
        shortlisted = dict(zip(coarse_keys, self._index.shortlist(coarse_keys), strict=True))
        return {
            text: self._best_per_city(
                text, forms, shortlisted, dict(start[text]) if start is not None else None
            )
            for text, forms in forms_by_text.items()
        }

    def _best_per_city(
        self,
        text: str,
        forms: list[QueryForm],
        shortlisted: dict[str, np.ndarray],
        best: dict[int, tuple[PairScore, int, QueryForm]] | None = None,
    ) -> dict[int, tuple[PairScore, int, QueryForm]]:
        """Best pair per gazetteer city (by position), added to ``best`` when given."""
        index = self._index
        if best is None:
            best = {}
            whole = label_key(text)
            for record_id in index.label_hits(text):
                record = index.records[record_id]
                parts: dict[str, float | str] = {"exact": EXACT_SCORE, "label": 1}
                pair = PairScore(EXACT_SCORE, "exact", whole, whole, parts)
                best[record.entry] = (pair, record_id, QueryForm(record.form))
        for query_form in forms:
            form = query_form.form
            exact = index.exact_hits(form.plain)
            slots = shortlisted.get(form.coarse, _NO_SLOTS)
            nearby = index.prefilter(list(form.key_strings), slots, PREFILTER_KEEP)
            for record_id in [*exact, *(r for r in nearby if r not in exact)]:
                record = index.records[record_id]
                country = index.entries[record.entry].country
                if query_form.exonym_country and country not in (query_form.exonym_country, ""):
                    continue
                pair = score_pair(form, record.form, lent=bool(query_form.via))
                current = best.get(record.entry)
                if current is None or pair.score > current[0].score:
                    best[record.entry] = (pair, record_id, query_form)
        return best

    def _conflicts(self, hint: str | None, position: int) -> bool:
        return _country_match(hint, self._index.entries[position].country) is False

    def _candidate(
        self, pair: PairScore, record_id: int, query_form: QueryForm, hint: str | None
    ) -> Candidate:
        record = self._index.records[record_id]
        entry = self._index.entries[record.entry]
        parts: dict[str, object] = {"method": pair.method, **pair.parts}
        if query_form.form.reversed:
            parts["reversed"] = True
        if query_form.via:
            parts["via_exonym"] = query_form.via
        score = pair.score
        country_match = _country_match(hint, entry.country)
        if country_match is False:
            score = max(score - COUNTRY_PENALTY, 0.0)
            parts["country_penalty"] = -COUNTRY_PENALTY
        if hint and hint not in self._index.countries:
            parts["hint_not_in_gazetteer"] = hint
        return Candidate(
            city_id=entry.city_id,
            score=round(score, 2),
            matched_field="exonym" if query_form.via else record.field,
            matched_name=record.text,
            query_form=pair.query_form,
            name_form=pair.name_form,
            parts=parts,
            country_match=country_match,
            country=entry.country,
        )

    def _result(
        self,
        text: str,
        hint: str | None,
        best: dict[int, tuple[PairScore, int, QueryForm]],
        top: int,
    ) -> MatchResult:
        hinted = [
            (pair.score - (COUNTRY_PENALTY if self._conflicts(hint, position) else 0.0), position)
            for position, (pair, _, _) in best.items()
        ]
        hinted.sort(key=lambda item: (-item[0], self._index.entries[item[1]].city_id))
        candidates = [
            self._candidate(*best[position], hint) for _, position in hinted[: max(top, 2)]
        ]
        candidates.sort(key=lambda c: (-c.score, c.country_match is False, c.city_id))
        if not candidates:
            return MatchResult(text, hint, [], NONE, None)
        first = candidates[0]
        runner_up = next((c for c in candidates[1:] if c.city_id != first.city_id), None)
        margin = first.score - runner_up.score if runner_up else None
        band = band_for(first.score, margin, first.country_match)
        return MatchResult(text, hint, candidates[: max(top, 1)], band, margin)
