"""Finding the item's value in its snippet, for highlighting: in the stored (logical) text,
in whatever digits the snippet uses. (Laying the text out: ``display.py``.)

No Textual import here: the command line uses it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from verifier.core.safe_output import terminal_line

_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_NUMBER = re.compile(f"[{_DIGIT}](?:[{_DIGIT}.,\u066b\u066c]*[{_DIGIT}])?")
_TO_ARABIC_INDIC = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")


def value_needles(value_text: str, value_number: float | None, *, bidi: bool = False) -> list[str]:
    """Ways the value may appear in a snippet, most specific first: as written, its digits
    as written, and the parsed number in Latin and Arabic-Indic digits. (``bidi`` is
    accepted for older callers and changes nothing: the search is in logical order.)"""
    needles: list[str] = []
    written = terminal_line(value_text)
    if written:
        needles.append(written)
        needles.extend(m.group() for m in _NUMBER.finditer(written))
    if value_number is not None:
        plain = f"{value_number:g}" if abs(value_number) < 1e15 else ""
        if plain and "e" not in plain:
            needles += [plain, plain.translate(_TO_ARABIC_INDIC)]
            if abs(value_number) >= 1000:
                needles.append(f"{value_number:,g}")
    unique = list(dict.fromkeys(n.strip() for n in needles if n.strip()))
    return unique


def find_spans(line: str, needles: Iterable[str]) -> list[tuple[int, int]]:
    """Where the first needle that occurs in ``line`` occurs (every time). A number only
    counts as a whole number: "1" is not found inside "12"."""
    for needle in needles:
        spans = [
            (start, start + len(needle))
            for start in _occurrences(line, needle)
            if _whole(line, start, start + len(needle), needle)
        ]
        if spans:
            return spans
    return []


def _occurrences(line: str, needle: str) -> Iterable[int]:
    start = line.find(needle)
    while start != -1:
        yield start
        start = line.find(needle, start + len(needle))


def _whole(line: str, start: int, end: int, needle: str) -> bool:
    if not _NUMBER.fullmatch(needle):
        return True
    before = line[start - 1] if start > 0 else ""
    after = line[end] if end < len(line) else ""
    return not _continues_number(before) and not _continues_number(after)


def _continues_number(char: str) -> bool:
    return bool(char) and bool(re.match(f"[{_DIGIT}]", char))
