"""Match raw city labels against a gazetteer."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

import numpy as np

from verifier.core import parallel
from verifier.core.matching import bulk, exonyms, rescoring
from verifier.core.matching.foreign import ForeignCities, default_foreign_cities
from verifier.core.matching.forms import LATIN, NameForm, analyse, label_keys
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.hits import Hit, QueryForm
from verifier.core.matching.index import NameIndex
from verifier.core.matching.learned.parameters import MatchingParameters, default_parameters
from verifier.core.matching.learned.respelling import LEARNED_SPELLING, respelled_key
from verifier.core.matching.ranking import Ranker, separate_speculative
from verifier.core.matching.result import MatchResult
from verifier.core.matching.scoring import EXACT_SCORE, pair_value

# Names per query form given the full scoring after the vectorised first pass.
PREFILTER_KEEP = 8
# Distinct labels from which a forked copy of the process matches half of a batch
# (core/parallel.py): below, forking and sending the results back cost more than they save.
PARALLEL_FROM_LABELS = 500
# A label's fallback readings (a guessed reversal, part of its words, a longer name it is
# one word of) are scored only when its own reading finds no city at this score: with their
# penalties (8 points and more) they could not outrank it.
FALLBACK_BELOW = 95.0
_NO_SLOTS = np.zeros(0, dtype=np.int64)


def _query_forms(
    texts: Sequence[str], respellings: Sequence[tuple[str, str]] = ()
) -> dict[str, list[QueryForm]]:
    """Each label's own forms (with the spellings a workspace learned, when it has any),
    then the spellings their exonym groups lend them."""
    bulk.prepare_words(list(texts))
    own = {text: analyse(text, spans=True) for text in texts}
    if respellings:
        own = {
            text: [_respelled(form, respellings) for form in forms] for text, forms in own.items()
        }
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


def _respelled(form: NameForm, rules: Sequence[tuple[str, str]]) -> NameForm:
    if form.script != LATIN:
        return form
    key = respelled_key(form.plain.split(), rules)
    if key is None or key in form.key_strings:
        return form
    return replace(form, keys=(*form.keys, (LEARNED_SPELLING, key)))


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


class Matcher:
    """Scores gazetteer cities for raw labels in either script.

    Build once per gazetteer with :meth:`from_entries`; matching is then read-only, so one
    matcher can serve many threads.
    """

    def __init__(
        self,
        index: NameIndex,
        parameters: MatchingParameters | None = None,
        foreign: ForeignCities | None = None,
    ) -> None:
        self._index = index
        self.parameters = parameters if parameters is not None else default_parameters()
        self.foreign = foreign if foreign is not None else default_foreign_cities()
        self._ranker = Ranker(index, self.parameters.calibration, self.parameters.script_prior)

    @classmethod
    def from_entries(
        cls,
        entries: Iterable[GazetteerEntry],
        parameters: MatchingParameters | None = None,
        foreign: ForeignCities | None = None,
    ) -> Matcher:
        """A matcher over ``entries``; ``parameters`` replaces the shipped parameter file
        (learned/parameters.py), e.g. with a model adapted to a workspace's confirmations;
        ``foreign`` the shipped list of large cities elsewhere (foreign.py)."""
        with _collector_paused():
            return cls(NameIndex(entries), parameters, foreign)

    def with_parameters(self, parameters: MatchingParameters) -> Matcher:
        """The same index and list of large cities elsewhere with other parameters (no
        rebuild)."""
        return Matcher(self._index, parameters, self.foreign)

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
        forms_by_text = _query_forms(texts, self.parameters.respellings)
        labels = dict(zip(texts, label_keys(texts), strict=True))
        primary = {
            text: [f for f in forms if not _fallback(f)] for text, forms in forms_by_text.items()
        }
        best_by_text = self._score_forms(primary, labels)
        needing = {
            text: [f for f in forms_by_text[text] if _fallback(f)]
            for text, best in best_by_text.items()
            if max((hit.score for hit in best.values()), default=0.0) < FALLBACK_BELOW
        }
        for text, extra in self._score_forms(needing, labels, best_by_text).items():
            self._add_partial_names(primary[text], extra)
            best_by_text[text] = extra
        parameters = self.parameters
        rescoring.rescore(
            parameters.transliteration,
            parameters.learned_weight,
            parameters.learned_candidates,
            best_by_text,
            self._index.city_countries,
        )
        for best in best_by_text.values():
            separate_speculative(best)
        named_abroad = {
            text: self.foreign.countries([qf.form for qf in forms if not qf.via])
            for text, forms in primary.items()
        }
        return {
            (text, hint): self._ranker.result(
                text, labels[text], hint, best_by_text[text], top, explain, named_abroad[text]
            )
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
                score = pair_value(form, name_form, lent, countries[position])
                current = best.get(position)
                if current is None or score > current.score:
                    best[position] = Hit(score, record_id, query_form, name_form)
        return best

    def _add_partial_names(self, forms: list[QueryForm], best: dict[int, Hit]) -> None:
        """Names of which the label is one word (الكردي → Kafr al Kurdī), into ``best``."""
        countries = self._index.city_countries
        for query_form in forms:
            if query_form.via or query_form.form.dropped_words:
                continue
            for record_id, span in self._index.words.lookup(query_form.form):
                position = self._index.record_entries[record_id]
                score = pair_value(query_form.form, span, None, countries[position])
                current = best.get(position)
                if current is None or score > current.score:
                    best[position] = Hit(score, record_id, query_form, span)
