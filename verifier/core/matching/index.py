"""The searchable gazetteer: every name and alias analysed once (``bulk.py``), exact keys in
a dict, coarse phonetic keys in a flat list that rapidfuzz scans in bulk to pick a shortlist
(``shortlist``), phonetic keys that a second vectorised pass narrows to a few names per
query form (``prefilter``), and the words of multi-word names (``partial.py``).

Only those few names get the full pairwise scoring, which is what keeps a batch of queries
against tens of thousands of cities fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import accumulate

import numpy as np
from rapidfuzz import fuzz, process

from verifier.core.matching import lexicon, romanised, traditions
from verifier.core.matching.bulk import analyse_all
from verifier.core.matching.forms import ARABIC, NameForm, with_regional_readings
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.partial import WordIndex
from verifier.core.matching.phonetic import STANDARD, coarse, skeleton

# Distinct coarse keys kept per query form; enough that the true city survives a poor key.
SHORTLIST_KEYS = 20
# Coarse-key similarity below which a name is not worth scoring at all.
SHORTLIST_FLOOR = 45
# Cutoff of the first, quicker shortlist pass (see NameIndex.shortlist).
QUICK_PASS_FLOOR = 70
# Queries scanned per cdist call: bounds the score matrix to a few megabytes (and row numbers
# to a byte, for the sort in _shortlist_pass).
_CHUNK = 256
_NO_SLOTS = np.zeros(0, dtype=np.int64)


# The readings of Latin names the shortlist searches by: those that change consonants. The
# others change only vowels (or p and v, which the coarse key merges with b and f), which
# the shortlist barely weighs; they are scored once a name is shortlisted. Arabic readings
# all change consonants and are all searched.
_SEARCHED_LATIN_READINGS = frozenset(
    {
        STANDARD,
        romanised.MARKS_IGNORED,
        romanised.MARKED,
        romanised.SOFT_C,
        romanised.ARTICLE_GLUED,
        romanised.RH_AS_GH,
        romanised.ITALIAN_SPELLING,
        lexicon.TRANSLATED,
        romanised.SOMALI_SPELLING,
    }
)


def _grouped(keys: Iterable[str], values: Iterable[int]) -> dict[str, list[int]]:
    """The values of each key, in order; keys in order of first appearance."""
    groups: dict[str, list[int]] = {}
    get = groups.get
    for key, value in zip(keys, values, strict=True):
        found = get(key)
        if found is None:
            groups[key] = [value]
        else:
            found.append(value)
    return groups


def _nonzero(scores: np.ndarray) -> np.ndarray:
    """``np.flatnonzero(scores)`` for a sparse uint8 array, faster: the array is scanned as
    64-bit words and only the non-zero words are looked into."""
    flat = scores.ravel()
    whole = flat.size - flat.size % 8
    words = np.flatnonzero(flat[:whole].view(np.uint64))
    rows, offsets = np.nonzero(flat[:whole].reshape(-1, 8)[words])
    found = words[rows] * 8 + offsets
    if whole < flat.size:
        found = np.concatenate([found, np.flatnonzero(flat[whole:]) + whole])
    return found


def _quick_form(key: str) -> str:
    return f"{key}|{skeleton(key)}"


class NameIndex:
    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries: list[GazetteerEntry] = list(entries)
        self.countries = frozenset(entry.country for entry in self.entries if entry.country)
        # By position, for ranking candidates without an attribute lookup each.
        self.city_ids = [entry.city_id for entry in self.entries]
        self.city_countries = [entry.country for entry in self.entries]
        names: list[tuple[int, str, str]] = []
        for position, entry in enumerate(self.entries):
            if entry.name_en:
                names.append((position, "name_en", entry.name_en))
            if entry.name_ar:
                names.append((position, "name_ar", entry.name_ar))
            if entry.aliases:
                aliases = dict.fromkeys(entry.aliases) if len(entry.aliases) > 1 else entry.aliases
                names += [(position, "alias", alias) for alias in aliases if alias]
        texts = [text for _, _, text in names]
        analysed, label_of = analyse_all(texts)
        # One record per form (most names have exactly one), its parts in parallel lists by
        # record id: the index has tens of thousands of records, built by comprehensions
        # and grouped in tight loops.
        forms = [form for found in analysed for form in found]
        named = [names[number] for number, found in enumerate(analysed) for _ in found]
        regional = traditions.REGIONAL_LATIN
        forms = [
            with_regional_readings(form) if self.city_countries[position] in regional else form
            for form, (position, _, _) in zip(forms, named, strict=True)
        ]
        self.record_forms: list[NameForm] = forms
        self.record_entries: list[int] = [position for position, _, _ in named]
        self.record_fields: list[str] = [field for _, field, _ in named]  # name_en, name_ar, alias
        self.record_texts: list[str] = [text for _, _, text in named]
        self.exact: dict[str, list[int]] = _grouped(
            [form.plain for form in forms], range(len(forms))
        )
        # Whole-label keys, each to the first record of the name: a raw label a person
        # confirmed, stored as an alias, matches itself.
        firsts = list(accumulate((len(found) for found in analysed), initial=0))
        labelled = [number for number, found in enumerate(analysed) if found]
        self.labels: dict[str, list[int]] = _grouped(
            [label_of[n] for n in labelled], [firsts[n] for n in labelled]
        )
        # Distinct phonetic keys searched by, with the records that have them.
        key_owners: dict[str, list[int]] = {}
        get = key_owners.get
        for record_id, form in enumerate(forms):
            every_reading = form.script == ARABIC
            for reading, key in form.keys:
                if every_reading or reading in _SEARCHED_LATIN_READINGS:
                    owners = get(key)
                    if owners is None:
                        key_owners[key] = [record_id]
                    else:
                        owners.append(record_id)
        self.words = WordIndex(self.record_texts, forms)
        # Keys grouped by coarse key ("slot"): the shortlist scans each distinct coarse key
        # once, and the keys of a slot are numbered consecutively so that a slot is a range.
        # Keys and their derived strings are computed over the joined text in one go.
        keys = list(key_owners)
        joined = "\n".join(keys)
        coarse_of_keys = coarse(joined).split("\n") if keys else []
        skeletons = skeleton(joined).split("\n") if keys else []
        by_slot = _grouped(coarse_of_keys, range(len(keys)))
        self.coarse_keys: list[str] = list(by_slot)
        order = [number for numbers in by_slot.values() for number in numbers]
        sizes = np.array([len(numbers) for numbers in by_slot.values()], dtype=np.int64)
        self._slot_sizes = sizes
        self._slot_starts = np.cumsum(sizes) - sizes
        owner_lists = list(key_owners.values())
        self._key_owners = [owner_lists[number] for number in order]
        # Key and skeleton side by side, so that one rapidfuzz pass weighs both; an array,
        # so that the keys of many slots are gathered by one fancy index.
        self._quick_forms = np.array(
            [f"{keys[number]}|{skeletons[number]}" for number in order], dtype=object
        )

    def exact_hits(self, plain: str) -> list[int]:
        return self.exact.get(plain, [])

    def label_hits(self, key: str) -> list[int]:
        """Records whose whole name or alias has the :func:`label_key` ``key``."""
        return self.labels.get(key, [])

    def prefilter(
        self, requests: Sequence[tuple[Sequence[str], np.ndarray]], keep: int
    ) -> list[list[int]]:
        """For each request (the phonetic keys of a query form, its shortlisted slots): the
        ``keep`` records whose keys best fit any of the form's keys, key and skeleton
        together, so that full scoring runs on a handful of names per form."""
        chosen: list[list[int]] = []
        starts, sizes, quick_forms = self._slot_starts, self._slot_sizes, self._quick_forms
        for keys, slots in requests:
            if not len(slots):
                chosen.append([])
                continue
            # The key ids of the slots, in slot order: each slot's range laid end to end.
            slot_sizes = sizes[slots]
            ends = np.cumsum(slot_sizes)
            key_ids = np.arange(ends[-1]) + np.repeat(starts[slots] - ends + slot_sizes, slot_sizes)
            quick = process.cdist(
                [_quick_form(key) for key in keys],
                quick_forms[key_ids],
                scorer=fuzz.ratio,
                dtype=np.uint8,
            ).max(axis=0)
            chosen.append(self._best_owners(key_ids, quick, keep))
        return chosen

    def _best_owners(self, key_ids: np.ndarray, quick: np.ndarray, keep: int) -> list[int]:
        """The first ``keep`` records owning the best-scoring of the keys ``key_ids``."""
        if len(quick) > keep:
            best = np.argpartition(quick, len(quick) - keep)[len(quick) - keep :]
            order = best[np.argsort(-quick[best], kind="stable")]
        else:
            order = np.argsort(-quick, kind="stable")
        chosen: dict[int, None] = {}
        key_owners = self._key_owners
        for key_id in key_ids[order].tolist():
            for owner in key_owners[key_id]:
                chosen.setdefault(owner)
            if len(chosen) >= keep:
                break
        return list(chosen)

    def shortlist(self, keys: Sequence[str]) -> list[np.ndarray]:
        """For each coarse query key, the slots of the SHORTLIST_KEYS most similar coarse
        gazetteer keys (fewer if fewer reach SHORTLIST_FLOOR).

        Two passes give the same slots faster: most keys find enough slots at a high cutoff,
        which rapidfuzz checks quickly; only the others are scanned again down to the floor."""
        found: list[np.ndarray] = [_NO_SLOTS for _ in keys]
        if not self.coarse_keys or not keys:
            return found
        rest = self._shortlist_pass(keys, range(len(keys)), QUICK_PASS_FLOOR, found)
        self._shortlist_pass(keys, rest, SHORTLIST_FLOOR, found)
        return found

    def _shortlist_pass(
        self, keys: Sequence[str], wanted: Sequence[int], floor: int, found: list[np.ndarray]
    ) -> list[int]:
        """Fill ``found`` for the keys at positions ``wanted`` that have SHORTLIST_KEYS slots
        scoring at least ``floor`` (all of them when ``floor`` is the last one); return the
        positions of the others."""
        short: list[int] = []
        for start in range(0, len(wanted), _CHUNK):
            chunk = list(wanted[start : start + _CHUNK])
            scores = process.cdist(
                [keys[position] for position in chunk],
                self.coarse_keys,
                scorer=fuzz.ratio,
                dtype=np.uint8,
                workers=-1,
                score_cutoff=floor,
            )
            flat = _nonzero(scores)
            rows, columns = np.divmod(flat, scores.shape[1])
            values = scores.ravel()[flat]
            # Best first within each row (the column order among equals), then the first
            # SHORTLIST_KEYS of each row: one 16-bit key, which numpy sorts by radix.
            order = np.argsort((rows.astype(np.uint16) << 8) | (255 - values), kind="stable")
            rows, columns = rows[order], columns[order]
            bounds = np.searchsorted(rows, np.arange(len(chunk) + 1))
            for row, position in enumerate(chunk):
                begin, end = bounds[row], bounds[row + 1]
                if end - begin >= SHORTLIST_KEYS or floor <= SHORTLIST_FLOOR:
                    found[position] = columns[begin : min(end, begin + SHORTLIST_KEYS)]
                else:
                    short.append(position)
        return short
