"""The one output-safety policy: what untrusted text may become in each place it is written.

Labels, snippets, notes, reasons, city names, source titles and publication notes come from
files and people. Whatever they hold, they must never:

- drive a terminal: C0/C1 controls, DEL, ESC sequences and bidi overrides are removed;
- run in a spreadsheet: a CSV cell that starts with ``= + - @``, tab, CR or LF gets a ``'``,
  also when blanks or invisible characters come first (a spreadsheet may drop them);
- become markup: Markdown syntax and HTML are escaped;
- reach a file or a terminal raw through JSON: controls, DEL, C1 and bidi overrides are
  written as ``\\uXXXX`` escapes, so the document still holds exactly what was stored.

Every writer (terminal, CSV, JSON, Markdown, HTML) goes through these functions; the command
line's consoles clean every segment they print with :func:`terminal_text` as well.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from html import escape
from json.encoder import encode_basestring  # what json.dumps uses for ensure_ascii=False
from operator import add
from typing import Any

from db.vocab import Script
from verifier.core.text import (
    BIDI_OVERRIDES,
    BLANK_FILLERS,
    CONTROLS,
    clean_display,
    detect_script,
    has_arabic,
    one_line,
)

# What terminal_text removes: every layout of text for display removes the same.
TERMINAL_UNSAFE = frozenset(CONTROLS + BIDI_OVERRIDES)

# Spreadsheets evaluate cells starting with these (CSV injection, OWASP).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_FORMULA_SIGNS = frozenset("=+-@")
# Before the first sign, what draws nothing on its own: spreadsheets trim whitespace (NBSP
# too) or skip format characters (LRM, RLM, ALM, zero-width, BOM), so none may hide a sign.
_TRANSPARENT_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})
# Brackets are escaped, so parentheses can never complete a link or an image; the rest
# are the characters that open emphasis, code, HTML, autolinks, headings, tables or entities.
_MARKDOWN_SYNTAX = frozenset("\\`*_[]<>#+|~&")
# Renderers that linkify bare URLs, domains and e-mail addresses need a scheme colon, a dot
# before a letter or an @: escaping those keeps them plain text.
_LINKISH = re.compile(r"(?<=[^\W\d_])[:@]|(?<=[^\W_])[.@](?=[^\W\d_])")
# What json.dumps(ensure_ascii=False) leaves raw but a terminal or an editor would act on:
# DEL, C1 controls, bidi overrides, the JavaScript line separators and lone surrogates.
_JSON_RAW_UNSAFE = re.compile(f"[\x7f-\x9f\u2028\u2029{BIDI_OVERRIDES}\ud800-\udfff]")


def terminal_text(text: str) -> str:
    """Safe to send to a terminal; tab and newline survive."""
    return clean_display(text)


def terminal_line(text: str) -> str:
    """Safe for a terminal or any display, on one line (table cells, chart labels, messages
    naming a value)."""
    return one_line(text)


def would_be_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula: it starts with a sign, tab,
    CR or LF, or its first visible character is a sign."""
    if text.startswith(_FORMULA_STARTS):
        return True
    if "!" <= text[:1] <= "~":  # a visible ASCII character first, and not a sign
        return False
    for ch in text:
        if ch in BLANK_FILLERS or unicodedata.category(ch) in _TRANSPARENT_CATEGORIES:
            continue
        # Fullwidth and small forms (＝ ﹢ －) are signs too where input methods fold them.
        return unicodedata.normalize("NFKC", ch) in _FORMULA_SIGNS
    return False


def neutralise_formula(text: str) -> str:
    """Text a spreadsheet will show rather than evaluate: a leading ' where needed."""
    return "'" + text if would_be_formula(text) else text


