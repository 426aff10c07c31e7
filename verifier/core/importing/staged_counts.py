"""What the write transaction needs to know of a batch's items as a whole, counted while
they are staged (no lock held) instead of read back from the stage under the lock: how
many, how many without a number, the count of each match band, the batch's digest
(``core.eventlog.import_digest``) and each item tally key's count (``db.bulkload``).

Only valid while the stage holds exactly the items added: the stage stops offering them
once anything but adding changed it (duplicates moved out by the write,
``Stage.refuse_staged``), and the write then reads the stage as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from verifier.core.eventlog.import_digest import BatchDigest

# The item tally's key (migration 0010), from a staged item: NULL city and band count as ''.
_TALLIED = ("indicator_id", "city_id", "country", "match_band")


class StagedCounts:
    def __init__(self, columns: Sequence[str]) -> None:
        where = {name: index for index, name in enumerate(columns)}
        self._digests = itemgetter(where["import_digest"], where["match_digest"])
        self._number = where["value_number"]
        self._tallied = itemgetter(*(where[name] for name in _TALLIED))
        self.items = 0
        self.missing_values = 0
        self._groups: Counter[tuple[Any, ...]] = Counter()
        self._digest = BatchDigest()

    def add(self, items: Sequence[Sequence[Any]]) -> None:
        """Count staged items (in ``columns`` order), in file order."""
        number = self._number
        self.items += len(items)
        self.missing_values += sum(1 for item in items if item[number] is None)
        self._groups.update(map(self._tallied, items))
        self._digest.add_all(map(self._digests, items))

    def batch_digest(self) -> str:
        return self._digest.hexdigest()

    def bands(self) -> dict[str, int]:
        """Items by match band, bands in order, unmatched items left out."""
        found: Counter[str] = Counter()
        for (_, _, _, band), n in self._groups.items():
            if band is not None:
                found[band] += n
        return dict(sorted(found.items()))

    def tallies(self, edition_id: int, status: str) -> list[tuple[Any, ...]]:
        """(edition, indicator, city or '', country, band or '', status, count) of the
        items, all given ``status``: the rows migration 0010's tally adds for them."""
        keys: Counter[tuple[Any, ...]] = Counter()
        for (indicator, city, country, band), n in self._groups.items():
            keys[(edition_id, indicator, city or "", country, band or "", status)] += n
        return [(*key, n) for key, n in keys.items()]
