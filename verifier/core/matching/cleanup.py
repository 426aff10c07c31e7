"""Repair what copy-and-paste and PDF extraction do to labels before they are matched.

Three artefacts are handled here:

* invisible characters: bidi overrides and isolates, zero-width marks, BOM, tatweel;
* Arabic presentation forms (the shaped glyph code points PDFs often carry);
* Arabic in reversed visual order, as many PDF extractors emit it.

Folding presentation forms back to letters happens later, in the Arabic normaliser; this
module only needs their *shape* to tell whether a word was stored backwards.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Overrides and isolates, zero-width and direction marks, the Arabic letter mark, BOM,
# soft hyphen and tatweel: none of them carries identity.
INVISIBLES = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200b\u200c\u200d\u200e\u200f\u061c\ufeff\u2060\u00ad"
    "\u0640"
)
# A pattern rather than a translation table: a table costs a dictionary lookup per
# character, a pattern a fast scan of text that mostly has none of them.
_INVISIBLE = re.compile(f"[{INVISIBLES}]+")

_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF))
_PRESENTATION_B = (0xFE70, 0xFEFE)  # U+FEFF (BOM) shares the block but is not a letter


def strip_invisibles(text: str) -> str:
    return text if text.isascii() else _INVISIBLE.sub("", text)


def is_arabic_char(ch: str) -> bool:
    code = ord(ch)
    if _PRESENTATION_B[0] <= code <= _PRESENTATION_B[1]:
        return True
    return any(low <= code <= high for low, high in _ARABIC_RANGES)


def has_arabic(text: str) -> bool:
    return any(is_arabic_char(ch) for ch in text)


@lru_cache(maxsize=2048)
def _shape(ch: str) -> str:
    """'initial', 'medial', 'final', 'isolated' for a presentation form, else ''."""
    decomposition = unicodedata.decomposition(ch)
    if decomposition.startswith("<"):
        tag = decomposition[1 : decomposition.index(">")]
        if tag in ("initial", "medial", "final", "isolated"):
            return tag
    return ""


def _shaped_backwards(word: str) -> bool:
    """A word whose first glyph is a final form, or last glyph an initial form, was stored
    right-to-left as drawn: in logical order a word starts initial/isolated and ends
    final/isolated."""
    return _shape(word[0]) == "final" or _shape(word[-1]) == "initial"


def _shaped_forwards(word: str) -> bool:
    return _shape(word[0]) == "initial" or _shape(word[-1]) == "final"


# Letters after NFKC folding, for the plausibility checks below.
_ARTICLE = "ال"
_REVERSED_ARTICLE = "لا"
_NEVER_FIRST = ("ة", "ى")  # teh marbuta and alef maksura only ever end a word


def order_plausibility(text: str) -> int:
    """How much ``text`` looks like Arabic in logical order (positive) or reversed (negative).

    Evidence: words starting with the article or ending in teh marbuta / alef maksura vote
    for logical order; words ending in a reversed article or starting with a letter that can
    only end a word vote against it.
    """
    score = 0
    for word in unicodedata.normalize("NFKC", text).split():
        if len(word) < 3:
            continue
        starts_article = word.startswith(_ARTICLE)
        ends_reversed_article = word.endswith(_REVERSED_ARTICLE)
        if starts_article and not ends_reversed_article:
            score += 2
        elif ends_reversed_article and not starts_article:
            score -= 2
        if word[0] in _NEVER_FIRST:
            score -= 3
        if word[-1] in _NEVER_FIRST:
            score += 1
    return score


@dataclass(frozen=True)
class Reading:
    """One way to read a label: the text in logical order and how it was obtained."""

    text: str
    reversed: bool = False
    # True when the label gave no clear sign either way and both orders are tried.
    speculative: bool = False


def reversed_text(text: str) -> str:
    """Logical order from visual order: the whole string reversed, which also restores the
    word order of a multi-word name."""
    return text[::-1]


def _starts_impossibly(text: str) -> bool:
    return any(word[0] in _NEVER_FIRST for word in unicodedata.normalize("NFKC", text).split())


def readings(text: str, guess: bool = True) -> list[Reading]:
    """The plausible logical-order readings of an (already invisible-free) label.

    * Shaped glyphs at the wrong end of a word, or a word that can only be read backwards
      (starting with ة or ى), are proof: the reversed reading alone.
    * Article evidence (``ضايرلا``) is strong but real names end in لا too (كربلا, سلا):
      both readings, reversed first, neither penalised; the gazetteer decides and a tie keeps
      the match out of ``auto``.
    * No evidence either way: with ``guess``, the reversed reading is tried as well but marked
      speculative so that scoring discounts it.

    Without ``guess`` (curated names) only proof reverses a name: a gazetteer's بيلا or كربلا
    is read as written.
    """
    if not has_arabic(text):
        return [Reading(text)]
    backwards = reversed_text(text)
    words = [word for word in text.split() if has_arabic(word)]
    if any(_shaped_backwards(word) for word in words):
        return [Reading(backwards, reversed=True)]
    if any(_shaped_forwards(word) for word in words):
        return [Reading(text)]
    if _starts_impossibly(text) and not _starts_impossibly(backwards):
        return [Reading(backwards, reversed=True)]
    forward = order_plausibility(text)
    backward = order_plausibility(backwards)
    if backward > forward and guess:
        return [Reading(backwards, reversed=True), Reading(text)]
    if guess and backward == forward and forward <= 0:
        return [Reading(text), Reading(backwards, reversed=True, speculative=True)]
    return [Reading(text)]
