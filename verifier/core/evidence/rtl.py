"""Arabic lines out of PDFs, back in logical order.

PDF extractors give right-to-left lines as drawn: in visual order, every Arabic word's
letters reversed, often as presentation forms (the shaped glyphs). Whether a line is
backwards is decided by the matcher's own artefact repair (``matching.cleanup.readings``:
glyph shapes at the wrong end of a word are proof; articles and word-final letters are
strong evidence). A backwards line is then turned round the way the bidi algorithm laid it
out:

- a line that is mostly Arabic was a right-to-left paragraph: the whole line is reversed,
  then each left-to-right run in it (a Latin phrase, a number with its separators) is
  reversed back, so that ``Mbps 25 ةعرس`` reads ``سرعة 25 Mbps``;
- a line that is mostly Latin keeps its order; only its Arabic runs are reversed;
- brackets that come out the wrong way round (``)2021(``) are turned back;
- a percent sign left in front of a number (a producer drew it to the number's right) is
  put back after it: no Arabic text writes ``٪٨٥``.

Presentation forms are folded to letters last (folding first would turn the lam-alef
ligature round).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from verifier.core.matching.cleanup import has_arabic, readings, strip_invisibles

# Left-to-right material: Latin words (letters of left-to-right scripts with European
# digits, "4G", "Mbps", "12.5%"), and Arabic-Indic numbers, whose digits stay together only
# across the separators the bidi algorithm joins them by (so "٣-٢" is two runs, "٨٨٫٢" one).
_LATIN = r"(?:[^\W\d_](?<![\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc])|[0-9])"
_INDIC = r"[\u0660-\u0669\u06f0-\u06f9]"
_LTR_WORD = re.compile(
    f"{_LATIN}(?:[.,:/%+\\-]?{_LATIN})*%?|{_INDIC}(?:[.,:/\u066b\u066c]?{_INDIC})*"
)
# Private-use characters stand for Arabic ligature glyphs while a line is turned round.
LIGATURE_PLACEHOLDERS = range(0xE000, 0xE100)
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc\ue000-\ue0ff"
_ARABIC_RUN = re.compile(f"[{_ARABIC}]+(?:\\s+[{_ARABIC}]+)*")
# A percent sign drawn to the right of an Arabic-Indic number (as producers that treat it
# like the number's own terminator do) is in front of it once the line is turned round.
_PERCENT_FIRST = re.compile(r"(?<![\d\u066b\u066c.,])([\u066a%])(\d+(?:[\u066b\u066c.,]\d+)*)")
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]+")


_MIRRORED = str.maketrans("()[]{}«»", ")(][}{»«")


def _unmirrored(line: str) -> str:
    """Brackets the wrong way round after turning a line (a producer that drew the
    mirrored glyph of each): a closing bracket before any opening one says so, and every
    bracket of the line is swapped back."""
    depth = 0
    for ch in line:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                return line.translate(_MIRRORED)
    return line


def _is_latin_word(word: str) -> bool:
    return any(ch.isalpha() and not has_arabic(ch) for ch in word)


def _restore_ltr_runs(text: str) -> str:
    """Reverse back, in a line just reversed as a whole, each left-to-right run. Latin
    words separated by spaces form one run (the bidi algorithm keeps a Latin phrase
    together); a number stays its own run."""
    pieces: list[tuple[int, int]] = [(m.start(), m.end()) for m in _LTR_WORD.finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        if merged:
            last_start, last_end = merged[-1]
            gap = text[last_end:start]
            if (
                gap.strip() == ""
                and gap
                and _is_latin_word(text[last_start:last_end])
                and _is_latin_word(text[start:end])
            ):
                merged[-1] = (last_start, end)
                continue
        merged.append((start, end))
    out, position = [], 0
    for start, end in merged:
        out.append(text[position:start])
        out.append(text[start:end][::-1])
        position = end
    out.append(text[position:])
    return "".join(out)


def _arabic_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha() or ord(ch) in LIGATURE_PLACEHOLDERS]
    if not letters:
        return 0.0
    arabic = sum(1 for ch in letters if has_arabic(ch) or ord(ch) in LIGATURE_PLACEHOLDERS)
    return arabic / len(letters)


def fold_presentation_forms(text: str) -> str:
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m[0]), text)


def logical_line(line: str, backwards: bool) -> str:
    """One extracted line in logical order (``backwards``: the page came out in visual
    order), presentation forms folded to letters."""
    if not has_arabic(line):
        return line
    words = strip_invisibles(line)
    if backwards:
        if _arabic_share(words) >= 0.5:
            words = _PERCENT_FIRST.sub(r"\2\1", _restore_ltr_runs(words[::-1]))
            words = _unmirrored(words)
        else:
            words = _ARABIC_RUN.sub(lambda m: m[0][::-1], words)
    return fold_presentation_forms(words)


def _vote(line: str) -> int:
    """What the matcher's repair says of one line: positive if it reads backwards."""
    options = readings(strip_invisibles(line))
    first = options[0]
    if first.reversed:
        return 3 if len(options) == 1 else 1  # one reading only: the glyph shapes prove it
    if len(options) == 1:
        return -1
    return 0


def came_out_backwards(lines: Iterable[str]) -> bool | None:
    """Whether a page's Arabic lines are in visual order: True, False, or None when the
    page gives no sign (no Arabic, or evidence that cancels out)."""
    votes = sum(_vote(line) for line in lines if has_arabic(line))
    return None if votes == 0 else votes > 0


def logical_text(
    text: str, ligatures: Mapping[str, str] | None = None, *, assume: bool | None = None
) -> tuple[str, bool | None]:
    """A page's text in logical order, and whether it came out backwards.

    ``ligatures`` maps placeholder characters in ``text`` to the letters of an Arabic
    ligature glyph (lam-alef): extractors give a ligature's letters in logical order even
    on a reversed line, so the glyph is kept whole while the line is turned round.
    ``assume`` is what earlier pages showed, used when this page gives no sign."""
    if not has_arabic(text) and not ligatures:
        return text, None
    lines = text.split("\n")
    backwards = came_out_backwards(lines)
    decided = assume if backwards is None else backwards
    out = "\n".join(logical_line(line, bool(decided)) for line in lines)
    for placeholder, letters in (ligatures or {}).items():
        out = out.replace(placeholder, fold_presentation_forms(letters))
    return out, decided
