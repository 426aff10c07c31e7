"""Making untrusted text safe and readable on a terminal. Used by the CLI and the review UI;
stored text is never changed, only what is drawn.

With bidi on, Arabic is shaped (presentation forms) and put in visual order, for terminals
that do neither. With bidi off, logical order passes through for terminals that apply the
bidi algorithm themselves; doing it twice would reverse the text again.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from functools import lru_cache

from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.text import Text

from verifier.core.text import clean_display, has_arabic, one_line

MIN_WIDTH = 8
_QUOTED = re.compile(r"('[^']*')")


@lru_cache(maxsize=65_536)
def _visual(text: str, base_dir: str | None = None) -> str:
    import arabic_reshaper
    from bidi import get_display

    return str(get_display(arabic_reshaper.reshape(text), base_dir=base_dir))


def is_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left (its first strong character is RTL)."""
    from bidi import get_base_level

    return bool(has_arabic(text) and get_base_level(text) == 1)


def shown(text: str | None, *, bidi: bool, single_line: bool = True) -> str:
    """``text`` as it should be drawn: controls removed, Arabic reordered if ``bidi``.

    Use this for text that is never wrapped; wrapped text goes through :func:`wrap_lines`
    or :class:`BidiText`, which reorder each line after wrapping.
    """
    if not text:
        return ""
    safe = one_line(text) if single_line else clean_display(text)
    if not bidi or not has_arabic(safe):
        return safe
    if single_line:
        return _visual(safe)
    return "\n".join(_visual(line) if has_arabic(line) else line for line in safe.split("\n"))


def wrap_lines(text: str | None, width: int, *, bidi: bool) -> list[str]:
    """``text`` as display lines of at most ``width`` cells: controls removed, paragraphs
    kept, each line reordered and shaped on its own when ``bidi`` is on."""
    if not text:
        return []
    width = max(width, MIN_WIDTH)
    lines: list[str] = []
    for paragraph in clean_display(text).split("\n"):
        words = " ".join(paragraph.split())
        logical = textwrap.wrap(words, width=width, break_on_hyphens=False) or [""]
        if not bidi or not has_arabic(words):
            lines.extend(logical)
            continue
        # Every line of a paragraph keeps the paragraph's direction: a line that happens to
        # start with a Latin word must not flip to left-to-right.
        base = "R" if is_rtl(words) else "L"
        lines.extend(_visual(line, base) for line in logical)
    return lines


_QUOTED = re.compile(r"('[^']*')")


def shown_pieces(text: str | None, *, bidi: bool) -> str:
    """A left-to-right sentence quoting Arabic (the matcher's explanations): each quoted
    piece is reordered on its own, so the sentence around it keeps its order."""
    if not text:
        return ""
    if not bidi:
        return shown(text, bidi=False)
    pieces = _QUOTED.split(" ".join(clean_display(text).split()))
    return "".join(shown(p, bidi=True) if _QUOTED.fullmatch(p) else p for p in pieces)


_ARABIC_RUN = re.compile(
    "[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]"
    "(?:[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff\u0660-\u0669\u066b\u066c\u060c ]*"
    "[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff\u0660-\u0669])?"
)


def shown_runs(text: str, *, bidi: bool) -> str:
    """Left-to-right text with Arabic runs in it (a report, a form): each run of Arabic is
    shaped and reordered in place, and everything around it stays where it is, markup and
    punctuation included."""
    if not bidi or not has_arabic(text):
        return text
    return _ARABIC_RUN.sub(lambda run: _visual(run.group(), "R"), text)


class BidiText:
    """Untrusted text as a rich renderable that wraps correctly.

    Reordering a whole paragraph and then wrapping it puts an RTL paragraph's last words
    on the first line. So this wraps in logical order first and reorders each line with
    the paragraph's direction; RTL paragraphs are right-aligned. Never parsed as markup.
    """

    def __init__(self, text: str | None, *, bidi: bool, style: str = "") -> None:
        self.plain = one_line(text or "")
        self.bidi = bidi
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        if not self.bidi or not has_arabic(self.plain):
            yield Text(self.plain, style=self.style)
            return
        base = "R" if is_rtl(self.plain) else "L"
        for line in Text(self.plain).wrap(console, options.max_width):
            visual = _visual(line.plain.strip(), base) if has_arabic(line.plain) else line.plain
            yield Text(visual, style=self.style, justify="right" if base == "R" else "left")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, Text(self.plain))


def cell(text: str | None, *, bidi: bool, style: str = "") -> Text | BidiText:
    """A table cell for untrusted text: never parsed as markup, wrapped correctly."""
    if bidi and text and has_arabic(text):
        return BidiText(text, bidi=bidi, style=style)
    return Text(one_line(text or ""), style=style)
