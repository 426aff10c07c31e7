"""Making untrusted text safe and readable on a terminal. Used by the CLI and the review UI;
stored text is never changed, only what is drawn.

With bidi on, Arabic is shaped (presentation forms) and put in visual order, for terminals
that do neither. With bidi off, logical order passes through for terminals that apply the
bidi algorithm themselves; doing it twice would reverse the text again.
"""

from __future__ import annotations

from functools import lru_cache

from rich.text import Text

from verifier.core.text import clean_display, has_arabic, one_line


@lru_cache(maxsize=65_536)
def _visual(text: str) -> str:
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


def shown(text: str | None, *, bidi: bool, single_line: bool = True) -> str:
    """``text`` as it should be drawn: controls removed, Arabic reordered if ``bidi``."""
    if not text:
        return ""
    safe = one_line(text) if single_line else clean_display(text)
    if not bidi or not has_arabic(safe):
        return safe
    if single_line:
        return _visual(safe)
    return "\n".join(_visual(line) if has_arabic(line) else line for line in safe.split("\n"))


def cell(text: str | None, *, bidi: bool, style: str = "") -> Text:
    """A rich Text for a table cell: never parsed as markup."""
    return Text(shown(text, bidi=bidi), style=style, no_wrap=False)
