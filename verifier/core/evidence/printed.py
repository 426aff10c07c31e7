"""The numbers printed in a passage of a document, read as the document writes them.

A page's text keeps its own digits and separators (``٦٨٫٢``, ``1 830 000`` with no-break
spaces, ``87,1 %``, ``٣٫٤ مليون``); each number is read with :func:`numbers.parse_value`,
a scale word after it applied, and the unit written after it kept, so that it can be
compared with an item's value after unit normalisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.core.numbers import SCALES, ValueParseError, parse_value
from verifier.core.units import UnitTable, fold_unit

# Digits of every script (``\d`` is Unicode-aware), joined by the separators numbers use:
# '.', ',', the Arabic decimal and thousands signs, and no-break or thin spaces before a
# group of three digits (French thousands). A plain space joins groups of three only in a
# French source, and only after a leading group of one to three digits: "2022 112 000" is
# the year and 112,000.
_BEFORE = r"(?<![\d.,\u066b\u066c])"
_AFTER = r"(?:[.,\u066b\u066c]\d+|[\u00a0\u202f\u2009]\d{3}(?!\d))*(?:\s?[%\u066a])?"
_NUMBER = re.compile(_BEFORE + r"\d+" + _AFTER)
_NUMBER_SPACED = re.compile(
    _BEFORE + r"(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)|\d+)" + _AFTER
)
_SCALE_AFTER = re.compile(r"\s*([^\W\d_]+)")
_UNIT_WINDOW = 24  # characters after a number in which its unit is looked for


@dataclass(frozen=True)
class PrintedNumber:
    """A number as printed at [start, end) of the text, with what follows it."""

    start: int
    end: int
    text: str  # as printed, with its percent sign and scale word
    value: float  # scale word applied
    unit_factor: float | None  # into the indicator's unit, when a unit is written after it
    plain_integer: bool  # digits only (no separator, no sign): could be a year

    def equals(self, number: float | None) -> bool:
        return number is not None and same_number(self.value, number)


def same_number(a: float, b: float) -> bool:
    """Equal but for floating-point noise (both come from decimal text)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def numbers_in(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    decimal_comma: bool = False,
    units: UnitTable | None = None,
) -> list[PrintedNumber]:
    """The numbers printed in ``text[start:end]`` in order; spans are in ``text``."""
    end = len(text) if end is None else end
    found: list[PrintedNumber] = []
    pattern = _NUMBER_SPACED if decimal_comma else _NUMBER
    for match in pattern.finditer(text, start, end):
        raw = match.group()
        try:
            parsed = parse_value(raw, decimal_comma=decimal_comma and "\u066b" not in raw)
        except ValueParseError:
            continue
        if parsed.number is None:
            continue
        value, stop = parsed.number, match.end()
        scale = _SCALE_AFTER.match(text, stop, min(len(text), stop + 16))
        if scale is not None and scale.group(1).casefold() in SCALES:
            value *= SCALES[scale.group(1).casefold()]
            stop = scale.end()
        digits = raw.strip().rstrip("%\u066a").strip()
        found.append(
            PrintedNumber(
                start=match.start(),
                end=stop,
                text=text[match.start() : stop],
                value=value,
                unit_factor=_unit_after(text, stop, units),
                plain_integer=digits.isdigit(),
            )
        )
    return found


def _unit_after(text: str, at: int, units: UnitTable | None) -> float | None:
    if units is None:
        return None
    following = fold_unit(text[at : at + _UNIT_WINDOW])
    if not following:
        return None
    for key in units.longest_first:
        if following.startswith(key):
            return units.factors[key]
    return None
