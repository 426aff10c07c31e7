"""Numbers as sources write them: Arabic-Indic and Persian digits, Arabic separators,
percent signs on either side, scale words, trailing units, and the ways of saying "no data".

``parse_value`` never guesses: a range, a bound or an approximation is refused with a
reason, and the text as written is always kept by the caller.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from verifier.core.text import BIDI_OVERRIDES, INVISIBLE_MARKS

# CLDR puts bidi marks around Arabic minus and percent signs; none of them is part of a number.
_INVISIBLE = BIDI_OVERRIDES + INVISIBLE_MARKS
# Arabic-Indic (U+0660) and Persian (U+06F0) digits.
_DIGITS = {chr(base + i): str(i) for base in (0x0660, 0x06F0) for i in range(10)}
_SEPARATORS = {
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator (a group separator, like ',')
    "\u066a": "%",  # Arabic percent sign
    "\u2212": "-",  # minus sign
    "\u2012": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u060c": ";",  # the Arabic comma lists values, it never separates digits
}
_NORMALISE = str.maketrans({**_DIGITS, **_SEPARATORS, **dict.fromkeys(_INVISIBLE)})

MISSING_TOKENS = frozenset(
    {
        "", "n/a", "na", "n.a.", "n.a", "-", "--", "—", "–", "..", "...", "…", "x",
        "not available", "no data", "nd", "غير متوفر", "غير متوفرة", "غير متاح", "غير متاحة",
        "لا تتوفر بيانات", "لا توجد بيانات", "غ.م", "non disponible", "nd.",
    }
)  # fmt: skip

SCALES = {
    "thousand": 1e3, "thousands": 1e3, "k": 1e3, "ألف": 1e3, "الف": 1e3, "آلاف": 1e3, "الاف": 1e3,
    "million": 1e6, "millions": 1e6, "mn": 1e6, "mln": 1e6, "مليون": 1e6, "ملايين": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "مليار": 1e9, "مليارات": 1e9,
    "milliard": 1e9, "milliards": 1e9,
}  # fmt: skip

_RANGE = re.compile(
    r"\d\s*(?:-|–|—|to|à|إلى|الى|~)\s*-?\d|^(?:between|entre|بين|ما بين)\s", re.IGNORECASE
)
_BOUND = re.compile(
    r"^(?:<|>|≤|≥|<=|>=|~|≈|±|about|approx\.?|approximately|around|over|under|more than|"
    r"less than|at least|up to|nearly|almost|plus de|moins de|environ|حوالي|حوالى|نحو|قرابة|"
    r"أكثر من|اكثر من|أقل من|اقل من|ما يقارب|تقريبا|تقريباً)",
    re.IGNORECASE,
)
# Bidi and zero-width marks between two digits (5\u200b0): dropping them would make one
# number of two, so the value is refused instead.
_INVISIBLE_INSIDE = re.compile(
    f"\\d[{_INVISIBLE}]+[\\d.,\u066b\u066c]|[.,\u066b\u066c][{_INVISIBLE}]+\\d"
)
_NUMBER = re.compile(r"[-+]?(?:\d[\d,. ']*\d|\d)")
_PARENS_NEGATIVE = re.compile(r"^\(\s*\d")


class ValueParseError(ValueError):
    """The text is not one unambiguous number; the message says why."""


@dataclass(frozen=True)
class ParsedValue:
    number: float | None  # None means missing ("n/a"), never zero
    unit: str  # unit written inside the value text ("%", "Mbps"), or ""

    @property
    def missing(self) -> bool:
        return self.number is None


def normalise_numeric_text(text: str) -> str:
    """Map digits and separators to ASCII, drop bidi marks; the rest is left as is."""
    return unicodedata.normalize("NFKC", text).translate(_NORMALISE).strip()


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def is_plain_number(text: str) -> bool:
    """ASCII digits with an optional sign and decimal point: most cells, read without work."""
    return _PLAIN_NUMBER.fullmatch(text) is not None


def parse_value(text: str, *, decimal_comma: bool = False) -> ParsedValue:
    """Parse one value cell. ``decimal_comma`` is for sources that write 12,5 (e.g. French)."""
    if is_plain_number(text) and not decimal_comma:  # the common case, fast
        return ParsedValue(_finite(float(text), text), "")
    if _INVISIBLE_INSIDE.search(text):
        raise ValueParseError(f"'{text}' has an invisible character inside the number")
    if "\u066b" in text or "\u066c" in text:
        decimal_comma = False  # Arabic separators say which is which, whatever the language
    plain = normalise_numeric_text(text)
    if plain.casefold() in MISSING_TOKENS:
        return ParsedValue(None, "")
    if _BOUND.match(plain):
        raise ValueParseError(f"'{text}' is a bound or an approximation, not a value")
    if _PARENS_NEGATIVE.match(plain):
        raise ValueParseError(f"'{text}' is in parentheses (negative? a note?): write it plainly")
    if _RANGE.search(plain):
        raise ValueParseError(f"'{text}' is a range, not a single value")
    numbers = _NUMBER.findall(plain)
    if not numbers:
        raise ValueParseError(f"'{text}' contains no number")
    if len(numbers) > 1:
        raise ValueParseError(f"'{text}' contains several numbers")
    raw = numbers[0]
    before, _, after = plain.partition(raw)
    number = _to_float(raw, decimal_comma=decimal_comma, original=text)
    unit, scale = _suffix(before.strip(), after.strip(), original=text)
    return ParsedValue(_finite(number * scale, text), unit)


def _finite(number: float, original: str) -> float:
    if not math.isfinite(number):
        raise ValueParseError(f"'{original}' is too large to be a value")
    return number


def _to_float(raw: str, *, decimal_comma: bool, original: str) -> float:
    sign = -1.0 if raw.startswith("-") else 1.0
    body = raw.lstrip("+-").replace("'", "")
    if decimal_comma:
        # Mirror image of the English convention: swap the roles, then read it as English.
        swapped = body.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        body = _english_separators(swapped, original)
    else:
        body = _english_separators(body, original)
    try:
        return sign * float(body)
    except ValueError as error:
        raise ValueParseError(f"'{original}' is not a well-formed number") from error


def _english_separators(body: str, original: str) -> str:
    """',' and ' ' group thousands; '.' is the decimal point. A lone ',' followed by other than
    three digits is a decimal comma (12,5); malformed grouping (1,23,4) is refused."""
    body = body.replace(" ", "")
    if "," not in body:
        return body
    integer, _, fraction = body.partition(".")
    groups = integer.split(",")
    if "." not in body and len(groups) == 2 and len(groups[1]) != 3:
        return f"{groups[0]}.{groups[1]}"
    if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        raise ValueParseError(f"'{original}' has misplaced thousands separators")
    return "".join(groups) + (f".{fraction}" if fraction else "")


def _suffix(before: str, after: str, *, original: str) -> tuple[str, float]:
    """What surrounds the number: a percent sign, a scale word, a unit. Returns (unit, scale)."""
    unit_parts: list[str] = []
    scale = 1.0
    for side in (before, after):
        if not side:
            continue
        if side.startswith("%") or side.endswith("%"):
            rest = side.strip("%").strip()
            if rest:
                raise ValueParseError(f"'{original}' has text beside the percent sign")
            unit_parts.append("%")
            continue
        words = side.split(maxsplit=1)
        first = words[0].casefold().rstrip(".")
        if first in SCALES and side is after:
            scale = SCALES[first]
            side = words[1] if len(words) > 1 else ""
        if side:
            unit_parts.append(side)
    if len(unit_parts) > 1:
        raise ValueParseError(f"'{original}' has text on both sides of the number")
    return (unit_parts[0] if unit_parts else ""), scale
