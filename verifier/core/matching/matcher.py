"""Match raw city labels against a gazetteer."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from verifier.core import parallel
from verifier.core.matching import bulk, exonyms
from verifier.core.matching.bands import AUTO_MIN_SCORE, COUNTRY_PENALTY, band_for
from verifier.core.matching.forms import NameForm, analyse, label_keys
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.index import NameIndex
from verifier.core.matching.result import NONE, Candidate, MatchResult
from verifier.core.matching.scoring import EXACT_SCORE, pair_value, score_pair

# Names per query form given the full scoring after the vectorised first pass.
PREFILTER_KEEP = 8
# Distinct labels from which a forked copy of the process matches half of a batch
# (core/parallel.py): below, forking and sending the results back cost more than they save.
PARALLEL_FROM_LABELS = 500
_NO_SLOTS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class QueryForm:
    """A form to look up for a query: one of its own readings, or a spelling its exonym
    group lends it (then only cities of the group's country may use it)."""

    form: NameForm
    exonym_country: str | None = None
    via: str = ""
    # How closely the query matched the listed spelling that lent this form (1: the same).
    similarity: float = 1.0


class Hit(NamedTuple):
    """The best match found so far for one city: its score and what produced it."""

    score: float
    record_id: int
    query_form: QueryForm | None  # None: the whole label is one of the city's names
    name_form: NameForm | None  # the record's form, or one word of it (partial.py)


def _query_forms(texts: Sequence[str]) -> dict[str, list[QueryForm]]:
    """Each label's own forms, then the spellings their exonym groups lend them."""
    bulk.prepare_words(list(texts))
    own = {text: analyse(text, spans=True) for text in texts}
    searched = [
        (text, form) for text, forms in own.items() for form in forms if not form.speculative
    ]
    result = {text: [QueryForm(form) for form in forms] for text, forms in own.items()}
    for (text, form), found in zip(searched, exonyms.links([f for _, f in searched]), strict=True):
        for link in found:
            for spelling in link.group.forms:
                for lent in exonyms.spelling_forms(spelling):
                    if lent.plain != form.plain:
                        lent = replace(lent, dropped_words=form.dropped_words)
                        result[text].append(
                            QueryForm(lent, link.group.country, spelling, link.similarity)
                        )
    return result


def _slots(shortlisted: dict[str, np.ndarray], keys: tuple[str, ...]) -> np.ndarray:
    found = [shortlisted[key] for key in keys if key in shortlisted]
    if len(found) == 1:
        return found[0]
    return np.unique(np.concatenate(found)) if found else _NO_SLOTS


def _fallback(query_form: QueryForm) -> bool:
    return query_form.form.speculative or query_form.form.dropped_words > 0


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Building and matching create many small objects and no cycles: pausing the cyclic
    garbage collector saves it from scanning the index's hundreds of thousands of objects
    over and over (a quarter of the build time, a third of a batch's)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


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
        with _collector_paused():
            return cls(NameIndex(entries))

    @property
    def entries(self) -> list[GazetteerEntry]:
        return self._index.entries

    def match(self, query: str, country: str | None = None, top: int = 5) -> MatchResult:
        return self.match_many([(query, country)], top=top)[0]

    def match_many(
        self, queries: Sequence[tuple[str, str | None]], top: int = 5, explain: bool = True
    ) -> list[MatchResult]:
        """Match a batch; identical labels are analysed and shortlisted once.

        A label's fallback readings (a guessed reversal, part of its words, a longer name it
        is one word of) are scored only when its own reading finds no city at ``auto``
        level: they cannot score higher, and skipping them keeps large batches fast.

        Without ``explain`` the candidates carry no ``parts`` (their scores, bands and
        margins are the same): for callers that only keep the ranking, such as a results
        file, and save the time of explaining every candidate.

        Labels are matched independently of one another, so a large batch is split with a
        forked copy of the process (``core/parallel.py``).
        """
        with _collector_paused():
            return self._match_many(queries, top, explain)

    def _match_many(
        self, queries: Sequence[tuple[str, str | None]], top: int, explain: bool
    ) -> list[MatchResult]:
        hints = [
            country.strip().upper() if country and country.strip() else None
            for _, country in queries
        ]
        # Each label's hints, in order: labels are matched independently of one another.
        wanted: dict[str, dict[str | None, None]] = {}
        for (text, _), hint in zip(queries, hints, strict=True):
            wanted.setdefault(text, {})[hint] = None
        texts = list(wanted)
        if parallel.worthwhile(len(texts), PARALLEL_FROM_LABELS):
            cut = len(texts) // 2
            results, theirs = parallel.beside(
                lambda: self._results(texts[:cut], wanted, top, explain),
                lambda: self._results(texts[cut:], wanted, top, explain),
            )
            if theirs is None:  # the copy failed: its half is matched here
                theirs = self._results(texts[cut:], wanted, top, explain)
            results.update(theirs)
        else:
            results = self._results(texts, wanted, top, explain)
        return [results[text, hint] for (text, _), hint in zip(queries, hints, strict=True)]

    def _results(
        self,
        texts: list[str],
        wanted: dict[str, dict[str | None, None]],
        top: int,
        explain: bool,
    ) -> dict[tuple[str, str | None], MatchResult]:
        """The result of each label of ``texts`` with each of its ``wanted`` hints."""
        forms_by_text = _query_forms(texts)
        labels = dict(zip(texts, label_keys(texts), strict=True))
        primary = {
            text: [f for f in forms if not _fallback(f)] for text, forms in forms_by_text.items()
        }
        best_by_text = self._score_forms(primary, labels)
        needing = {
            text: [f for f in forms_by_text[text] if _fallback(f)]
            for text, best in best_by_text.items()
            if max((hit.score for hit in best.values()), default=0.0) < AUTO_MIN_SCORE
        }
        for text, extra in self._score_forms(needing, labels, best_by_text).items():
            self._add_partial_names(primary[text], extra)
            best_by_text[text] = extra
        return {
            (text, hint): self._result(text, labels[text], hint, best_by_text[text], top, explain)
            for text in texts
            for hint in wanted[text]
        }

    def _score_forms(
        self,
        forms_by_text: dict[str, list[QueryForm]],
        labels: dict[str, str],
        start: dict[str, dict[int, Hit]] | None = None,
    ) -> dict[str, dict[int, Hit]]:
        coarse_keys = list(
            dict.fromkeys(
                key
                for forms in forms_by_text.values()
                for qf in forms
                for key in qf.form.coarse_keys
                if key
            )
        )
        shortlisted = dict(zip(coarse_keys, self._index.shortlist(coarse_keys), strict=True))
        requests = [
            (qf.form.key_strings, _slots(shortlisted, qf.form.coarse_keys))
            for forms in forms_by_text.values()
            for qf in forms
        ]
        prefiltered = iter(self._index.prefilter(requests, PREFILTER_KEEP))
        return {
            text: self._best_per_city(
                labels[text],
                forms,
                [next(prefiltered) for _ in forms],
                dict(start[text]) if start is not None else None,
            )
            for text, forms in forms_by_text.items()
        }

    def _best_per_city(
        self,
        label: str,
        forms: list[QueryForm],
        prefiltered: list[list[int]],
        best: dict[int, Hit] | None = None,
    ) -> dict[int, Hit]:
        """Best hit per gazetteer city (by position), added to ``best`` when given; ``label``
        is the query's :func:`label_key`."""
        index = self._index
        if best is None:
            best = {}
            for record_id in index.label_hits(label):
                best[index.record_entries[record_id]] = Hit(EXACT_SCORE, record_id, None, None)
        record_entries, record_forms = index.record_entries, index.record_forms
        countries = index.city_countries
        for query_form, nearby in zip(forms, prefiltered, strict=True):
            form = query_form.form
            exact = index.exact_hits(form.plain)
            lent = query_form.similarity if query_form.via else None
            only = query_form.exonym_country
            for record_id in [*exact, *(r for r in nearby if r not in exact)]:
                position = record_entries[record_id]
                if only and countries[position] not in (only, ""):
                    continue
                name_form = record_forms[record_id]
                score = pair_value(form, name_form, lent)
                current = best.get(position)
                if current is None or score > current.score:
                    best[position] = Hit(score, record_id, query_form, name_form)
        return best

    def _add_partial_names(self, forms: list[QueryForm], best: dict[int, Hit]) -> None:
        """Names of which the label is one word (الكردي → Kafr al Kurdī), into ``best``."""
        for query_form in forms:
            if query_form.via or query_form.form.dropped_words:
                continue
            for record_id, span in self._index.words.lookup(query_form.form):
                score = pair_value(query_form.form, span)
                position = self._index.record_entries[record_id]
                current = best.get(position)
                if current is None or score > current.score:
                    best[position] = Hit(score, record_id, query_form, span)

    def _candidate(self, hit: Hit, label: str, hint: str | None, explain: bool) -> Candidate:
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
            pair = score_pair(query_form.form, hit.name_form, lent)
            score, query_text, name_text = pair.score, pair.query_form, pair.name_form
            parts = {"method": pair.method, **pair.parts}
        else:
            score, query_text, name_text = hit.score, query_form.form.plain, hit.name_form.plain
        country_match = _country_match(hint, entry.country)
        if country_match is False:
            score = max(score - COUNTRY_PENALTY, 0.0)
        if explain:
            if query_form is not None and query_form.form.reversed:
                parts["reversed"] = True
            if query_form is not None and query_form.via:
                parts["via_exonym"] = query_form.via
            if country_match is False:
                parts["country_penalty"] = -COUNTRY_PENALTY
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

    def _result(
        self,
        text: str,
        label: str,
        hint: str | None,
        best: dict[int, Hit],
        top: int,
        explain: bool,
    ) -> MatchResult:
        # Best first, then by city id; the running number keeps the order of equals as found.
        city_ids, countries = self._index.city_ids, self._index.city_countries
        ranked = [
            (
                -(
                    hit.score
                    - (COUNTRY_PENALTY if hint and countries[position] not in (hint, "") else 0.0)
                ),
                city_ids[position],
                number,
                position,
            )
            for number, (position, hit) in enumerate(best.items())
        ]
        ranked.sort()
        candidates = [
            self._candidate(best[position], label, hint, explain)
            for *_, position in ranked[: max(top, 2)]
        ]
        candidates.sort(key=lambda c: (-c.score, c.country_match is False, c.city_id))
        if not candidates:
            return MatchResult(text, hint, [], NONE, None)
        first = candidates[0]
        runner_up = next((c for c in candidates[1:] if c.city_id != first.city_id), None)
        margin = first.score - runner_up.score if runner_up else None
        band = band_for(first.score, margin, first.country_match)
        return MatchResult(text, hint, candidates[: max(top, 1)], band, margin)
