"""A learned transliteration model: how likely a spelling in one script is of a name in the
other.

The model is a pair of channels. In the channel from Arabic to Latin, each Arabic letter of
a name, in order, writes a Latin segment of zero to three symbols (ب writes "b" or "ba" or
"bou"; ع often writes nothing); in the channel from Latin to Arabic each Latin symbol
writes zero to two Arabic letters. Their probabilities are learned from name pairs
(``training.py``), with a table per romanisation tradition (``traditions.py``). The
probability of a spelling sums over every way of cutting it into segments (the forward
algorithm, run on a whole batch of pairs at once with arrays).

A query is scored against a candidate through the channel that writes the *query* from the
*candidate*, P(query | candidate): the query is the same for all of its candidates, so the
probabilities rank the candidates directly. Against a background model of the query's
script alone (letter bigrams), the log-likelihood ratio per symbol says how much better the
candidate explains the query than chance does; a logistic curve fitted on true and
confusable pairs turns it into a similarity from 0 to 100.

The parameters ship in ``transliteration.json`` beside this module, written by
``benchmarks/train_matching.py`` from name pairs of the dev countries only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from verifier.core.matching.learned.alphabet import ARABIC, LATIN, SEGMENT_CODES, Script
from verifier.core.matching.learned.batch import CONTEXTS, Batch

PARAMETER_FILE = Path(__file__).with_name("transliteration.json")
FORMAT = "verifier-transliteration/2"
# Probability of a segment the training never saw a symbol write.
UNSEEN = 1e-7
# Prior strength, in observations, of a symbol's context-free table over one context's.
CONTEXT_PRIOR = 10.0
# Counts below this are left out of the parameter file.
KEPT_COUNT = 0.2
# Pairs per array pass: bounds the arrays of a pass to a few megabytes.
CHUNK = 2048
# Prior strength, in observations, of the all-traditions table over one tradition's own.
TRADITION_PRIOR = 30.0
# Longest segment each channel writes per source symbol.
LONGEST = {"arabic": 3, "latin": 2}


@dataclass
class Counts:
    """Expected segment counts per tradition (row 0: all traditions), source symbol and
    vocabulary segment, and the target bigram counts of the background model."""

    traditions: tuple[str, ...]
    codes: np.ndarray  # vocabulary: target segment codes, code 0 (the empty segment) first
    table: np.ndarray  # (traditions, source units, len(codes)) float64: see ``units``
    bigrams: np.ndarray  # (target.size + 1, target.size + 1): previous symbol, next (+ end)
    pairs: float = 0.0  # weighted training pairs behind the counts


@dataclass
class Channel:
    """P(target text | source text): each source symbol writes a target segment."""

    source: Script
    target: Script
    counts: Counts
    # Similarity = 100 · sigmoid(slope · (log-likelihood ratio per symbol − centre)).
    slope: float = 4.0
    centre: float = 0.0

    def __post_init__(self) -> None:
        self.longest = LONGEST[self.source.name]
        self.contexts = CONTEXTS[self.source.name]
        self._probabilities = probabilities(self.counts, self.contexts)
        self._columns = np.full(SEGMENT_CODES, len(self.counts.codes), dtype=np.int64)
        self._columns[self.counts.codes] = np.arange(len(self.counts.codes))
        self._background = background(self.counts.bigrams)
        self._tradition_rows = {name: row for row, name in enumerate(self.counts.traditions)}

    def tradition_row(self, tradition: str) -> int:
        """The table of a tradition; the all-traditions table for one it has not learned."""
        return self._tradition_rows.get(tradition, 0)

    def log_ratio(
        self, sources: Sequence[str], targets: Sequence[str], traditions: Sequence[str]
    ) -> np.ndarray:
        """Per pair: (log P(target | source) − log P_background(target)) / (symbols + 1)."""
        result = np.zeros(len(sources), dtype=np.float64)
        if not len(sources):
            return result
        rows = np.array([self.tradition_row(t) for t in traditions], dtype=np.int64)
        order = sorted(range(len(sources)), key=lambda n: (len(sources[n]), len(targets[n])))
        for start in range(0, len(order), CHUNK):
            chunk = order[start : start + CHUNK]
            batch = Batch.of(
                [sources[n] for n in chunk], [targets[n] for n in chunk], rows[chunk], self
            )
            total = batch.forward(keep=False)[-1][np.arange(len(chunk)), batch.ends]
            channel = np.log(np.maximum(total, 1e-300))
            result[chunk] = (channel - self.background_log(batch)) / (batch.ends + 1)
        return result

    def similarity(self, ratio: np.ndarray) -> np.ndarray:
        return 100.0 / (1.0 + np.exp(-self.slope * (ratio - self.centre)))

    def background_log(self, batch: Batch) -> np.ndarray:
        """log P(target) under the letter-bigram background model, per pair of a batch."""
        target = batch.target
        previous = np.zeros_like(target)
        previous[:, 1:] = target[:, :-1]
        logs = np.where(target > 0, self._background[previous, target], 0.0)
        last = target[np.arange(len(target)), np.maximum(batch.ends - 1, 0)]
        last = np.where(batch.ends > 0, last, 0)
        return logs.sum(axis=1) + self._background[last, self.target.size]

    def emission(self) -> np.ndarray:
        """(traditions, source symbols) rows over the vocabulary columns, then the unseen
        column and the impossible column (probability 0)."""
        return self._probabilities

    def columns(self, codes: np.ndarray) -> np.ndarray:
        """Vocabulary columns of segment codes; -1 (no segment) to the impossible column."""
        found = self._columns[np.maximum(codes, 0)]
        return np.where(codes < 0, len(self.counts.codes) + 1, found)

    def top_segments(
        self, symbol: str, tradition: str = "", count: int = 5, context: int = 1
    ) -> list[tuple[str, float]]:
        """The segments a source symbol most often writes in a context class (``units``),
        for people reading the model."""
        unit = self.source.index[symbol] * self.contexts + context
        row = self._probabilities[self.tradition_row(tradition), unit]
        best = np.argsort(-row[: len(self.counts.codes)], kind="stable")[:count]
        return [(self.target.segment_text(int(self.counts.codes[c])), float(row[c])) for c in best]

    # -- the parameter file ----------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        counts = self.counts
        tables: dict[str, dict[str, dict[str, float]]] = {}
        for row, name in enumerate(counts.traditions):
            symbols: dict[str, dict[str, float]] = {}
            for number, symbol in enumerate(self.source.symbols, start=1):
                for context in range(self.contexts):
                    values = counts.table[row, number * self.contexts + context]
                    kept = np.flatnonzero(values >= KEPT_COUNT)
                    if len(kept):
                        symbols[f"{symbol}{context}"] = {
                            self.target.segment_text(int(counts.codes[c])): round(
                                float(values[c]), 1
                            )
                            for c in kept[np.argsort(-values[kept], kind="stable")]
                        }
            tables[name] = symbols
        previous_symbols = ["^", *self.target.symbols]
        size = self.target.size
        bigrams = {
            previous_symbols[p]: {
                ("$" if n == size else self.target.symbols[n - 1]): round(
                    float(counts.bigrams[p, n]), 1
                )
                for n in np.flatnonzero(counts.bigrams[p] >= 0.5)
                if n > 0
            }
            for p in range(size)
            if counts.bigrams[p].sum() >= 0.5
        }
        return {
            "writes": self.target.name,
            "contexts": self.contexts,
            "similarity": {"slope": round(self.slope, 4), "centre": round(self.centre, 4)},
            "pairs": round(counts.pairs, 1),
            "traditions": list(counts.traditions),
            "segment_counts": tables,
            "background_bigrams": bigrams,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Channel:
        target = ARABIC if data["writes"] == "arabic" else LATIN
        source = LATIN if target is ARABIC else ARABIC
        traditions = tuple(data["traditions"])
        tables = data["segment_counts"]
        segments = sorted(
            {segment for symbols in tables.values() for row in symbols.values() for segment in row}
            - {""}
        )
        codes = np.array([0, *(target.segment_code(s) for s in segments)], dtype=np.int64)
        column = {segment: number for number, segment in enumerate(["", *segments])}
        contexts = CONTEXTS[source.name]
        table = np.zeros((len(traditions), source.size * contexts, len(codes)), dtype=np.float64)
        for row, name in enumerate(traditions):
            for unit, values in tables.get(name, {}).items():
                at = source.index[unit[:-1]] * contexts + int(unit[-1])
                for segment, value in values.items():
                    table[row, at, column[segment]] = value
        bigrams = np.zeros((target.size + 1, target.size + 1), dtype=np.float64)
        for previous, following in data["background_bigrams"].items():
            p = 0 if previous == "^" else target.index[previous]
            for symbol, value in following.items():
                bigrams[p, target.size if symbol == "$" else target.index[symbol]] = value
        similarity = data.get("similarity", {})
        return cls(
            source,
            target,
            Counts(traditions, codes, table, bigrams, float(data.get("pairs", 0.0))),
            float(similarity.get("slope", 4.0)),
            float(similarity.get("centre", 0.0)),
        )


@dataclass
class TransliterationModel:
    """Both channels: ``to_latin`` writes Latin from Arabic, ``to_arabic`` the reverse."""

    to_latin: Channel
    to_arabic: Channel
    meta: dict[str, Any] = field(default_factory=dict)

    def channel(self, query_is_arabic: bool) -> Channel:
        """The channel that writes a query of that script from its candidates."""
        return self.to_arabic if query_is_arabic else self.to_latin

    def log_ratio(
        self,
        queries: Sequence[str],
        candidates: Sequence[str],
        traditions: Sequence[str],
        query_is_arabic: Sequence[bool],
    ) -> np.ndarray:
        """Per pair, the log-likelihood ratio per symbol of the query given the candidate
        (the other script), with the table of the candidate's tradition."""
        result = np.zeros(len(queries), dtype=np.float64)
        for arabic_query in (True, False):
            at = [n for n, flag in enumerate(query_is_arabic) if flag is arabic_query]
            if at:
                result[at] = self.channel(arabic_query).log_ratio(
                    [candidates[n] for n in at],
                    [queries[n] for n in at],
                    [traditions[n] for n in at],
                )
        return result

    def similarity(
        self,
        queries: Sequence[str],
        candidates: Sequence[str],
        traditions: Sequence[str],
        query_is_arabic: Sequence[bool],
    ) -> np.ndarray:
        """0 to 100 per pair: how surely the query spells the candidate (other script)."""
        ratio = self.log_ratio(queries, candidates, traditions, query_is_arabic)
        return self.similarity_of(ratio, query_is_arabic)

    def similarity_of(self, ratio: np.ndarray, query_is_arabic: Sequence[bool]) -> np.ndarray:
        """:meth:`similarity` from ratios already computed."""
        result = np.zeros(len(ratio), dtype=np.float64)
        flags = np.array(query_is_arabic, dtype=bool)
        for arabic_query in (True, False):
            mask = flags == arabic_query
            if mask.any():
                result[mask] = self.channel(arabic_query).similarity(ratio[mask])
        return result

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "meta": self.meta,
            "to_latin": self.to_latin.to_json(),
            "to_arabic": self.to_arabic.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TransliterationModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a transliteration parameter file ({data.get('format')!r})")
        return cls(
            Channel.from_json(data["to_latin"]),
            Channel.from_json(data["to_arabic"]),
            dict(data.get("meta", {})),
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", "utf-8")

    @classmethod
    def load(cls, path: Path) -> TransliterationModel:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def probabilities(counts: Counts, contexts: int) -> np.ndarray:
    """Smoothed emission probabilities from counts, backing off three times: a symbol's
    context-free table (all traditions) has a prior of one observation spread like the
    segments' overall frequency; a context's table has that one as a prior of
    CONTEXT_PRIOR observations; a tradition's table has the all-traditions one as a prior of
    TRADITION_PRIOR. Two columns are appended: unseen segments (UNSEEN) and impossible ones
    (0). The padding symbol writes the empty segment with probability 1, so that shorter
    sources in a batch stand still."""
    table = counts.table
    kinds, rows, width = table.shape
    symbols = rows // contexts
    every = table[0].reshape(symbols, contexts, width)
    overall = table[0].sum(axis=0) + 1e-3
    overall = overall / overall.sum()
    per_symbol = every.sum(axis=1)
    symbol_p = (per_symbol + overall) / (per_symbol.sum(axis=1, keepdims=True) + 1.0)
    context_p = (every + CONTEXT_PRIOR * symbol_p[:, None, :]) / (
        every.sum(axis=2, keepdims=True) + CONTEXT_PRIOR
    )
    context_p = context_p.reshape(rows, width)
    result = np.empty((kinds, rows, width + 2), dtype=np.float64)
    for row in range(kinds):
        if row == 0:
            values = context_p
        else:
            own = table[row].sum(axis=1, keepdims=True)
            values = (table[row] + TRADITION_PRIOR * context_p) / (own + TRADITION_PRIOR)
        result[row, :, :-2] = values
        result[row, :, -2] = UNSEEN
        result[row, :, -1] = 0.0
        result[row, :contexts, :] = 0.0
        result[row, :contexts, 0] = 1.0
    return result


def background(bigrams: np.ndarray) -> np.ndarray:
    """Log-probabilities of the letter-bigram model, add-half smoothed; row 0 is the start of
    a string, the last column its end."""
    smoothed = bigrams + 0.5
    smoothed[:, 0] = 0.0  # padding is never written
    return np.log(smoothed / smoothed.sum(axis=1, keepdims=True) + 1e-300)
