"""Text of HTML pages, Markdown and plain text files, section by section.

HTML is parsed (Beautiful Soup over the standard library's parser, which copes with the
broken markup of real pages): scripts, styles and templates are left out, blocks become
lines, table cells are separated by tabs, and each heading starts a section named after it.
A section's anchors are the ids inside it, so that a URL fragment finds it.

Markdown is cut at its headings (``#`` lines and underlined titles, not inside fenced
code); a plain text file at its form feeds (page breaks), else it is one section.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

from verifier.core.evidence.extracted import (
    SECTION,
    Extraction,
    ExtractionFailure,
    Finished,
    Unit,
    decode_text,
)
from verifier.core.text import clean_stored

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "math", "iframe"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def _read_text(path: Path) -> str:
    text, _ = decode_text(path.read_bytes())
    return clean_stored(text.replace("\r\n", "\n").replace("\r", "\n"))


class _Sections:
    def __init__(self) -> None:
        self.done: list[tuple[str, list[str], str]] = []
        self.name = ""
        self.parts: list[str] = []
        self.anchors: list[str] = []

    def start(self, name: str, anchor: str) -> None:
        self.flush()
        self.name, self.parts, self.anchors = name, [], [anchor] if anchor else []

    def flush(self) -> None:
        text = _tidy("".join(self.parts))
        if text or self.name:
            self.done.append((self.name, [text], " ".join(dict.fromkeys(self.anchors))))


_CELL_MARK = "\x1f"  # starts a table cell while the text is assembled


def _tidy(text: str) -> str:
    """One line per block, spaces squeezed, table cells separated by tabs, no blank lines."""
    out: list[str] = []
    for line in text.split("\n"):
        cells = [_SPACES.sub(" ", cell).strip() for cell in line.split(_CELL_MARK)]
        if len(cells) > 1 and not cells[0]:
            cells = cells[1:]
        tidy = "\t".join(cells).strip(" ")
        if tidy.strip():
            out.append(tidy)
    return "\n".join(out)


def extract_html(path: Path) -> Extraction:
    from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, Tag
    from bs4.element import ProcessingInstruction

    text = _read_text(path)
    try:
        soup = BeautifulSoup(text, "html.parser")
    except Exception as error:  # the parser meets untrusted markup
        raise ExtractionFailure(f"not readable HTML ({type(error).__name__})") from None
    sections = _Sections()
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    sections.name = clean_stored(title)
    ignored = (Comment, Declaration, Doctype, ProcessingInstruction)
    # An explicit stack rather than recursion: a page nested thousands deep must not fail.
    stack: list[Any] = [iter((soup.body or soup).children)]
    closing: list[str] = []
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            sections.parts.append(closing.pop() if closing else "")
            continue
        if isinstance(child, NavigableString):
            if not isinstance(child, ignored):
                sections.parts.append(str(child).replace("\n", " "))
            continue
        if not isinstance(child, Tag) or child.name in _SKIP:
            continue
        if child.name in _HEADINGS:
            heading = clean_stored(child.get_text(" ", strip=True))
            sections.start(heading, str(child.get("id") or ""))
            sections.parts.append(heading + "\n")
            continue
        if child.get("id"):
            sections.anchors.append(str(child.get("id")))
        if child.name in _CELLS:
            sections.parts.append(_CELL_MARK)
        elif child.name in _BLOCKS:
            sections.parts.append("\n")
        stack.append(iter(child.children))
        closing.append("\n" if child.name in _BLOCKS else "")
    sections.flush()
    yield from _units(sections.done)
    yield Finished(f"beautifulsoup4 {version('beautifulsoup4')}")


def _units(done: list[tuple[str, list[str], str]]) -> Extraction:
    if not done:
        yield Unit(1, SECTION, "", has_text=False)
        return
    for number, (name, texts, anchor) in enumerate(done, start=1):
        text = texts[0]
        yield Unit(number, SECTION, text, name=name, anchor=anchor, has_text=bool(text))


_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def slug(heading: str) -> str:
    """The anchor a Markdown renderer gives a heading: lower case, punctuation dropped,
    spaces as hyphens (letters of every script kept)."""
    kept = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return kept.replace(" ", "-")


def extract_markdown(path: Path) -> Extraction:
    lines = _read_text(path).split("\n")
    done: list[tuple[str, list[str], str]] = []
    name, fence = "", ""
    body: list[str] = []

    def close() -> None:
        text = "\n".join(body).strip()
        if text or name:
            done.append((name, [text], slug(name) if name else ""))

    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if opening and (not fence or opening[1].startswith(fence)):
            fence = "" if fence else opening[1][:3]
        heading = _ATX.match(line) if not fence else None
        underline = (
            not fence
            and index + 1 < len(lines)
            and line.strip()
            and _SETEXT.match(lines[index + 1])
            and not _ATX.match(line)
        )
        if heading is not None or underline:
            close()
            name = heading[2].strip() if heading is not None else line.strip()
            body = [name]
            continue
        if body and _SETEXT.match(line) and body[-1] == name and len(body) == 1:
            continue  # the underline of the heading just read
        body.append(line)
    close()
    yield from _units(done)
    yield Finished("markdown sections")


def extract_plain(path: Path) -> Extraction:
    pages = _read_text(path).split("\f")
    done = [("", [page.strip("\n")], "") for page in pages if page.strip()]
    yield from _units(done)
    yield Finished("plain text")
