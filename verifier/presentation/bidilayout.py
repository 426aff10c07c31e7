"""The Unicode Bidirectional Algorithm's line rules, and Arabic shaping, for terminals that do
neither. The functions here work on plain strings and return, with each displayed string,
where every one of its characters comes from in the input, so that styles (a highlighted
value, a bold label) follow the characters they were given to. ``display.py`` is the API.

- Levels come from the Rust ``unicode-bidi`` crate through python-bidi (paired brackets,
  rule N0, included); python-bidi hands them out only in its debug output, which is read
  here. A line is then reordered with the rules of UAX #9 section 3.4: L1 (trailing white
  space at the paragraph level), L2 (reversal), L3 (a combining mark stays after its base
  character) and L4 (mirrored glyphs, such as brackets and guillemets, in right-to-left runs).
- Shaping is arabic-reshaper's, with the harakat kept; the lam-alef ligatures are made here
  so that every shaped character still knows its source.
- Invisible marks (RLM, ALM, ZWJ...) take part in both, then never reach the terminal.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from rich.cells import get_character_cell_size

from verifier.core.safe_output import TERMINAL_UNSAFE
from verifier.core.text import BIDI_OVERRIDES, INVISIBLE_MARKS

ELLIPSIS = "…"
# Removed from what is shown, after they did their work in shaping and reordering.
_INVISIBLE = frozenset(INVISIBLE_MARKS + BIDI_OVERRIDES)
# Harakat and other Arabic combining marks: kept unless the display setting removes them.
HARAKAT = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]"
)
# Characters that make a paragraph need the algorithm at all (RTL letters, Arabic digits
# and marks); text without any of them is shown exactly as it is stored.
_RTL = re.compile(
    "[\u0590-\u08ff\u200f\u061c\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
# A right-to-left run inside a left-to-right sentence: from a right-to-left character to the
# last one before a Latin letter or a line's end (digits and punctuation between belong to it).
RTL_RUN = re.compile(f"{_RTL.pattern}(?:[^A-Za-z\u00c0-\u024f\n]*{_RTL.pattern})?")
_DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
NUMBER = re.compile(f"[-\u2212+]?[{_DIGITS}](?:[{_DIGITS}.,\u066b\u066c]*[{_DIGITS}])?[%\u066a]?")

_LAM_FORMS = {"\ufedf": "isolated", "\ufee0": "final"}  # lam initial / medial, shaped
_LAM_ALEF = {  # alef (final form) after a lam: (ligature after an initial lam, after a medial)
    "\ufe82": ("\ufef5", "\ufef6"),  # alef with madda
    "\ufe84": ("\ufef7", "\ufef8"),  # alef with hamza above
    "\ufe88": ("\ufef9", "\ufefa"),  # alef with hamza below
    "\ufe8e": ("\ufefb", "\ufefc"),  # alef
}


@dataclass(frozen=True)
class Line:
    """One displayed line: its text, and for each character the index in the input it comes
    from (-1 for an ellipsis that was added)."""

    text: str
    sources: tuple[int, ...]
    rtl: bool  # the paragraph reads right to left (RTL lines are aligned right)


def paragraph_is_rtl(text: str) -> bool:
    """Rules P2 and P3: the first strong character decides (none: left to right)."""
    if not _RTL.search(text):
        return False
    from bidi import get_base_level

    return get_base_level(text.translate(_STRIP_OVERRIDES)) == 1


_STRIP_OVERRIDES = str.maketrans("", "", BIDI_OVERRIDES)


def needs_bidi(text: str) -> bool:
    return _RTL.search(text) is not None


# Cleaning ------------------------------------------------------------------------------


def clean(
    text: str, *, one_line: bool, harakat: bool, squeeze: bool = True
) -> tuple[str, list[int]]:
    """Controls and bidi overrides dropped; white space squeezed to single spaces (one line)
    or kept per line (``squeeze`` False: every space kept, as typed); harakat dropped if
    asked. Returns the text and, for each character, its index in ``text``."""
    chars: list[str] = []
    sources: list[int] = []
    pending_space = -1
    for index, char in enumerate(text):
        if char in TERMINAL_UNSAFE:
            continue
        if not harakat and HARAKAT.match(char):
            continue
        if not squeeze:
            chars.append(" " if char.isspace() else char)
            sources.append(index)
            continue
        if char.isspace() and (one_line or char != "\n"):
            if chars and pending_space < 0:
                pending_space = index
            continue
        if pending_space >= 0:
            if chars and chars[-1] != "\n" and char != "\n":
                chars.append(" ")
                sources.append(pending_space)
            pending_space = -1
        chars.append(char)
        sources.append(index)
    return "".join(chars), sources


# Shaping -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _reshaper() -> object:
    return _import_reshaper().ArabicReshaper(
        configuration={"delete_harakat": False, "support_ligatures": False, "support_zwj": True}
    )


def _import_reshaper() -> ModuleType:
    """arabic-reshaper without the font library it loads only to read a configuration out
    of a font file, which is never done here: that import was a sixtieth of the review UI's
    start-up. It tolerates the library's absence; the library stays importable."""
    if "arabic_reshaper" in sys.modules or "fontTools" in sys.modules:
        import arabic_reshaper

        return arabic_reshaper
    sys.modules["fontTools"] = None  # type: ignore[assignment]  # an import of it fails
    try:
        import arabic_reshaper
    finally:
        if "fontTools" in sys.modules and sys.modules["fontTools"] is None:
            del sys.modules["fontTools"]
    return arabic_reshaper


