"""The searchable gazetteer: every name and alias analysed once, exact keys in a dict, and
coarse phonetic keys in a flat list that rapidfuzz scans in bulk to pick a shortlist.

Only the shortlist gets the full pairwise scoring, which is what keeps a batch of queries
against tens of thousands of cities fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from verifier.core.matching.forms import NameForm, analyse, label_key
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.phonetic import skeleton

# Distinct coarse keys kept per query form; enough that the true city survives a poor key.
SHORTLIST_KEYS = 40
# Coarse-key similarity below which a name is not worth scoring at all.
SHORTLIST_FLOOR = 45
# Queries scanned per cdist call: bounds the score matrix to a few megabytes.
_CHUNK = 256


def _quick_form(key: str) -> str:
    return f"{key}|{skeleton(key)}"


@dataclass(frozen=True)
class NameRecord:
    """One name of one gazetteer city, analysed."""

    entry: int  # position in NameIndex.entries
    field: str  # "name_en" | "name_ar" | "alias"
    text: str
    form: NameForm


class NameIndex:
    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries: list[GazetteerEntry] = list(entries)
        self.records: list[NameRecord] = []
        self.exact: dict[str, list[int]] = {}
        # Whole-label keys: a raw label a person confirmed, stored as an alias, matches itself.
        self.labels: dict[str, list[int]] = {}
        self.countries = frozenset(entry.country for entry in self.entries if entry.country)
        # Distinct phonetic keys (all variants) with the records that have them, grouped by
        # coarse key ("slot"): the first pass scores each distinct key once.
        key_ids: dict[str, int] = {}
        key_owners: list[list[int]] = []
        slot_of_coarse: dict[str, int] = {}
        slot_keys: list[dict[int, None]] = []
        for position, entry in enumerate(self.entries):
            names = [("name_en", entry.name_en), ("name_ar", entry.name_ar)]
            names += [("alias", alias) for alias in entry.aliases]
            for field, text in dict.fromkeys(names):
                if not text:
                    continue
                for number, form in enumerate(analyse(text, guess_order=False)):
                    record_id = len(self.records)
                    if number == 0:
                        self.labels.setdefault(label_key(text), []).append(record_id)
                    self.records.append(NameRecord(position, field, text, form))
                    self.exact.setdefault(form.plain, []).append(record_id)
                    slot = slot_of_coarse.setdefault(form.coarse, len(slot_keys))
                    if slot == len(slot_keys):
                        slot_keys.append({})
                    for key in form.key_strings:
                        key_id = key_ids.setdefault(key, len(key_owners))
                        if key_id == len(key_owners):
                            key_owners.append([])
                        key_owners[key_id].append(record_id)
                        slot_keys[slot][key_id] = None
        self.coarse_keys: list[str] = list(slot_of_coarse)
        self._slot_keys = [np.fromiter(keys, dtype=np.int64) for keys in slot_keys]
        # Key and skeleton side by side, so that one rapidfuzz pass weighs both.
        self._quick_forms = np.array([_quick_form(key) for key in key_ids], dtype=object)
        self._key_owners = key_owners

    def exact_hits(self, plain: str) -> list[int]:
        return self.exact.get(plain, [])

    def label_hits(self, label: str) -> list[int]:
        """Records whose whole name or alias is ``label`` up to :func:`label_key`."""
        return self.labels.get(label_key(label), [])

    def prefilter(self, keys: list[str], slots: np.ndarray, keep: int) -> list[int]:
        """The ``keep`` records, among those with a shortlisted coarse key, whose phonetic
        keys best fit any of ``keys`` (key and skeleton together, best variant on either
        side): a vectorised first pass so that full scoring runs on a handful of names."""
        if not len(slots):
            return []
        candidates = np.concatenate([self._slot_keys[slot] for slot in slots])
        quick = process.cdist(
            [_quick_form(key) for key in keys],
            self._quick_forms[candidates].tolist(),
            scorer=fuzz.ratio,
            dtype=np.uint8,
        ).max(axis=0)
        if len(quick) > keep:
            best = np.argpartition(quick, len(quick) - keep)[len(quick) - keep :]
            order = best[np.argsort(-quick[best], kind="stable")]
        else:
            order = np.argsort(-quick, kind="stable")
        chosen: dict[int, None] = {}
        for key_id in candidates[order].tolist():
            for owner in self._key_owners[key_id]:
                chosen.setdefault(owner)
            if len(chosen) >= keep:
                break
        return list(chosen)

    def shortlist(self, keys: Sequence[str]) -> list[np.ndarray]:
        """For each coarse query key, the slots of the most similar coarse gazetteer keys."""
        empty = np.zeros(0, dtype=np.int64)
        found: list[np.ndarray] = [empty for _ in keys]
        if not self.coarse_keys or not keys:
            return found
        limit = min(SHORTLIST_KEYS, len(self.coarse_keys))
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            scores = process.cdist(
                chunk,
                self.coarse_keys,
                scorer=fuzz.ratio,
                dtype=np.uint8,
                workers=-1,
                score_cutoff=SHORTLIST_FLOOR,
            )
            if limit < scores.shape[1]:
                best = np.argpartition(scores, -limit, axis=1)[:, -limit:]
            else:
                best = np.tile(np.arange(scores.shape[1]), (len(chunk), 1))
            for row, columns in enumerate(best):
                found[start + row] = columns[scores[row, columns] > 0]
        return found
