"""Text folded for searching a document, with the way back to the original.

Searching a page must find ``٨٨٫٢`` when ``88.2`` is typed, ``الرياض`` when the page has
``اَلرِّيَاض`` or presentation forms, and ``broadband`` when the page broke it as
``broad-\\nband``. :func:`fold` gives the folded text and, for each folded character, the
index of the original character it came from, so that a hit is shown (and highlighted) in
the text as stored.

Folding, character by character: NFKC (presentation forms, ligatures, full-width forms);
digits of every script to ASCII; the Arabic decimal, thousands and percent signs to
``.``, ``,`` and ``%``; diacritics (harakat included), tatweel and invisible marks
dropped; case folded; Arabic letter variants folded (ى→ي, ة→ه, أ/إ/آ/ٱ→ا, ک→ك, ی→ي); any
run of whitespace one space, and none between a number and its percent sign; a percent
sign in front of a number put after it; a hyphen at the end of a line between two letters
dropped with the line break.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_DROP = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u061c\u2060\ufeff\u00ad\u0640"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_SPECIAL = {
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
    "\u066a": "%",  # Arabic percent sign
    "\u060c": ",",  # Arabic comma
    "\u061b": ";",  # Arabic semicolon
    "\u2212": "-",  # minus sign
    "\u2013": "-",
    "\u2014": "-",
    "ى": "ي",
    "ة": "ه",
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ک": "ك",
    "ی": "ي",
}
_HYPHENS = "-\u2010\u2011"
_PERCENT_FIRST = re.compile(r"(?<![\d.,])%\d+(?:[.,]\d+)*")
_LINE_BREAK_HYPHEN = re.compile(r"(?<=\w)[" + _HYPHENS + r"][ \t]*\n[ \t]*(?=\w)")


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """What one character becomes in folded text ("" when it is dropped)."""
    if ch in _DROP:
        return ""
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ch.isdigit():
        return str(unicodedata.digit(ch, 0)) if unicodedata.digit(ch, None) is not None else ch
    if ch.isspace():
        return " "
    out = []
    for part in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", ch)):
        if unicodedata.combining(part) or part in _DROP:
            continue
        part = _SPECIAL.get(part, part)
        if part.isdigit() and unicodedata.digit(part, None) is not None:
            part = str(unicodedata.digit(part))
        out.append(part.casefold())
    return "".join(out)


@dataclass(frozen=True)
class Folded:
    """Folded text and, for each of its characters, the index in the original."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span a folded span [start, end) came from."""
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else self._end()
            return at, at
        return self.origin[start], self.origin[end - 1] + 1

    def _end(self) -> int:
        return self.origin[-1] + 1 if self.origin else 0


def fold(text: str) -> Folded:
    """Fold ``text`` for search (see the module docstring), keeping where each character
    came from."""
    skip: set[int] = set()
    for match in _LINE_BREAK_HYPHEN.finditer(text):
        skip.update(range(match.start(), match.end()))
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        if index in skip:
            continue
        folded = fold_char(ch)
        for piece in folded:
            if piece == " " and (not chars or chars[-1] == " "):
                continue
            if (
                piece == "%"
                and len(chars) > 1
                and chars[-1] == " "
                and chars[-2].isdigit()
                and not text[index + 1 : index + 2].isdigit()  # "2022 %60.2": 60.2's sign
            ):
                chars.pop()  # "٨٨٫٢ ٪" is "88.2%"
                origin.pop()
            chars.append(piece)
            origin.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    text = "".join(chars)
    if "%" in text:
        # "%60.2", as a quote copied in visual order has it, is "60.2%".
        for match in _PERCENT_FIRST.finditer(text):
            start, end = match.span()
            chars[start:end] = [*chars[start + 1 : end], "%"]
            origin[start:end] = [*origin[start + 1 : end], origin[start]]
        text = "".join(chars)
    return Folded(text, tuple(origin))


def fold_query(text: str) -> str:
    """A search phrase folded the same way (line-break hyphens included)."""
    return fold(text).text
