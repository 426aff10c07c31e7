"""Pairs encoded for the array passes of a channel (``model.py``): source symbols with
their context classes, target segments as vocabulary columns, and the forward algorithm."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from verifier.core.matching.learned.alphabet import Script, segment_codes

if TYPE_CHECKING:
    from verifier.core.matching.learned.model import Channel

# What a symbol writes depends on its context, in a few classes (``units``): an Arabic
# letter's place in its word (medial, initial, final, alone: و is "w" or "ou" first, "u"
# or "ū" inside); a Latin symbol's previous symbol (start of a word, vowel, a consonant
# that forms a digraph with h, another consonant) and whether an h follows (k before h is
# خ, h after k writes nothing).
CONTEXTS = {"arabic": 4, "latin": 8}
_LATIN_VOWELS = "aeiouyāīū"
_DIGRAPH_FIRST = "kscgdtz"


def units(script: Script, encoded: np.ndarray) -> np.ndarray:
    """Each source symbol with its context class: symbol · contexts + class (pairs ×
    positions); padding keeps symbol 0."""
    contexts = CONTEXTS[script.name]
    space = script.index[" "]
    previous = np.zeros_like(encoded)
    previous[:, 1:] = encoded[:, :-1]
    following = np.zeros_like(encoded)
    following[:, :-1] = encoded[:, 1:]
    starts = (previous == 0) | (previous == space)
    if script.name == "arabic":
        ends = (following == 0) | (following == space)
        classes = starts.astype(np.int64) + 2 * ends.astype(np.int64)
    else:
        vowel = np.isin(previous, [script.index[ch] for ch in _LATIN_VOWELS])
        digraph = np.isin(previous, [script.index[ch] for ch in _DIGRAPH_FIRST])
        kind = np.where(starts, 0, np.where(vowel, 1, np.where(digraph, 2, 3)))
        classes = kind + 4 * (following == script.index["h"]).astype(np.int64)
    return encoded * contexts + classes


@dataclass
class Batch:
    """Pairs encoded for the forward (and backward) passes of one channel."""

    source: np.ndarray  # (pairs, symbols), 0 after the end
    target: np.ndarray  # (pairs, symbols), 0 after the end
    ends: np.ndarray  # target lengths
    rows: np.ndarray  # tradition row of each pair
    columns: list[np.ndarray]  # per segment length k: vocabulary column ending at each j
    emission: np.ndarray  # (traditions · source symbols, columns)
    source_size: int  # source units (symbols · context classes)

    @classmethod
    def of(
        cls, sources: list[str], targets: list[str], rows: np.ndarray, channel: Channel
    ) -> Batch:
        source_array, _ = channel.source.encode(sources)
        target_array, ends = channel.target.encode(targets)
        codes = segment_codes(target_array, channel.longest)
        emission = channel.emission()
        return cls(
            units(channel.source, source_array),
            target_array,
            ends,
            np.asarray(rows, dtype=np.int64),
            [channel.columns(c) for c in codes],
            emission.reshape(-1, emission.shape[2]),
            emission.shape[1],
        )

    def step(self, position: int) -> list[np.ndarray]:
        """Per segment length k, the probability that the source symbol at ``position``
        writes the k target symbols ending at each boundary j (pairs × boundaries)."""
        rows = self.rows * self.source_size + self.source[:, position]
        return [self.emission[rows[:, None], columns] for columns in self.columns]

    def forward(self, keep: bool = True) -> list[np.ndarray]:
        """Forward tables: entry i is P(the first i source symbols wrote the first j target
        symbols). Without ``keep``, only the last table."""
        pairs, width = self.target.shape
        table = np.zeros((pairs, width + 1), dtype=np.float64)
        table[:, 0] = 1.0
        tables = [table]
        for position in range(self.source.shape[1]):
            steps = self.step(position)
            previous = tables[-1]
            current = previous * steps[0]
            for k in range(1, len(steps)):
                current[:, k:] += previous[:, :-k] * steps[k][:, k:]
            if keep:
                tables.append(current)
            else:
                tables[-1] = current
        return tables
