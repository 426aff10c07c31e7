"""Training of the character pair scorer (verifier/core/matching/learned/pair_scorer.py).

Training only: needs torch (installed for camel-tools), which the matcher never imports.
The model is trained to pick the true name of a pair among others:

* name pairs of the training countries (``matching_devset.training_pairs``), each weighed
  by the transliteration model's mined posterior (pairs that are translations weigh
  little): in a batch, each Arabic name chooses among the batch's Latin names and each
  Latin name among its Arabic names;
* the rules' confusable candidates (``matching_learning.confusable_pairs``) of the
  training countries: each query chooses among its top five candidates in the other
  script.

Runs on one thread under a fixed seed; the weights are exported to numpy arrays.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from verifier.core.matching.learned.pair_scorer import (
    LAYERS,
    TRADITION_SIGNS,
    UNKNOWN,
    PairScorer,
)

CACHE = Path(__file__).resolve().parent / "out" / "cache"
# PAIR_ORDER=0: without the penalty on letters aligned far apart (variants A and B).
ORDER = os.environ.get("PAIR_ORDER", "1") == "1"
_VERSION = "pair-scorer-2" if ORDER else "pair-scorer-1"
EMBED, WIDTH = 24, 48
EPOCHS = 4
BATCH = 32
CANDIDATES = 5
HIDE_TRADITION = 0.15


class _Encoder(nn.Module):
    def __init__(self, embedding: nn.Embedding) -> None:
        super().__init__()
        self.embedding = embedding
        self.conv1 = nn.Linear(3 * EMBED, WIDTH)
        self.conv2 = nn.Linear(3 * WIDTH, WIDTH)
        self.proj = nn.Linear(WIDTH, WIDTH, bias=False)

    @staticmethod
    def _shifted(x: torch.Tensor) -> torch.Tensor:
        left = torch.nn.functional.pad(x[:, :-1], (0, 0, 1, 0))
        right = torch.nn.functional.pad(x[:, 1:], (0, 0, 0, 1))
        return torch.cat([left, x, right], dim=2)

    def forward(self, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mask = (ids != 0).float()
        keep = mask[:, :, None]
        x = self.embedding(ids) * keep
        h1 = torch.relu(self.conv1(self._shifted(x))) * keep
        h2 = (torch.relu(self.conv2(self._shifted(h1))) + h1) * keep
        z = torch.nn.functional.normalize(self.proj(h2), dim=2, eps=1e-6)
        return z, mask


class _Model(nn.Module):
    def __init__(self, letters: int) -> None:
        super().__init__()
        embedding = nn.Embedding(letters, EMBED, padding_idx=0)
        self.arabic = _Encoder(embedding)
        self.latin = _Encoder(embedding)
        self.weights = nn.Parameter(torch.tensor([5.0, 5.0, 0.0, 0.0][: 4 if ORDER else 3]))

    def _apart(self, ma: torch.Tensor, ml: torch.Tensor) -> torch.Tensor | float:
        """Distance between relative positions, weighed (letters far apart rarely align)."""
        if not ORDER:
            return 0.0
        pa = (torch.cumsum(ma, dim=-2) - 0.5) / ma.sum(-2, keepdim=True).clamp(min=1)
        pl = (torch.cumsum(ml, dim=-1) - 0.5) / ml.sum(-1, keepdim=True).clamp(min=1)
        return nn.functional.softplus(self.weights[3]) * (pa - pl).abs()

    def paired(self, arabic: torch.Tensor, latin: torch.Tensor) -> torch.Tensor:
        """(N,) scores of Arabic text n against Latin text n."""
        za, ma = self.arabic(arabic)
        zl, ml = self.latin(latin)
        similar = torch.einsum("nid,njd->nij", za, zl) - self._apart(ma[:, :, None], ml[:, None, :])
        hidden = -4.0
        best_a = similar.masked_fill(ml[:, None, :] == 0, hidden).amax(2)
        best_l = similar.masked_fill(ma[:, :, None] == 0, hidden).amax(1)
        mean_a = (best_a * ma).sum(1) / ma.sum(1).clamp(min=1)
        mean_l = (best_l * ml).sum(1) / ml.sum(1).clamp(min=1)
        return self.weights[0] * mean_a + self.weights[1] * mean_l + self.weights[2]

    def all_pairs(self, arabic: torch.Tensor, latin: torch.Tensor) -> torch.Tensor:
        """(A, L) scores of every Arabic text against every Latin text."""
        za, ma = self.arabic(arabic)
        zl, ml = self.latin(latin)
        similar = torch.einsum("aid,ljd->alij", za, zl) - self._apart(
            ma[:, None, :, None], ml[None, :, None, :]
        )
        hidden = -4.0
        best_a = similar.masked_fill(ml[None, :, None, :] == 0, hidden).amax(3)
        best_l = similar.masked_fill(ma[:, None, :, None] == 0, hidden).amax(2)
        mean_a = (best_a * ma[:, None, :]).sum(2) / ma.sum(1).clamp(min=1)[:, None]
        mean_l = (best_l * ml[None, :, :]).sum(2) / ml.sum(1).clamp(min=1)[None, :]
        return self.weights[0] * mean_a + self.weights[1] * mean_l + self.weights[2]


def _ids(texts: Sequence[str], codes: dict[str, int]) -> torch.Tensor:
    longest = max(len(t) for t in texts)
    ids = np.zeros((len(texts), longest), dtype=np.int64)
    for row, text in enumerate(texts):
        ids[row, : len(text)] = [codes.get(c, UNKNOWN) for c in text]
    return torch.from_numpy(ids)


def _signed(text: str, tradition: str, rng: random.Random) -> str:
    if rng.random() < HIDE_TRADITION:
        tradition = ""
    return TRADITION_SIGNS.get(tradition, TRADITION_SIGNS[""]) + text


def train_scorer(
    pairs: Sequence[tuple[str, str, str, float]],
    groups: Sequence[tuple[str, bool, list[tuple[str, str, bool]]]],
    seed: int = 7,
) -> PairScorer:
    """``pairs``: (Arabic, Latin, tradition, weight); ``groups``: (query, query is Arabic,
    [(candidate, candidate's tradition, right)]) with exactly one right candidate."""
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    letters = sorted(
        {c for a, latin, _, _ in pairs for c in a + latin} - set(TRADITION_SIGNS.values())
    )
    alphabet = "".join(TRADITION_SIGNS.values()) + "".join(letters)
    codes = {letter: n + 2 for n, letter in enumerate(alphabet)}
    model = _Model(len(alphabet) + 2)
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    pair_list = list(pairs)
    group_list = list(groups)
    # Hard groups are what the scorer is for: each seen about twice an epoch.
    group_batch = max(1, 2 * len(group_list) * BATCH // max(len(pair_list), 1))
    for _epoch in range(EPOCHS):
        rng.shuffle(pair_list)
        rng.shuffle(group_list)
        for step, start in enumerate(range(0, len(pair_list), BATCH)):
            chunk = pair_list[start : start + BATCH]
            arabic = _ids([p[0] for p in chunk], codes)
            latin = _ids([_signed(p[1], p[2], rng) for p in chunk], codes)
            weight = torch.tensor([p[3] for p in chunk], dtype=torch.float32)
            scores = model.all_pairs(arabic, latin)
            target = torch.arange(len(chunk))
            loss_rows = nn.functional.cross_entropy(scores, target, reduction="none")
            loss_cols = nn.functional.cross_entropy(scores.T, target, reduction="none")
            loss = ((loss_rows + loss_cols) * weight).sum() / weight.sum().clamp(min=1e-6) / 2
            hard = (
                [
                    group_list[n % len(group_list)]
                    for n in range(step * group_batch, (step + 1) * group_batch)
                ]
                if group_list
                else []
            )
            if hard:
                loss = loss + _group_loss(model, hard, codes, rng)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return _export(model, alphabet)


def _group_loss(model: _Model, hard, codes: dict[str, int], rng: random.Random) -> torch.Tensor:
    """Each query chooses among its candidates (padded to CANDIDATES by repeating, masked)."""
    arabic, latin, valid, rights, base = [], [], [], [], []
    for query, arabic_query, candidates in hard:
        chosen = candidates[:CANDIDATES]
        if not any(c[2] for c in chosen):
            chosen = [*chosen[: CANDIDATES - 1], next(c for c in candidates if c[2])]
        rights.append(next(n for n, c in enumerate(chosen) if c[2]))
        for n in range(CANDIDATES):
            candidate, tradition, _, *offset = chosen[min(n, len(chosen) - 1)]
            base.append(offset[0] if offset else 0.0)
            valid.append(n < len(chosen))
            if arabic_query:
                arabic.append(query)
                latin.append(_signed(candidate, tradition, rng))
            else:
                arabic.append(candidate)
                latin.append(_signed(query, tradition, rng))
    scores = model.paired(_ids(arabic, codes), _ids(latin, codes))
    # The engine's own score of each candidate, when given: the model learns what it misses.
    scores = (scores + torch.tensor(base, dtype=torch.float32)).reshape(-1, CANDIDATES)
    mask = torch.tensor(valid).reshape(-1, CANDIDATES)
    scores = scores.masked_fill(~mask, -1e4)
    return nn.functional.cross_entropy(scores, torch.tensor(rights))


def _export(model: _Model, alphabet: str) -> PairScorer:
    def layers(encoder: _Encoder) -> dict[str, np.ndarray]:
        found = {
            "w1": encoder.conv1.weight.detach().numpy().T,
            "b1": encoder.conv1.bias.detach().numpy(),
            "w2": encoder.conv2.weight.detach().numpy().T,
            "b2": encoder.conv2.bias.detach().numpy(),
            "proj": encoder.proj.weight.detach().numpy().T,
        }
        return {name: np.ascontiguousarray(found[name], dtype=np.float32) for name in LAYERS}

    return PairScorer(
        alphabet,
        model.arabic.embedding.weight.detach().numpy().astype(np.float32),
        layers(model.arabic),
        layers(model.latin),
        model.weights.detach().numpy().astype(np.float32),
        {"embed": EMBED, "width": WIDTH, "epochs": EPOCHS},
    )


def groups_of(confusable: Sequence[tuple[str, str, str, str, bool, bool]], held_out: str | None):
    """The confusable candidates of the countries other than ``held_out``, by query, kept
    when exactly one candidate is right and one or more is wrong."""
    by_query: dict[tuple[str, str, bool], list[tuple[str, str, bool]]] = defaultdict(list)
    for country, query, candidate, tradition, arabic_query, right in confusable:
        if country == held_out:
            continue
        by_query[(country, query, arabic_query)].append((candidate, tradition, right))
    found = []
    for (_, query, arabic_query), candidates in by_query.items():
        if sum(c[2] for c in candidates) == 1 and len(candidates) > 1:
            found.append((query, arabic_query, candidates))
    return found


def cached_scorer(
    held_out: str | None,
    pairs: Sequence[tuple[str, str, str, float]],
    groups: Sequence[tuple[str, bool, list[tuple[str, str, bool]]]],
) -> PairScorer:
    digest = hashlib.sha256(
        json.dumps(
            [_VERSION, EMBED, WIDTH, EPOCHS, list(pairs), list(groups)], ensure_ascii=False
        ).encode()
    ).hexdigest()[:16]
    path = CACHE / f"pair-scorer-{held_out or 'all'}-{digest}.json"
    if path.exists():
        return PairScorer.load(path)
    scorer = train_scorer(pairs, groups)
    CACHE.mkdir(parents=True, exist_ok=True)
    scorer.save(path)
    return PairScorer.load(path)
