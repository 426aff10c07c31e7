"""The searchable gazetteer: every name and alias analysed once (``bulk.py``), exact keys in
a dict, coarse phonetic keys in a flat list that rapidfuzz scans in bulk to pick a shortlist
(``shortlist``), phonetic keys that a second vectorised pass narrows to a few names per
query form (``prefilter``), and the words of multi-word names (``partial.py``).

Only those few names get the full pairwise scoring, which is what keeps a batch of queries
against tens of thousands of cities fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from verifier.core.matching import romanised
from verifier.core.matching.bulk import analyse_names
from verifier.core.matching.forms import ARABIC, NameForm, label_key, label_keys
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.partial import WordIndex
from verifier.core.matching.phonetic import STANDARD, coarse, skeleton

# Distinct coarse keys kept per query form; enough that the true city survives a poor key.
SHORTLIST_KEYS = 20
# Coarse-key similarity below which a name is not worth scoring at all.
SHORTLIST_FLOOR = 45
# Cutoff of the first, quicker shortlist pass (see NameIndex.shortlist).
QUICK_PASS_FLOOR = 70
# Queries scanned per cdist call: bounds the score matrix to a few megabytes.
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
    }
)


def _quick_form(key: str) -> str:
    return f"{key}|{skeleton(key)}"


class NameRecord(NamedTuple):
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
        # Distinct phonetic keys searched by, with the records that have them.
        key_owners: dict[str, list[int]] = {}
        records, exact, labels = self.records, self.exact, self.labels
        for (position, field, text), forms, label in zip(
            names, analyse_names(texts), label_keys(texts), strict=True
        ):
            if forms:
                labels.setdefault(label, []).append(len(records))
            for form in forms:
                record_id = len(records)
                records.append(NameRecord(position, field, text, form))
                same_words = exact.get(form.plain)
                if same_words is None:
                    exact[form.plain] = [record_id]
                else:
                    same_words.append(record_id)
                searched = form.script == ARABIC
                for reading, key in form.keys:
                    if searched or reading in _SEARCHED_LATIN_READINGS:
                        owners = key_owners.get(key)
                        if owners is None:
                            key_owners[key] = [record_id]
                        else:
                            owners.append(record_id)
        self.words = WordIndex([(record.text, record.form) for record in self.records])
        # Keys grouped by coarse key ("slot"): the shortlist scans each distinct coarse key
        # once, and the keys of a slot are numbered consecutively so that a slot is a range.
        # Keys and their derived strings are computed over the joined text in one go.
        keys = list(key_owners)
        joined = "\n".join(keys)
        coarse_of_keys = coarse(joined).split("\n") if keys else []
        skeletons = skeleton(joined).split("\n") if keys else []
        by_slot: dict[str, list[int]] = {}
        for number, coarse_key in enumerate(coarse_of_keys):
            found = by_slot.get(coarse_key)
            if found is None:
                by_slot[coarse_key] = [number]
            else:
                found.append(number)
        self.coarse_keys: list[str] = list(by_slot)
        order = [number for numbers in by_slot.values() for number in numbers]
        bounds = np.cumsum([0, *map(len, by_slot.values())]).tolist()
        self._slot_ranges = list(pairwise(bounds))
        owner_lists = list(key_owners.values())
        self._key_owners = [owner_lists[number] for number in order]
        # Key and skeleton side by side, so that one rapidfuzz pass weighs both.
        self._quick_forms = [f"{keys[number]}|{skeletons[number]}" for number in order]

    def exact_hits(self, plain: str) -> list[int]:
        return self.exact.get(plain, [])

    def label_hits(self, label: str) -> list[int]:
        """Records whose whole name or alias is ``label`` up to :func:`label_key`."""
        return self.labels.get(label_key(label), [])

    def prefilter(
        self, requests: Sequence[tuple[Sequence[str], np.ndarray]], keep: int
    ) -> list[list[int]]:
        """For each request (the phonetic keys of a query form, its shortlisted slots): the
        ``keep`` records whose keys best fit any of the form's keys, key and skeleton
        together, so that full scoring runs on a handful of names per form."""
        chosen: list[list[int]] = []
        for keys, slots in requests:
            candidates: list[str] = []
            key_ids: list[int] = []
            for slot in slots.tolist():
                begin, end = self._slot_ranges[slot]
                candidates += self._quick_forms[begin:end]
                key_ids += range(begin, end)
            if not key_ids:
                chosen.append([])
                continue
            quick = process.cdist(
                [_quick_form(key) for key in keys], candidates, scorer=fuzz.ratio, dtype=np.uint8
            ).max(axis=0)
            chosen.append(self._best_owners(key_ids, quick, keep))
        return chosen

    def _best_owners(self, key_ids: list[int], quick: np.ndarray, keep: int) -> list[int]:
        """The first ``keep`` records owning the best-scoring of the keys ``key_ids``."""
        if len(quick) > keep:
            best = np.argpartition(quick, len(quick) - keep)[len(quick) - keep :]
            order = best[np.argsort(-quick[best], kind="stable")]
        else:
            order = np.argsort(-quick, kind="stable")
        chosen: dict[int, None] = {}
        for position in order.tolist():
            for owner in self._key_owners[key_ids[position]]:
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
            flat = np.flatnonzero(scores)  # faster than np.nonzero on a 2-D array
            rows, columns = np.divmod(flat, scores.shape[1])
            values = scores.ravel()[flat]
            # Best first within each row, then the first SHORTLIST_KEYS of each row.
            order = np.lexsort((-values.astype(np.int16), rows))
            rows, columns = rows[order], columns[order]
            bounds = np.searchsorted(rows, np.arange(len(chunk) + 1))
            for row, position in enumerate(chunk):
                begin, end = bounds[row], bounds[row + 1]
                if end - begin >= SHORTLIST_KEYS or floor <= SHORTLIST_FLOOR:
                    found[position] = columns[begin : min(end, begin + SHORTLIST_KEYS)]
                else:
                    short.append(position)
        return short
