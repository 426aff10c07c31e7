"""Training the transliteration model by expectation-maximisation, with a noise component.

Name pairs are an Arabic name and a Latin name of the same place. Many Latin names in a
gazetteer are not spellings of the Arabic one at all: translations (New Cairo), other
languages' exonyms (Kairo), names of another era. Following transliteration mining (Sajjad,
Fraser, Schmid and Schütze, *Computational Linguistics* 2017), each pair is explained either
by the channel (the Arabic letters wrote the Latin text) or by noise (the background model
wrote it alone); the E-step gives each pair its posterior of being a transliteration and
weighs its expected segment counts by it, and the mixture weight is re-estimated each round.
So a pair that no segmentation explains well teaches almost nothing.

``train`` starts from flat counts; ``adapt`` starts from a trained model and adds a few
pairs (a workspace's confirmed matches) with a weight, keeping the trained counts as a prior
of a fixed strength in pairs, so that a handful of confirmations can move the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from verifier.core.matching.learned.alphabet import ARABIC, LATIN, Script, segment_codes
from verifier.core.matching.learned.batch import CONTEXTS, Batch
from verifier.core.matching.learned.model import (
    CHUNK,
    LONGEST,
    Channel,
    Counts,
    TransliterationModel,
)

# Initial share of the probability of each segment length, before any data is seen.
_LENGTH_PRIOR = (0.1, 0.5, 0.3, 0.1)
# Vocabulary: target segments seen at least this often in the training texts.
MIN_SEGMENT_COUNT = 2
# When adapting, the trained counts weigh as this many pairs (see ``adapt``).
PRIOR_PAIRS = 150.0


@dataclass(frozen=True)
class Pair:
    arabic: str  # model letters of an Arabic name (alphabet.py)
    latin: str  # model letters of a Latin name
    tradition: str = ""  # the place's romanisation tradition ("" for none)
    weight: float = 1.0


@dataclass
class Round:
    """What one E-step found: counts, the mean posterior of transliteration, and per pair
    the log-likelihood ratio per symbol and the posterior."""

    table: np.ndarray
    bigrams: np.ndarray
    transliteration_share: float
    log_ratio: np.ndarray
    posterior: np.ndarray


def _sides(channel_target: Script, pairs: Sequence[Pair]) -> tuple[list[str], list[str]]:
    """(sources, targets) of pairs for a channel writing ``channel_target``."""
    if channel_target is LATIN:
        return [p.arabic for p in pairs], [p.latin for p in pairs]
    return [p.latin for p in pairs], [p.arabic for p in pairs]


def vocabulary(
    target: Script, texts: Sequence[str], longest: int, minimum: int = MIN_SEGMENT_COUNT
) -> np.ndarray:
    """Segment codes seen at least ``minimum`` times, the empty segment first."""
    array, _ = target.encode(list(texts))
    found = [codes[codes > 0] for k, codes in enumerate(segment_codes(array, longest)) if k]
    if not found:
        return np.zeros(1, dtype=np.int64)
    values, counts = np.unique(np.concatenate(found), return_counts=True)
    return np.concatenate([[0], values[counts >= minimum]]).astype(np.int64)


def bigram_counts(
    target: Script, texts: Sequence[str], weights: np.ndarray | None = None
) -> np.ndarray:
    array, ends = target.encode(list(texts))
    previous = np.zeros_like(array)
    previous[:, 1:] = array[:, :-1]
    weight = np.ones(len(array)) if weights is None else np.asarray(weights, dtype=np.float64)
    size = target.size + 1
    mask = array > 0
    flat = previous[mask] * size + array[mask]
    repeated = np.broadcast_to(weight[:, None], array.shape)[mask]
    result = np.bincount(flat, weights=repeated, minlength=size * size).reshape(size, size)
    rows = np.arange(len(array))
    last = np.where(ends > 0, array[rows, np.maximum(ends - 1, 0)], 0)
    np.add.at(result, (last, np.full(len(array), target.size)), weight)
    return result


def flat_counts(
    traditions: tuple[str, ...], codes: np.ndarray, source: Script, contexts: int
) -> np.ndarray:
    """Counts giving each segment length its prior share, spread evenly within a length."""
    lengths = np.zeros(len(codes), dtype=np.int64)
    for number, code in enumerate(codes.tolist()):
        size = 0
        while code:
            size += 1
            code >>= 6
        lengths[number] = size
    per_length = np.bincount(lengths, minlength=len(_LENGTH_PRIOR)).astype(np.float64)
    shares = np.array(_LENGTH_PRIOR)[lengths] / np.maximum(per_length[lengths], 1.0)
    table = np.zeros((len(traditions), source.size * contexts, len(codes)), dtype=np.float64)
    table[0, contexts:, :] = shares / contexts  # one observation per symbol: the flat start
    return table


def expectation(channel: Channel, pairs: Sequence[Pair], share: float) -> Round:
    """One E-step of a channel over all pairs (see the module docstring)."""
    counts = channel.counts
    table = np.zeros_like(counts.table)
    width = table.shape[2] + 2
    sources, targets = _sides(channel.target, pairs)
    rows_of = np.array([channel.tradition_row(p.tradition) for p in pairs], dtype=np.int64)
    weights = np.array([p.weight for p in pairs], dtype=np.float64)
    log_ratio = np.zeros(len(pairs))
    posterior = np.zeros(len(pairs))
    order = sorted(range(len(pairs)), key=lambda n: (len(sources[n]), len(targets[n])))
    for start in range(0, len(order), CHUNK):
        chunk = order[start : start + CHUNK]
        batch = Batch.of(
            [sources[n] for n in chunk], [targets[n] for n in chunk], rows_of[chunk], channel
        )
        forward = batch.forward()
        total = forward[-1][np.arange(len(chunk)), batch.ends]
        written = np.log(np.maximum(total, 1e-300))
        noise = channel.background_log(batch)
        # Posterior of "transliteration" against "noise", in log space to avoid overflow.
        odds = np.log(share) + written - np.log1p(-share) - noise
        trust = np.where(total > 0, 1.0 / (1.0 + np.exp(-np.clip(odds, -50, 50))), 0.0)
        log_ratio[chunk] = (written - noise) / (batch.ends + 1)
        posterior[chunk] = trust
        scale = trust * weights[chunk] / np.maximum(total, 1e-300)
        _accumulate(batch, forward, scale, table, width)
    table[:, : channel.contexts, :] = 0.0  # the padding symbol learns nothing
    if table.shape[0] > 1:
        table[0] = table.sum(axis=0)
    share_new = float(np.clip((posterior * weights).sum() / max(weights.sum(), 1e-9), 0.01, 0.99))
    bigrams = bigram_counts(channel.target, targets, weights)
    return Round(table, bigrams, share_new, log_ratio, posterior)


def _accumulate(
    batch: Batch, forward: list[np.ndarray], scale: np.ndarray, table: np.ndarray, width: int
) -> None:
    """Add each pair's expected segment counts (times ``scale``) to the table rows of its own
    tradition (row 0 is filled from the others afterwards, or is the only one)."""
    pairs, boundaries = forward[0].shape
    after = np.zeros((pairs, boundaries), dtype=np.float64)
    after[np.arange(pairs), batch.ends] = 1.0
    flat = np.zeros(table.shape[0] * batch.source_size * width, dtype=np.float64)
    for position in range(batch.source.shape[1] - 1, -1, -1):
        steps = batch.step(position)
        previous = forward[position]  # P(the symbols before this one wrote j symbols)
        rows = batch.rows * batch.source_size + batch.source[:, position]
        _add(flat, rows, batch.columns[0], previous * steps[0] * after * scale[:, None], width)
        backward = after * steps[0]
        for k in range(1, len(steps)):
            wrote = np.zeros_like(after)
            wrote[:, k:] = previous[:, :-k] * steps[k][:, k:] * after[:, k:]
            _add(flat, rows, batch.columns[k], wrote * scale[:, None], width)
            backward[:, :-k] += steps[k][:, k:] * after[:, k:]
        after = backward  # P(this symbol and the rest write the target from j on)
    table += flat.reshape(table.shape[0], batch.source_size, width)[:, :, : table.shape[2]]


def _add(
    flat: np.ndarray, rows: np.ndarray, columns: np.ndarray, values: np.ndarray, width: int
) -> None:
    index = (rows[:, None] * width + columns).ravel()
    flat += np.bincount(index, weights=values.ravel(), minlength=flat.size)


def train_channel(
    target: Script,
    pairs: Sequence[Pair],
    traditions: tuple[str, ...],
    iterations: int,
    share: float = 0.7,
) -> tuple[Channel, Round]:
    """One channel trained from flat counts; returns it and its last E-step."""
    source = ARABIC if target is LATIN else LATIN
    _sources, targets = _sides(target, pairs)
    codes = vocabulary(target, targets, LONGEST[source.name])
    contexts = CONTEXTS[source.name]
    counts = Counts(
        traditions,
        codes,
        flat_counts(traditions, codes, source, contexts),
        bigram_counts(target, targets),
    )
    channel = Channel(source, target, counts)
    last: Round | None = None
    for _ in range(iterations):
        last = expectation(channel, pairs, share)
        share = last.transliteration_share
        counts = Counts(traditions, codes, last.table, last.bigrams, float(last.posterior.sum()))
        channel = Channel(source, target, counts, channel.slope, channel.centre)
    assert last is not None
    return channel, last


def train(
    pairs: Sequence[Pair],
    traditions: tuple[str, ...] = ("",),
    iterations: int = 10,
) -> tuple[TransliterationModel, Round]:
    """Both channels trained on ``pairs``; ``traditions`` names the tables (the first, "",
    holds all of them). Also returns the last E-step of the channel writing Latin, whose
    per-pair posteriors of being a transliteration are the mined pairs."""
    to_latin, mined = train_channel(LATIN, pairs, traditions, iterations)
    to_arabic, _ = train_channel(ARABIC, pairs, traditions, iterations)
    meta = {"pairs": len(pairs), "mined_share": round(mined.transliteration_share, 4)}
    return TransliterationModel(to_latin, to_arabic, meta), mined


def _adapt_channel(
    channel: Channel, pairs: Sequence[Pair], iterations: int, prior_pairs: float
) -> Channel:
    counts = channel.counts
    _sources, targets = _sides(channel.target, pairs)
    new_codes = vocabulary(channel.target, targets, channel.longest, minimum=1)
    codes = np.union1d(counts.codes, new_codes)
    codes = np.concatenate([[0], codes[codes > 0]]).astype(np.int64)
    position = np.searchsorted(codes, counts.codes[1:])
    scale = prior_pairs / max(counts.pairs, prior_pairs)
    base = np.zeros((counts.table.shape[0], counts.table.shape[1], len(codes)), dtype=np.float64)
    base[:, :, 0] = counts.table[:, :, 0] * scale
    base[:, :, position] = counts.table[:, :, 1:] * scale
    base_bigrams = counts.bigrams * scale
    current = Channel(
        channel.source,
        channel.target,
        Counts(counts.traditions, codes, base.copy(), base_bigrams, prior_pairs),
        channel.slope,
        channel.centre,
    )
    share = 0.9
    for _ in range(iterations):
        found = expectation(current, pairs, share)
        share = max(found.transliteration_share, 0.5)
        table = base + found.table
        current = Channel(
            channel.source,
            channel.target,
            Counts(
                counts.traditions,
                codes,
                table,
                base_bigrams + found.bigrams,
                prior_pairs + len(pairs),
            ),
            channel.slope,
            channel.centre,
        )
    return current


def adapt(
    model: TransliterationModel,
    pairs: Sequence[Pair],
    iterations: int = 3,
    prior_pairs: float = PRIOR_PAIRS,
) -> TransliterationModel:
    """``model`` moved towards ``pairs`` (a workspace's confirmed matches): the trained
    counts are scaled to weigh as ``prior_pairs`` pairs, the new pairs' expected counts are
    added (each pair weighing 1, the noise component still discounting a pair that is no
    transliteration), and the E-step is repeated a few times. Segments the training never
    saw are added, so that a spelling it never met (x for ش) can be learned."""
    if not pairs:
        return model
    return TransliterationModel(
        _adapt_channel(model.to_latin, pairs, iterations, prior_pairs),
        _adapt_channel(model.to_arabic, pairs, iterations, prior_pairs),
        dict(model.meta, adapted_pairs=len(pairs)),
    )


def fit_similarity(positive: np.ndarray, negative: np.ndarray) -> tuple[float, float]:
    """Slope and centre of the logistic curve from per-symbol log-likelihood ratios of true
    pairs (``positive``) and confusable wrong pairs (``negative``), by Newton's method."""
    x = np.concatenate([positive, negative])
    y = np.concatenate([np.ones(len(positive)), np.zeros(len(negative))])
    weights = np.concatenate(
        [
            np.full(len(positive), 0.5 / max(len(positive), 1)),
            np.full(len(negative), 0.5 / max(len(negative), 1)),
        ]
    )
    slope, intercept = 1.0, 0.0
    for _ in range(50):
        z = slope * x + intercept
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        gradient = np.array([((p - y) * weights * x).sum(), ((p - y) * weights).sum()])
        curvature = p * (1 - p) * weights
        hessian = np.array(
            [
                [(curvature * x * x).sum() + 1e-6, (curvature * x).sum()],
                [(curvature * x).sum(), curvature.sum() + 1e-6],
            ]
        )
        step = np.linalg.solve(hessian, gradient)
        slope, intercept = slope - step[0], intercept - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(slope), float(-intercept / slope)
