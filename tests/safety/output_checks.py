"""How the bytes a command writes are judged: no control or bidi character whatever the
output, then what each kind of output needs (CSV and tab-separated cells that are not
formulas, JSON that parses, Markdown without raw HTML or live links, HTML without live
script)."""

from __future__ import annotations

import csv
import io
import json
import re

from tests.safety.hostile import MARKUP

# C0 but tab and newline, DEL, C1, the bidi embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What a colour terminal legitimately receives from the console itself: styles (SGR), and
# the progress display's cursor hiding, line erasing, moving up and carriage returns.
_SGR = re.compile(
    "\x1b\\[[0-9;]*m|\x1b\\[\\?25[lh]|\x1b\\[[0-2]?K|\x1b\\[[0-9]+A"
    "|\r(?=\x1b\\[)|(?<=\x1b\\[\\?25[lh])\r"
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def unsafe_characters(text: str, *, styled: bool = False) -> list[str]:
    if styled:
        text = _SGR.sub("", text)
    return sorted({repr(found) for found in _UNSAFE.findall(text)})


def check_text(text: str, kind: str, where: str, *, styled: bool = False) -> None:
    """Whatever ``kind`` of output, no control or bidi character; then what ``kind`` needs."""
    bad = unsafe_characters(text, styled=styled)
    if bad:
        first = _UNSAFE.search(_SGR.sub("", text) if styled else text)
        assert first is not None
        around = text[max(0, first.start() - 120) : first.end() + 40]
        raise AssertionError(f"{where}: raw {', '.join(bad)} written, e.g. in {around!r}")
    if MARKUP.replace("[", "").replace("]", "") in text:  # never read as console markup
        assert "click=app.quit]x[/]" in text.replace("\\", ""), f"{where}: markup was read"
    if kind == "csv":
        _check_csv(text, where)
    elif kind == "json" and text.strip():  # a refused command writes nothing
        try:
            json.loads(text)
        except ValueError as error:
            raise AssertionError(f"{where}: not JSON ({error}): {text[:300]!r}") from None
    elif kind == "md":
        _check_markdown(text, where)
    elif kind in ("html", "svg"):
        _check_html(text, where)
        if kind == "html" and text.strip():
            assert "Content-Security-Policy" in text, f"{where}: a page without its policy"
    else:  # table or text: piped listings are tab-separated lines for spreadsheets too
        for line in text.splitlines():
            if "\t" in line:
                _check_cells(line.split("\t"), where)


def _check_cells(cells: list[str], where: str) -> None:
    for cell in cells:
        if cell.startswith(_FORMULA):
            assert _NUMBER.fullmatch(cell), f"{where}: a formula cell {cell[:40]!r}"


def _check_csv(text: str, where: str) -> None:
    for row in csv.reader(io.StringIO(text)):
        _check_cells(row, where)


def _check_markdown(text: str, where: str) -> None:
    tag = re.search(r"(?<!\\)<[A-Za-z/!?]", text)
    assert tag is None, f"{where}: raw HTML in Markdown: {text[tag.start() : tag.start() + 40]!r}"
    link = re.search(r"(?<!\\)\[(?=[^\]]*(app|HYPERLINK|onerror))", text)
    assert link is None, f"{where}: unescaped bracket: {text[link.start() : link.start() + 40]!r}"


def _check_html(text: str, where: str) -> None:
    lowered = text.lower()
    for raw in ("<img", "<script>", "onerror=alert", "javascript:"):
        if raw == "onerror=alert":
            assert not re.search(r"<[^>]*onerror=", lowered), f"{where}: live {raw}"
        else:
            assert raw not in lowered, f"{where}: live {raw}"


def kind_of_file(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower()
    kinds = {"csv": "csv", "json": "json", "md": "md", "html": "html", "svg": "svg"}
    return "sqlite" if suffix == "db" else kinds.get(suffix, "text")
