"""The one output-safety policy: what untrusted text may become in each place it is written.

Labels, snippets, notes, reasons, city names, source titles and publication notes come from
files and people. Whatever they hold, they must never:

- drive a terminal: C0/C1 controls, DEL, ESC sequences and bidi overrides are removed;
- run in a spreadsheet: a CSV cell that starts with ``= + - @``, tab, CR or LF gets a ``'``;
- become markup: Markdown syntax and HTML are escaped.

Every writer (terminal, CSV, JSON, Markdown, HTML) goes through these functions.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from verifier.core.text import clean_display, one_line

# Spreadsheets evaluate cells starting with these (CSV injection, OWASP).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Brackets are escaped, so parentheses can never complete a link or an image; the rest
# are the characters that open emphasis, code, HTML, autolinks, headings, tables or entities.
_MARKDOWN_SYNTAX = frozenset("\\`*_[]<>#+|~&")
# Renderers that linkify bare URLs, domains and e-mail addresses need a scheme colon, a dot
# before a letter or an @: escaping those keeps them plain text.
_LINKISH = re.compile(r"(?<=[^\W\d_])[:@]|(?<=[^\W_])[.@](?=[^\W\d_])")


def terminal_text(text: str) -> str:
    """Safe to send to a terminal; tab and newline survive."""
    return clean_display(text)


def terminal_line(text: str) -> str:
    """Safe for a terminal, on one line (table cells, messages naming a value)."""
    return one_line(text)


def neutralise_formula(text: str) -> str:
    """Text a spreadsheet will show rather than evaluate: a leading ' where needed."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_cell(value: Any) -> Any:
    """A CSV cell: text without controls and never a formula; numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_formula(clean_display(value))
    return value


def json_value(value: Any) -> Any:
    """A JSON-ready value with controls removed from every string inside it."""
    if isinstance(value, str):
        return clean_display(value)
    if isinstance(value, dict):
        return {json_value(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def markdown_text(text: str | None) -> str:
    """Untrusted text as inert Markdown on one line."""
    if not text:
        return ""
    escaped = "".join("\\" + ch if ch in _MARKDOWN_SYNTAX else ch for ch in one_line(text))
    return _LINKISH.sub(lambda found: "\\" + found.group(0), escaped)


def html_text(text: str | None) -> str:
    """Untrusted text as inert HTML (wrap it in an element with ``dir="auto"`` for bidi)."""
    if not text:
        return ""
    return escape(clean_display(text), quote=True)
