"""Text hygiene for untrusted strings: what is stored, what is shown, and what is compared.

Stored text is the original in logical order, NFC-normalised (NUL removed, as PostgreSQL
cannot store it). Keys used for matching, grouping and search drop invisible characters
and fold case and diacritics. Displayed text has every terminal control sequence removed.
"""

from __future__ import annotations

import re
import unicodedata

from db.vocab import Script

# Trojan-source overrides and isolates: never legitimate in a name or key.
BIDI_OVERRIDES = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Marks and joiners that are legitimate in Arabic/Persian text but carry no identity.
INVISIBLE_MARKS = "\u200b\u200c\u200d\u200e\u200f\u061c\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad"
TATWEEL = "\u0640"
# The rest of Unicode's default-ignorable code points (variation selectors, tags, the
# combining grapheme joiner, Mongolian selectors...): they draw nothing and mean nothing
# in a name.
_IGNORABLE = "".join(
    chr(c)
    for start, end in [
        (0x034F, 0x034F), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x2060, 0x206F),
        (0xFE00, 0xFE0F), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
        (0xE0000, 0xE0FFF),
    ]
    for c in range(start, end + 1)
)  # fmt: skip
# Fillers that draw a blank without being whitespace (Hangul fillers, the braille blank):
# in a key they are spaces, so a label made only of them is an empty label.
BLANK_FILLERS = "\u115f\u1160\u3164\uffa0\u2800"

# C0 controls but tab and newline, DEL and C1: what no terminal may receive from data.
CONTROLS = "".join(
    chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]
)
_DISPLAY_STRIP = str.maketrans("", "", CONTROLS + BIDI_OVERRIDES)
_KEY_STRIP = str.maketrans(
    {
        **dict.fromkeys(CONTROLS + BIDI_OVERRIDES + INVISIBLE_MARKS + TATWEEL + _IGNORABLE),
        **dict.fromkeys(BLANK_FILLERS, " "),
        "\t": " ",
        "\n": " ",
    }
)
# After NFKD: Arabic letters whose identity varies by source are folded for search.
_SEARCH_FOLD = str.maketrans({"ى": "ي", "ة": "ه", "ٱ": "ا", "ک": "ك", "ی": "ي"})
_COMBINING = re.compile(
    "[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
# Letters only: the Arabic block's marks, digits, punctuation and format characters (the
# Arabic letter mark U+061C in "Dubai\u061c") do not make a Latin label Arabic or mixed.
_ARABIC_LETTER = re.compile(
    "[\u0620-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufd3d\ufd50-\ufdfb\ufe70-\ufefc]"
)
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def clean_stored(text: str) -> str:
    """The form we store: NFC, no NUL. Everything else is kept as written."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def clean_display(text: str) -> str:
    """Safe to send to a terminal: no C0/C1 controls, DEL or bidi overrides.

    Tab and newline survive; use :func:`one_line` for single-line cells.
    """
    return text.translate(_DISPLAY_STRIP)


def one_line(text: str) -> str:
    """Display-safe text collapsed onto one line."""
    return " ".join(clean_display(text).split())


def match_key(text: str) -> str:
    """Identity of a label: invisible characters and tatweel gone, case folded, spaces squeezed.

    Two labels with the same key are "the same raw label" (bulk confirmation, learned aliases).
    """
    if text.isascii() and text.isprintable():  # the common case needs no Unicode work
        return " ".join(text.casefold().split())
    folded = unicodedata.normalize("NFKC", text).translate(_KEY_STRIP).casefold()
    return " ".join(folded.split())


def search_fold(text: str) -> str:
    """Looser than :func:`match_key`: diacritics, hamza seats and letter variants folded too,
    so a search typed without harakat or accents still finds the text."""
    if text.isascii() and text.isprintable():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text).translate(_KEY_STRIP)
    stripped = _COMBINING.sub("", decomposed).casefold().translate(_SEARCH_FOLD)
    return " ".join(stripped.split())


def detect_script(text: str) -> Script:
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if arabic and latin:
        return Script.MIXED
    if arabic:
        return Script.ARABIC
    if latin:
        return Script.LATIN
    return Script.OTHER


def has_arabic(text: str) -> bool:
    return _ARABIC_LETTER.search(text) is not None
