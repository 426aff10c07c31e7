"""What is shown of a refused row: its raw content is stored whole, and shown cut.

A rejected row can be as wide as the file that held it (200,000 columns, or a value of the
field limit). Listing it whole makes a terminal table slow and unreadable, so listings show
the start of its JSON text and say how much is left out.
"""

from __future__ import annotations

import json
from typing import Any

RAW_SHOWN_CHARS = 300


def raw_text(raw: dict[str, Any], limit: int | None = RAW_SHOWN_CHARS) -> str:
    """The raw row as JSON text; past ``limit`` characters, cut with a note (None: whole)."""
    text = json.dumps(raw, ensure_ascii=False)
    if limit is None or len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters; --full shows all)"
