"""Units: the ways sources write an indicator's unit, and the factor into the canonical one."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def fold_unit(unit: str) -> str:
    return _fold(unit).rstrip(".")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("٪", "%").casefold()
    return "".join(text.split())


@dataclass(frozen=True)
class UnitTable:
    """Accepted spellings of one indicator's unit, each with its factor into ``canonical``."""

    canonical: str
    factors: Mapping[str, float]  # folded spelling -> factor
    spellings: tuple[str, ...] = ()  # as the edition writes them, for messages
    # Folded spellings, longest first: the order suffixes are tried in (once per table).
    longest_first: tuple[str, ...] = ()

    @classmethod
    def build(cls, canonical: str, aliases: Iterable[Mapping[str, object]]) -> UnitTable:
        factors: dict[str, float] = {fold_unit(canonical): 1.0} if canonical else {}
        spellings = [canonical] if canonical else []
        for alias in aliases:
            factor = alias.get("factor", 1)
            factors[fold_unit(str(alias["unit"]))] = float(factor)  # type: ignore[arg-type]
            spellings.append(str(alias["unit"]))
        longest = tuple(sorted((k for k in factors if k), key=len, reverse=True))
        return cls(canonical, factors, tuple(spellings), longest)

    def split_suffix(self, text: str) -> tuple[str, str] | None:
        """``("24.1", "ألف")`` when ``text`` ends with one of the unit's spellings.

        Units can contain digits (``µg/m³``, ``per 100,000``), so they are taken off before
        the number is read. The longest matching spelling wins.
        """
        joined = fold_unit(text)
        for key in self.longest_first:
            if joined.endswith(key) and len(key) < len(joined):
                # Walk back over the original text until the folded tail has been consumed.
                taken, cut = 0, len(text)
                while taken < len(key) and cut > 0:
                    cut -= 1
                    taken += len(_fold(text[cut]))
                return text[:cut].rstrip(), text[cut:].strip()
        return None

    def factor(self, written: str) -> float | None:
        """Factor for a written unit; an empty unit means the canonical one."""
        if not written.strip():
            return 1.0
        return self.factors.get(fold_unit(written))

    def accepted(self) -> str:
        return ", ".join(self.spellings)


def parse_alias_list(text: str) -> list[dict[str, object]]:
    """``"Gbps*1000|kbps*0.001|ميغابت/ث"`` -> [{"unit": "Gbps", "factor": 1000.0}, ...]."""
    aliases: list[dict[str, object]] = []
    for entry in text.split("|"):
        entry = entry.strip()
        if not entry:
            continue
        unit, star, factor = entry.rpartition("*")
        if star and unit.strip():
            aliases.append({"unit": unit.strip(), "factor": float(factor)})
        else:
            aliases.append({"unit": entry, "factor": 1.0})
    return aliases