def shape(text: str, sources: list[int]) -> tuple[str, list[int]]:
    """Arabic letters in their joined forms (presentation forms), lam-alef as a ligature."""
    if not _RTL.search(text):
        return text, sources
    shaped: str = _reshaper().reshape(text)  # type: ignore[attr-defined]
    kept = [i for i, char in enumerate(text) if char != "\u200d"]
    if len(shaped) != len(kept):  # not one character for one: show it unshaped
        return text, sources
    chars, where = list(shaped), [sources[i] for i in kept]
    out_chars: list[str] = []
    out_where: list[int] = []
    lam = -1  # position in out_chars of a lam waiting for an alef
    for char, source in zip(chars, where, strict=True):
        if char in _LAM_ALEF and lam >= 0:
            isolated, final = _LAM_ALEF[char]
            form = _LAM_FORMS[out_chars[lam]]
            out_chars[lam] = isolated if form == "isolated" else final
            lam = -1
            continue
        if char in _LAM_FORMS:
            lam = len(out_chars)
        elif not unicodedata.combining(char):
            lam = -1
        out_chars.append(char)
        out_where.append(source)
    return "".join(out_chars), out_where


# Levels --------------------------------------------------------------------------------

_LEVELS = re.compile(r"\n    levels: \[\n(.*?)\n    \],\n    paragraphs", re.S)
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


@lru_cache(maxsize=16_384)
def levels(text: str, rtl: bool) -> tuple[int, ...]:
    """The resolved embedding level of each character of one paragraph (rules up to I2)."""
    from bidi import get_display

    debug = str(get_display(text, base_dir="R" if rtl else "L", debug=True))
    found = _LEVELS.search(debug)
    by_byte = [int(n) for n in _LEVEL.findall(found.group(1))] if found else []
    result: list[int] = []
    offset = 0
    for char in text:
        if offset >= len(by_byte):
            raise RuntimeError("python-bidi's debug output no longer gives the levels")
        result.append(by_byte[offset])
        offset += len(char.encode("utf-8"))
    if offset != len(by_byte):
        raise RuntimeError("python-bidi's debug output no longer gives the levels")
    return tuple(result)


@lru_cache(maxsize=1)
def _mirrors() -> dict[str, str]:
    from bidi.mirror import MIRRORED

    return dict(MIRRORED)


def reorder(text: str, levels_: Sequence[int], rtl: bool) -> list[int]:
    """Rules L1 to L4 for one line: the visual order, as positions in ``text``."""
    base = 1 if rtl else 0
    line = list(levels_)
    # L1: white space (and invisible marks) at the end of the line go to the paragraph level.
    end = len(text)
    while end > 0 and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
        line[end] = base
    # L3 by construction: a base character and its combining marks move as one cluster.
    clusters: list[list[int]] = []
    for position, char in enumerate(text):
        if clusters and unicodedata.combining(char):
            clusters[-1].append(position)
        else:
            clusters.append([position])
    cluster_levels = [line[cluster[0]] for cluster in clusters]
    # L2: from the highest level down to the lowest odd one, reverse every run at or above.
    if cluster_levels:
        highest = max(cluster_levels)
        lowest_odd = (
            min(level for level in cluster_levels if level % 2)
            if any(level % 2 for level in cluster_levels)
            else highest + 1
        )
        order = list(range(len(clusters)))
        for level in range(highest, lowest_odd - 1, -1):
            start = None
            for index in range(len(order) + 1):
                inside = index < len(order) and cluster_levels[order[index]] >= level
                if inside and start is None:
                    start = index
                elif not inside and start is not None:
                    order[start:index] = order[start:index][::-1]
                    start = None
    else:
        order = []
    return [position for cluster in order for position in clusters[cluster]]


