"""The symbols the learned transliteration model reads, and strings encoded as integers.

Arabic: the letters of a cleaned name (presentation forms folded, harakat dropped, article
and generic words already removed by the normaliser), each letter its own symbol, so that
ة, ه, أ and إ stay apart. Latin: lower case with the BGN/PCGN and ALA-LC letters kept as
symbols of their own (ḩ for ح, ş for ص, ţ for ط, ḑ for ض, ẓ for ظ, ‘ for ع, ’ for ء, ā ī ū
for the long vowels): they say which Arabic letter was meant, and the model learns how much.
Every other diacritic is folded away (é → e). A space separates words in both scripts.

Segments of up to MAX_SEGMENT symbols are numbered by a code that packs the symbols'
numbers, 6 bits each, so that a whole batch of strings is cut into segments with a few
array operations.
"""

from __future__ import annotations

import unicodedata

import numpy as np

MAX_SEGMENT = 3
BITS = 6
# Symbol 0 pads; the last symbol of each alphabet stands for anything else.
LATIN_SYMBOLS = " abcdefghijklmnopqrstuvwxyz0123456789āīūḩşţḑẓ‘’'?"
ARABIC_SYMBOLS = " ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيٱ?"


class Script:
    """One side of a pair: its symbols numbered from 1, strings as padded int arrays, and
    segments (up to ``MAX_SEGMENT`` symbols) as integer codes."""

    def __init__(self, name: str, symbols: str) -> None:
        assert len(symbols) < (1 << BITS)
        self.name = name
        self.symbols = symbols
        self.index = {symbol: number + 1 for number, symbol in enumerate(symbols)}
        self.unknown = self.index["?"]
        self.size = len(symbols) + 1  # with the padding symbol 0

    def encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Texts as a padded int array (one row per text, 0 after the end), and lengths."""
        lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=len(texts))
        width = int(lengths.max()) if len(texts) else 0
        array = np.zeros((len(texts), max(width, 1)), dtype=np.int64)
        get, unknown = self.index.get, self.unknown
        for row, text in enumerate(texts):
            if text:
                array[row, : len(text)] = [get(ch, unknown) for ch in text]
        return array, lengths

    def segment_text(self, code: int) -> str:
        symbols = []
        while code:
            symbols.append(self.symbols[(code & ((1 << BITS) - 1)) - 1])
            code >>= BITS
        return "".join(reversed(symbols))

    def segment_code(self, text: str) -> int:
        code = 0
        for ch in text:
            code = (code << BITS) | self.index.get(ch, self.unknown)
        return code


LATIN = Script("latin", LATIN_SYMBOLS)
ARABIC = Script("arabic", ARABIC_SYMBOLS)
SEGMENT_CODES = 1 << (BITS * MAX_SEGMENT)


# Marked letters in their variant spellings (ALA-LC dots below, precomposed or combining).
_MARKED = {
    "ā": "ā",
    "á": "ā",
    "â": "ā",
    "à": "a",
    "ī": "ī",
    "î": "ī",
    "ū": "ū",
    "û": "ū",
    "ḩ": "ḩ",
    "ḥ": "ḩ",
    "ş": "ş",
    "ṣ": "ş",
    "ţ": "ţ",
    "ṭ": "ţ",
    "ḑ": "ḑ",
    "ḍ": "ḑ",
    "ẓ": "ẓ",
    "ʿ": "‘",
    "‘": "‘",
    "`": "‘",
    "ʾ": "’",
    "’": "’",
    "ʼ": "’",
    "'": "'",
    "´": "'",
}
_COMPOSED_Z = "z\u0327"  # z with a combining cedilla: BGN's ظ
_LATIN_TABLE = {ord(key): value for key, value in _MARKED.items()}


def latin_letters(word_text: str) -> str:
    """Lower case, BGN/PCGN letters kept as model symbols, other diacritics removed. The
    caller has already split words and removed articles; this only spells."""
    text = unicodedata.normalize("NFC", word_text.lower()).replace(_COMPOSED_Z, "ẓ")
    text = text.translate(_LATIN_TABLE)
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch in LATIN.index or ch.isascii():
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch)[:1]
        out.append(base if base.isascii() else ch)
    return "".join(out)


def segment_codes(encoded: np.ndarray, longest: int = MAX_SEGMENT) -> list[np.ndarray]:
    """For k = 0..longest, the code of the segment of k symbols ending before column j, for
    j = 0..width (shape rows × width+1); -1 where the segment would start before the string
    or runs into padding. Code 0 is the empty segment."""
    rows, width = encoded.shape
    padded = np.zeros((rows, width + 1), dtype=np.int64)
    padded[:, 1:] = encoded
    codes = [np.zeros((rows, width + 1), dtype=np.int64)]
    running = np.zeros((rows, width + 1), dtype=np.int64)
    valid = np.ones((rows, width + 1), dtype=bool)
    for k in range(1, longest + 1):
        shifted = np.zeros((rows, width + 1), dtype=np.int64)
        shifted[:, k:] = padded[:, 1 : width + 2 - k]
        # The symbol k-1 places before the end of the segment is its first so far.
        running = running + (shifted << (BITS * (k - 1)))
        valid = valid & (shifted > 0)
        valid[:, :k] = False
        codes.append(np.where(valid, running, -1))
    return codes
