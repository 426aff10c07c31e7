"""JSON written a piece at a time, laid out exactly as ``safe_output.json_text`` lays out
the whole document (``indent`` spaces a level), so that a streamed document is the same
text as one dumped whole."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from verifier.core.provenance.model import TextSink
from verifier.core.safe_output import json_text


def nested(value: Any, depth: int, indent: int = 2) -> str:
    """``value`` as JSON text laid out to sit ``depth`` levels deep (no string in it holds
    a raw newline: JSON escapes it)."""
    return json_text(value, indent=indent).replace("\n", "\n" + " " * (indent * depth))


def member(key: str, value: Any, depth: int, indent: int = 2) -> str:
    """One ``"key": value`` line of an object at ``depth``."""
    return " " * (indent * depth) + json_text(key) + ": " + nested(value, depth, indent)


def write_array(out: TextSink, elements: Iterable[str], depth: int, indent: int = 2) -> None:
    """A JSON array at ``depth`` whose elements are already laid out one level deeper."""
    pad = " " * (indent * depth)
    first = True
    for element in elements:
        out.write(("[\n" if first else ",\n") + pad + " " * indent + element)
        first = False
    out.write("[]" if first else "\n" + pad + "]")