def visual(text: str, sources: list[int], levels_: Sequence[int], rtl: bool) -> Line:
    """One line in visual order: reordered (L1-L3), mirrored (L4), invisible marks gone."""
    mirrors = _mirrors()
    chars: list[str] = []
    where: list[int] = []
    for position in reorder(text, levels_, rtl):
        char = text[position]
        if char in _INVISIBLE:
            continue
        if levels_[position] % 2 and char in mirrors:
            char = mirrors[char]
        chars.append(char)
        where.append(sources[position])
    return Line("".join(chars), tuple(where), rtl)


def logical(text: str, sources: list[int], rtl: bool) -> Line:
    """One line left in logical order (for terminals that apply bidi): marks still removed."""
    kept = [(c, s) for c, s in zip(text, sources, strict=True) if c not in _INVISIBLE]
    return Line("".join(c for c, _ in kept), tuple(s for _, s in kept), rtl)


# Widths, truncation and wrapping ---------------------------------------------------------


def width_of(text: str) -> int:
    return sum(get_character_cell_size(c) for c in text if c not in _INVISIBLE)


def _fit(text: str, room: int) -> int:
    """How many characters of ``text``, from its start, fit in ``room`` cells (combining
    marks stay with their base character)."""
    used = 0
    count = 0
    for char in text:
        size = 0 if char in _INVISIBLE else get_character_cell_size(char)
        if used + size > room:
            break
        used += size
        count += 1
    while 0 < count < len(text) and unicodedata.combining(text[count]):
        count -= 1  # a mark whose base did not fit goes with it
    return count


def truncate(
    text: str, sources: list[int], width: int, *, keep_number: bool
) -> tuple[str, list[int]]:
    """At most ``width`` cells, cut at the logical end (the end of an Arabic text is on its
    left) with an ellipsis. With ``keep_number``, the first number always survives: the
    words before it are shortened instead."""
    if width_of(text) <= width:
        return text, sources
    if width <= 1:
        return ELLIPSIS[:width], [-1] * width
    number = NUMBER.search(text) if keep_number else None
    cut = _fit(text, width - 1)
    if number is None or number.end() <= cut:
        head = text[:cut].rstrip()
        return head + ELLIPSIS, [*sources[: len(head)], -1]
    # The number would be lost: keep it, and as much as fits on either side of it.
    start, end = number.span()
    figure, tail, before = text[start:end], text[end:], text[:start]
    room = width - width_of(figure)
    if room <= 1:  # only the number fits, and not all of it: its beginning, then "…"
        keep = _fit(figure, width - 1)
        return figure[:keep] + ELLIPSIS, [*sources[start : start + keep], -1]
    gap = " " if before.endswith(" ") else ""
    if width_of(tail) + 1 + len(gap) <= room:  # the words before it are shortened
        head = before[: _fit(before, room - width_of(tail) - 1 - len(gap))].rstrip()
        where = [*sources[: len(head)], -1]
        if gap:
            where.append(sources[start - 1])
        return head + ELLIPSIS + gap + figure + tail, [*where, *sources[start:]]
    # Not even the words after it fit: "…" for the words before, the number, and the
    # beginning of the words after it.
    lead, lead_where = (ELLIPSIS + gap, [-1, *([sources[start - 1]] if gap else [])])
    if not before.strip():
        lead, lead_where = "", []
    kept = tail[: _fit(tail, room - len(lead) - 1)].rstrip()
    return (
        lead + figure + kept + ELLIPSIS,
        [*lead_where, *sources[start : end + len(kept)], -1],
    )


def break_points(text: str, width: int) -> list[tuple[int, int]]:
    """Where a paragraph is broken into lines of at most ``width`` cells, in logical order:
    at spaces when possible, inside a word longer than a line otherwise. The spaces at a
    break belong to no line."""
    spans: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    while start < length:
        while start < length and text[start] == " ":
            start += 1
        if start >= length:
            break
        fits = _fit(text[start:], width)
        end = start + max(fits, 1)
        if end < length and text[end] != " ":
            space = text.rfind(" ", start, end)
            if space > start:
                end = space
        stop = end
        while stop > start and text[stop - 1] == " ":
            stop -= 1
        spans.append((start, stop))
        start = end
    return spans