def csv_cell(value: Any) -> Any:
    """A CSV cell: text without controls and never a formula; numbers as they are."""
    if type(value) is int:  # the commonest cells first: ids, years, counts
        return value
    if isinstance(value, str):
        if not (value.isascii() and value.isprintable()):  # most cells need no cleaning
            value = clean_display(value)
        return neutralise_formula(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return float(value)  # full precision, whatever float subclass (numpy) computed it
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a CSV row (header rows too) through :func:`csv_cell`."""
    return list(map(csv_cell, values))


def write_csv_rows(
    out: Any, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, delimiter: str = ","
) -> None:
    """The one way a CSV (or TSV) file is written: a header, then rows, every cell safe."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(csv_row(header))
    text = Memo(csv_cell)
    for row in rows:
        writer.writerow([text[v] if type(v) is str else csv_cell(v) for v in row])


class Memo(dict[str, Any]):
    """``make(text)``, worked out once per distinct text: in a long listing most cells
    (statuses, cities, sources) repeat. Holds at most ``limit`` texts, so memory stays flat."""

    def __init__(self, make: Callable[[str], Any], limit: int = 16_384) -> None:
        super().__init__()
        self.make = make
        self.limit = limit

    def __missing__(self, text: str) -> Any:
        made = self.make(text)
        if len(self) < self.limit:
            self[text] = made
        return made


def json_value(value: Any) -> Any:
    """A JSON-ready value with controls removed from every string inside it."""
    if isinstance(value, str):
        return value if value.isascii() and value.isprintable() else clean_display(value)
    if isinstance(value, dict):
        return {json_value(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def json_text(
    data: Any,
    *,
    indent: int | None = 2,
    sort_keys: bool = False,
    default: Any = None,
) -> str:
    """JSON text (no trailing newline) with no raw control, C1 or bidi character anywhere:
    Arabic stays readable, and what the data held is kept, escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=sort_keys, default=default)
    return _JSON_RAW_UNSAFE.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group(0)):04x}"


class JsonObjects:
    """Objects with the same keys, each written as ``json_text(json_value(dict(zip(keys,
    values))), default=str)`` writes it (indent 2), faster when flat: with an indent,
    ``json.dumps`` encodes value by value in Python; here text, whole numbers, booleans
    and null go through the same string encoder directly, anything else the general way."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = list(keys)
        cleaned = [json_value(key) for key in self.keys]
        flat = all(type(key) is str for key in cleaned) and len(set(cleaned)) == len(cleaned)
        # Keys that a dict would merge, or that are not text, go the general way.
        self.heads = [f"  {encode_basestring(key)}: " for key in cleaned] if flat else None
        self.encoded = Memo(lambda text: encode_basestring(json_value(text)))

    def text(self, values: Sequence[Any]) -> str:
        parts = self._flat(values)
        if parts is None:
            return json_text(json_value(dict(zip(self.keys, values, strict=True))), default=str)
        return _JSON_RAW_UNSAFE.sub(_escaped, "{\n" + ",\n".join(parts) + "\n}" if parts else "{}")

    def _flat(self, values: Sequence[Any]) -> list[str] | None:
        if self.heads is None or len(values) != len(self.heads):
            return None
        encoded = self.encoded
        texts = [encoded[v] if type(v) is str else _json_scalar(v) for v in values]
        if None in texts:
            return None  # floats (NaN), lists, dates...: the general encoder
        return list(map(add, self.heads, texts))


def _json_scalar(value: Any) -> str | None:
    """A whole number, boolean or null as ``json.dumps`` writes it; None for the rest."""
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    return None


def markdown_text(text: str | None) -> str:
    """Untrusted text as inert Markdown on one line."""
    if not text:
        return ""
    escaped = "".join("\\" + ch if ch in _MARKDOWN_SYNTAX else ch for ch in one_line(text))
    return _LINKISH.sub(lambda found: "\\" + found.group(0), escaped)


# Every HTML page we write runs nothing and fetches nothing, whatever slipped into it.
HTML_SECURITY_POLICY = (
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
)


def html_text(text: str | None) -> str:
    """Untrusted text as inert HTML (wrap it in an element with ``dir="auto"`` for bidi)."""
    if not text:
        return ""
    return escape(clean_display(text), quote=True)


def html_attribute(text: str | None) -> str:
    """Untrusted text inside a quoted HTML attribute (an id, a title, an http(s) href)."""
    return html_text(one_line(text or ""))


def html_direction(text: str, lang: str = "") -> str:
    """The ``dir`` (and ``lang``) attributes for text holding Arabic: ``rtl`` when it is
    Arabic only, ``auto`` when mixed, so each script runs in its own direction."""
    direction = "rtl" if detect_script(text) == Script.ARABIC else "auto"
    language = f' lang="{html_attribute(lang)}"' if lang else ""
    return f' dir="{direction}"{language}'


def html_bidi(text: str | None, lang: str = "") -> str:
    """Untrusted text as inert HTML; text holding Arabic wrapped with its direction."""
    if not text:
        return ""
    safe = html_text(text)
    if not has_arabic(text):
        return safe
    return f"<span{html_direction(text, lang)}>{safe}</span>"
