"""A small character model that scores how well an Arabic name and a Latin name match.

Each side is read by its own encoder: letter embeddings, then two convolutions over three
letters (the second with a shortcut), so that each position sees its neighbours. The pair
is scored by soft alignment: every letter of one side finds its most similar letter of the
other (cosine of the encodings), and the means of those best similarities, both ways, are
weighed into one score. The Latin side starts with a sign for the candidate's romanisation
tradition, so the encodings can differ by tradition.

Trained (``benchmarks/matching_pair_scorer.py``) to pick the true name among others, on
name pairs and on the rules' confusable candidates of the dev countries; inference here is
numpy only, so the matcher never loads the training framework.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

PAIR_SCORER_FILE = Path(__file__).with_name("pair_scorer.json")
FORMAT = "verifier-pair-scorer/1"
# The first letter of a Latin text: its tradition. The sign for none also stands for a
# tradition no dev country has (Italian), as training sometimes hides the tradition.
TRADITION_SIGNS = {"": "\x01", "french": "\x02", "english": "\x03"}
PAD, UNKNOWN = 0, 1
LAYERS = ("w1", "b1", "w2", "b2", "proj")


def _shifted(x: np.ndarray) -> np.ndarray:
    """Each position beside its left and right neighbours: (B, L, E) -> (B, L, 3E)."""
    left = np.zeros_like(x)
    left[:, 1:] = x[:, :-1]
    right = np.zeros_like(x)
    right[:, :-1] = x[:, 1:]
    return np.concatenate([left, x, right], axis=2)


@dataclass
class PairScorer:
    alphabet: str  # letter n (from 2) is alphabet[n - 2]
    embedding: np.ndarray  # (len(alphabet) + 2, E)
    arabic: dict[str, np.ndarray]  # encoder weights of the Arabic side (LAYERS)
    latin: dict[str, np.ndarray]
    weights: np.ndarray  # (3,): weight of each direction's mean best similarity, and a bias
    meta: dict[str, Any]

    def __post_init__(self) -> None:
        self._codes = {letter: n + 2 for n, letter in enumerate(self.alphabet)}

    def encode_ids(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        longest = max((len(t) for t in texts), default=1) or 1
        ids = np.zeros((len(texts), longest), dtype=np.int64)
        for row, text in enumerate(texts):
            ids[row, : len(text)] = [self._codes.get(c, UNKNOWN) for c in text]
        return ids, (ids != PAD).astype(np.float32)

    def _encode(self, texts: Sequence[str], layers: dict[str, np.ndarray]) -> tuple:
        ids, mask = self.encode_ids(texts)
        keep = mask[:, :, None]
        x = self.embedding[ids] * keep
        h1 = np.maximum(_shifted(x) @ layers["w1"] + layers["b1"], 0.0) * keep
        h2 = (np.maximum(_shifted(h1) @ layers["w2"] + layers["b2"], 0.0) + h1) * keep
        z = h2 @ layers["proj"]
        z /= np.maximum(np.linalg.norm(z, axis=2, keepdims=True), 1e-6)
        return z, mask

    def score(
        self, arabic: Sequence[str], latin: Sequence[str], kinds: Sequence[str]
    ) -> np.ndarray:
        """One score per (Arabic text, Latin text, the Latin name's tradition); higher is a
        better match. Only differences between a label's candidates mean anything."""
        if not arabic:
            return np.zeros(0)
        signed = [
            TRADITION_SIGNS.get(kind, "\x01") + text
            for text, kind in zip(latin, kinds, strict=True)
        ]
        za, ma = self._encode(list(arabic), self.arabic)
        zl, ml = self._encode(signed, self.latin)
        similar = np.einsum("bid,bjd->bij", za, zl)
        if len(self.weights) > 3:
            # Letters at distant relative positions rarely align.
            pa = (np.cumsum(ma, axis=1) - 0.5) / np.maximum(ma.sum(1, keepdims=True), 1.0)
            pl = (np.cumsum(ml, axis=1) - 0.5) / np.maximum(ml.sum(1, keepdims=True), 1.0)
            apart = np.log1p(np.exp(self.weights[3])) * np.abs(pa[:, :, None] - pl[:, None, :])
            similar = similar - apart
        hidden = -4.0
        best_for_arabic = np.where(ml[:, None, :] > 0, similar, hidden).max(axis=2)
        best_for_latin = np.where(ma[:, :, None] > 0, similar, hidden).max(axis=1)
        mean_a = (best_for_arabic * ma).sum(1) / np.maximum(ma.sum(1), 1.0)
        mean_l = (best_for_latin * ml).sum(1) / np.maximum(ml.sum(1), 1.0)
        w = self.weights
        return w[0] * mean_a + w[1] * mean_l + w[2]

    def to_json(self) -> dict[str, Any]:
        def rounded(array: np.ndarray) -> list:
            return np.round(array.astype(np.float64), 5).tolist()

        return {
            "format": FORMAT,
            "alphabet": self.alphabet,
            "embedding": rounded(self.embedding),
            "arabic": {name: rounded(self.arabic[name]) for name in LAYERS},
            "latin": {name: rounded(self.latin[name]) for name in LAYERS},
            "weights": rounded(self.weights),
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PairScorer:
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown pair scorer format {data.get('format')!r}")

        def array(value: list) -> np.ndarray:
            return np.asarray(value, dtype=np.float32)

        return cls(
            data["alphabet"],
            array(data["embedding"]),
            {name: array(data["arabic"][name]) for name in LAYERS},
            {name: array(data["latin"][name]) for name in LAYERS},
            array(data["weights"]),
            dict(data.get("meta", {})),
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> PairScorer:
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError) as error:
            raise ValueError(f"{path}: not a usable pair scorer file ({error})") from None
