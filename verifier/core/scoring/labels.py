"""Names as they may be shown on a screen or in a chart: one line, no control characters.

Data outputs (CSV, JSON, Markdown) keep names exactly as published; only displays use this.
A control character could move the terminal's cursor or make an SVG file invalid XML.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the bidi embeddings, overrides and isolates.
_UNSAFE_FOR_DISPLAY = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def display_label(text: str) -> str:
    return " ".join(_UNSAFE_FOR_DISPLAY.sub(" ", text).split())
