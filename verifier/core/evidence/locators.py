"""Locators: where in its source a value is said to be, as extractors write it.

``p. 12``, ``pp. 12-13``, ``ص. ١٣، جدول ٣-٢، السطر ٢١``, ``Table 3.1, row 21``,
``Sheet 'Broadband'!D10``, ``p. 12, tableau 3.3, ligne 1``, ``…/report.pdf#page=4``... The
grammar (English, Arabic and French keywords) is in
docs/evidence.md. Parsing never fails: what is not understood is kept in ``ignored`` and a
locator with no understood part means "the whole document" (``understood`` is False).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote

# Bidi marks and other invisibles that copy-and-paste leaves in Arabic locators.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u0640\u00ad]")
# Arabic list separators read as their Latin counterparts.
_PUNCTUATION = str.maketrans(
    {"\u060c": ",", "\u061b": ";", "\u066b": ".", "\u2013": "-", "\u2014": "-"}
)
_SEPARATOR = re.compile(r"\s*[,;]\s*")
_NUM = r"(\d+)"

_PAGES = re.compile(
    r"(?:pp\.?|pages?|pgs?\.?|p\.?|ص\s*ص\.?|صص\.?|ص\.?|صفحات|الصفحات|صفحة|الصفحة)\s*"
    + _NUM + r"\s*(?:-|to|إلى|الى|حتى)\s*" + _NUM,
    re.IGNORECASE,
)  # fmt: skip
_PAGE = re.compile(r"(?:p\.?|pg\.?|page|ص\.?|صفحة|الصفحة|صفحه)\s*" + _NUM, re.IGNORECASE)
_TABLE = re.compile(
    r"(?:table|tableau|tab\.|tbl\.?|جدول|الجدول)\s*(?:no\.?|n°|رقم)?\s*(\d+(?:\s*[.\-/]\s*\d+)*[a-z]?)",
    re.IGNORECASE,
)
_ROW = re.compile(r"(?:row|r\.|rangée|صف|الصف)\s*" + _NUM, re.IGNORECASE)
_LINE = re.compile(r"(?:line|ligne|l\.|ln\.?|سطر|السطر)\s*" + _NUM, re.IGNORECASE)
_COLUMN = re.compile(r"(?:column|colonne|col\.?|عمود|العمود)\s*(\S+)", re.IGNORECASE)
_PARAGRAPH = re.compile(
    r"(?:paragraph|paragraphe|para\.|par\.|¶|فقرة|الفقرة)\s*" + _NUM, re.IGNORECASE
)
_QUESTION = re.compile(r"(?:question|q\.?|سؤال|السؤال)\s*" + _NUM, re.IGNORECASE)
_SECTION = re.compile(r"(?:section|sec\.|rubrique|§|القسم|قسم)\s*(.+)", re.IGNORECASE)
_CELL = r"\$?([A-Za-z]{1,3})\$?(\d+)(?:\s*:\s*\$?([A-Za-z]{1,3})\$?(\d+))?"
_CELL_ONLY = re.compile(r"(?:cell\s+|الخلية\s*)?" + _CELL, re.IGNORECASE)
_SHEET_CELL = re.compile(
    r"(?:(?:sheet|worksheet|feuille|ورقة|الورقة)\s+)?(?:'((?:[^']|'')+)'|\"([^\"]+)\"|([^!]+?))\s*!\s*"
    + _CELL,
    re.IGNORECASE,
)
_SHEET = re.compile(
    r"(?:sheet|worksheet|feuille|ورقة|الورقة)\s+(?:'((?:[^']|'')+)'|\"([^\"]+)\"|(.+))",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(_NUM)
_URL = re.compile(r"[a-z][a-z0-9+.\-]*://\S*$", re.IGNORECASE)

MAX_COLUMN = 16384  # XFD, the widest sheet a spreadsheet holds


@dataclass(frozen=True)
class CellRef:
    """A spreadsheet cell, 1-based: ``D10`` is column 4, row 10."""

    column: int
    row: int

    @property
    def label(self) -> str:
        return f"{column_letters(self.column)}{self.row}"


@dataclass(frozen=True)
class Locator:
    """A parsed locator. Every field is optional; ``ignored`` holds the parts not
    understood, verbatim."""

    raw: str
    first_page: int | None = None
    last_page: int | None = None
    table: str | None = None  # as written, digits in ASCII: "3.1", "3-2"
    row: int | None = None
    line: int | None = None
    column: str | None = None
    paragraph: int | None = None
    question: int | None = None  # a questionnaire's question
    sheet: str | None = None
    cell: CellRef | None = None
    cell_end: CellRef | None = None  # the far corner of a range (D10:F12)
    section: str | None = None  # a section label or a URL fragment's anchor
    url: str | None = None
    quote: str | None = None  # a text fragment (#:~:text=...)
    ignored: tuple[str, ...] = field(default=())

    @property
    def understood(self) -> bool:
        """False when nothing in the locator says where: the whole document is meant."""
        return any(
            value is not None
            for value in (
                self.first_page, self.table, self.row, self.line, self.column, self.sheet,
                self.cell, self.section, self.quote, self.paragraph, self.question,
            )
        )  # fmt: skip

    @property
    def pages(self) -> range | None:
        if self.first_page is None:
            return None
        return range(self.first_page, (self.last_page or self.first_page) + 1)

    @property
    def table_key(self) -> str | None:
        """The table label with its separators folded: ``3-2``, ``3/2`` and ``3.2`` agree."""
        if self.table is None:
            return None
        return re.sub(r"\s*[.\-/]\s*", ".", self.table).lower()

    def describe(self) -> str:
        """The place in plain words, e.g. ``page 13, table 3-2, line 21``."""
        parts: list[str] = []
        if self.first_page is not None:
            if self.last_page and self.last_page != self.first_page:
                parts.append(f"pages {self.first_page}-{self.last_page}")
            else:
                parts.append(f"page {self.first_page}")
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.cell is not None:
            end = f":{self.cell_end.label}" if self.cell_end else ""
            parts.append(f"cell {self.cell.label}{end}")
        for name in ("question", "table", "row", "line", "paragraph", "column", "section"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name} {value}")
        if self.quote is not None:
            parts.append(f"text '{self.quote}'")
        if not parts:
            return "the whole document"
        return ", ".join(parts)


def column_number(letters: str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """1 → ``A``, 27 → ``AA``."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _ascii_digits(text: str) -> str:
    """Digits of every script as ASCII digits (Arabic-Indic, Persian, Devanagari...)."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)


def _normalise(text: str) -> str:
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(_ascii_digits(text).translate(_PUNCTUATION).split())


def _cell(groups: tuple[str | None, ...]) -> tuple[CellRef, CellRef | None] | None:
    letters, row, end_letters, end_row = groups
    assert letters is not None and row is not None
    start = CellRef(column_number(letters), int(row))
    end = CellRef(column_number(end_letters), int(end_row)) if end_letters and end_row else None
    for ref in (start, end):
        if ref is not None and not (1 <= ref.column <= MAX_COLUMN and ref.row >= 1):
            return None
    return start, end


def _quoted(groups: tuple[str | None, ...]) -> str:
    quoted, double, bare = groups
    if quoted is not None:
        return quoted.replace("''", "'")
    return (double if double is not None else bare or "").strip()


def parse_locator(raw: str | None) -> Locator:
    """Parse a locator; never raises. See docs/evidence.md for the grammar."""
    text = _normalise(raw or "")
    if not text:
        return Locator(raw=raw or "")
    fields: dict[str, object] = {}
    if _URL.match(text) or text.startswith("#"):
        url, _, fragment = text.partition("#")
        if url:
            fields["url"] = url
        ignored = _fragment(unquote(fragment), fields)
        return Locator(raw=raw or "", ignored=ignored, **fields)  # type: ignore[arg-type]
    whole = _SHEET_CELL.fullmatch(text)
    if whole is not None:
        cells = _cell(whole.groups()[3:])
        if cells is not None:
            name = _quoted(whole.groups()[:3])
            return Locator(raw=raw or "", sheet=name, cell=cells[0], cell_end=cells[1])
    parts = [part for part in _SEPARATOR.split(text) if part and not _part(part, fields)]
    return Locator(raw=raw or "", ignored=tuple(parts), **fields)  # type: ignore[arg-type]


def _part(part: str, fields: dict[str, object]) -> bool:
    """Record what ``part`` says in ``fields``; False when it says nothing we understand or
    repeats what an earlier part said."""
    match = _PAGES.fullmatch(part)
    if match is not None:
        first, last = int(match[1]), int(match[2])
        if first < 1 or last < first or "first_page" in fields:
            return False
        fields["first_page"], fields["last_page"] = first, last
        return True
    match = _PAGE.fullmatch(part) or (
        _BARE_NUMBER.fullmatch(part) if not fields else None  # a lone number leads: a page
    )
    if match is not None:
        page = int(match[1])
        if page < 1 or "first_page" in fields:
            return False
        fields["first_page"] = page
        return True
    for pattern, name in (
        (_ROW, "row"), (_LINE, "line"), (_PARAGRAPH, "paragraph"), (_QUESTION, "question"),
    ):  # fmt: skip
        match = pattern.fullmatch(part)
        if match is not None:
            if int(match[1]) < 1 or name in fields:
                return False
            fields[name] = int(match[1])
            return True
    for pattern, name in ((_TABLE, "table"), (_COLUMN, "column"), (_SECTION, "section")):
        match = pattern.fullmatch(part)
        if match is not None and name not in fields:
            value = match[1].strip()
            fields[name] = (
                re.sub(r"\s+", "", value) if name == "table" else value.strip("«»\"'“”‘’").strip()
            )
            return True
    match = _SHEET_CELL.fullmatch(part)
    if match is not None and "cell" not in fields:
        cells = _cell(match.groups()[3:])
        if cells is not None:
            fields["sheet"] = _quoted(match.groups()[:3])
            fields["cell"], fields["cell_end"] = cells
            return True
    match = _CELL_ONLY.fullmatch(part)
    if match is not None and "cell" not in fields:
        cells = _cell(match.groups())
        if cells is not None:
            fields["cell"], fields["cell_end"] = cells
            return True
    match = _SHEET.fullmatch(part)
    if match is not None and "sheet" not in fields:
        fields["sheet"] = _quoted(match.groups())
        return True
    return False


def _fragment(fragment: str, fields: dict[str, object]) -> tuple[str, ...]:
    """A URL fragment: PDF open parameters (``page=4``), a text fragment
    (``:~:text=...``), or an anchor naming a section."""
    if not fragment:
        return ()
    fragment, _, directive = fragment.partition(":~:")
    if directive.startswith("text="):
        quote = directive[len("text=") :].split("&")[0]
        fields["quote"] = quote.split(",")[0].strip() or None
    if not fragment:
        return ()
    params = parse_qs(fragment, keep_blank_values=True)
    if "page" in params:
        page = params["page"][0]
        if page.isdigit() and int(page) >= 1:
            fields["first_page"] = int(page)
            return ()
        return (fragment,)
    if "=" in fragment:
        return (fragment,)
    fields["section"] = fragment
    return ()
