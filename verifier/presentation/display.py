"""Untrusted, mixed-script text as it is drawn on a terminal. Every screen, dialog, table cell,
command-line table and report goes through :func:`layout` (one line) or :func:`layout_lines`
(wrapped); stored text is never changed, only what is drawn.

What they do, in this order:

1. remove what must never reach a terminal: C0/C1 controls, DEL, bidi overrides and
   isolates (the ``core.safe_output`` policy), and squeeze white space;
2. with bidi on (terminals that neither shape nor reorder): shape Arabic (harakat kept,
   unless the ``harakat = "remove"`` setting says otherwise) and resolve the paragraph's
   bidi levels once, for the whole paragraph;
3. cut or wrap in *logical* order: a cut keeps the beginning of the text (the right-hand
   end of an Arabic text) and can be told never to drop a value's number; wrapped lines
   follow each other in reading order;
4. reorder each line (UAX #9 L1-L4: brackets and guillemets mirrored, combining marks after
   their letter), then drop the invisible marks (RLM, ALM, ZWJ...) that were needed so far.

With bidi off (terminals that apply the algorithm themselves; doing it twice reverses the
text again) steps 1, 3 and the removal of marks still happen, in logical order.
Styles given with a ``rich.text.Text`` follow their characters wherever they move.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal

from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

from verifier.core.safe_output import terminal_text
from verifier.presentation import bidilayout as bl
from verifier.presentation.bidilayout import Line

Base = Literal["auto", "ltr", "rtl"]
MIN_WIDTH = 8


class _Settings:
    harakat = True  # keep the vowel marks, so a quote is shown as written


def configure(*, harakat: bool) -> None:
    """The process's display preferences (from the ``harakat`` setting)."""
    _Settings.harakat = harakat
    _lines.cache_clear()
    _line.cache_clear()


def preferences() -> tuple[bool, ...]:
    """The display preferences in force: part of the key of anything laid out and kept."""
    return (_Settings.harakat,)


def _rtl(text: str, base: Base) -> bool:
    return base == "rtl" or (base == "auto" and bl.paragraph_is_rtl(text))


@lru_cache(maxsize=65_536)
def _line(
    text: str, bidi: bool, width: int | None, base: Base, keep_number: bool, harakat: bool
) -> Line:
    plain, sources = bl.clean(text, one_line=True, harakat=harakat)
    rtl = _rtl(plain, base)
    if bidi:
        plain, sources = bl.shape(plain, sources)
    if width is not None:
        plain, sources = bl.truncate(plain, sources, max(width, 0), keep_number=keep_number)
    if not bidi or not (rtl or bl.needs_bidi(plain)):
        return bl.logical(plain, sources, rtl)
    return bl.visual(plain, sources, bl.levels(plain, rtl), rtl)


@lru_cache(maxsize=8_192)
def _lines(text: str, bidi: bool, width: int | None, base: Base, harakat: bool) -> tuple[Line, ...]:
    plain, sources = bl.clean(text, one_line=False, harakat=harakat)
    result: list[Line] = []
    start = 0
    for piece in plain.split("\n"):
        end = start + len(piece)
        paragraph, where = piece, sources[start:end]
        start = end + 1
        rtl = _rtl(paragraph, base)
        if bidi:
            paragraph, where = bl.shape(paragraph, where)
        reorder = bidi and (rtl or bl.needs_bidi(paragraph))
        levels = bl.levels(paragraph, rtl) if reorder else ()
        spans = bl.break_points(paragraph, width) if width else [(0, len(paragraph))]
        for begin, stop in spans or [(0, 0)]:
            chunk, chunk_where = paragraph[begin:stop], where[begin:stop]
            if reorder:
                result.append(bl.visual(chunk, chunk_where, levels[begin:stop], rtl))
            else:
                result.append(bl.logical(chunk, chunk_where, rtl))
    return tuple(result)


def layout(
    text: str | None,
    *,
    bidi: bool,
    width: int | None = None,
    base: Base = "auto",
    keep_number: bool = False,
) -> Line:
    """The one way a line of untrusted text is laid out for display: safe, on one line, cut
    to ``width`` cells at its logical end (``keep_number``: never dropping the first number),
    shaped and in visual order when ``bidi``. ``base``: the paragraph's direction (auto:
    its first strong character)."""
    return _line(text or "", bidi, width, base, keep_number, _Settings.harakat)


def layout_lines(
    text: str | None, width: int | None, *, bidi: bool, base: Base = "auto"
) -> list[Line]:
    """Text wrapped to ``width`` cells (paragraphs kept), each line laid out as by
    :func:`layout`: broken in logical order, so the lines follow each other in reading
    order, and reordered with the levels of the whole paragraph."""
    if not text:
        return []
    return list(_lines(text, bidi, max(width, MIN_WIDTH) if width else None, base,
                       _Settings.harakat))  # fmt: skip


def layout_typed(text: str, *, bidi: bool) -> Line:
    """What is being typed into an input, laid out like everything else but with every
    space kept where it was typed (the cursor moves over each)."""
    plain, sources = bl.clean(text, one_line=True, harakat=True, squeeze=False)
    rtl = _rtl(plain, "auto")
    if not bidi or not (rtl or bl.needs_bidi(plain)):
        return bl.logical(plain, sources, rtl)
    plain, sources = bl.shape(plain, sources)
    return bl.visual(plain, sources, bl.levels(plain, rtl), rtl)


def shown(text: str | None, *, bidi: bool, width: int | None = None, base: Base = "auto") -> str:
    """:func:`layout` as a plain string."""
    if width is None and text and text.isascii() and text.isprintable():
        # Printable ASCII holds nothing to remove, shape or reorder: only spaces to squeeze.
        return " ".join(text.split())
    return layout(text, bidi=bidi, width=width, base=base).text


def wrap_lines(text: str | None, width: int, *, bidi: bool, base: Base = "auto") -> list[str]:
    """:func:`layout_lines` as plain strings."""
    return [line.text for line in layout_lines(text, width, bidi=bidi, base=base)]


def is_rtl(text: str | None) -> bool:
    """Whether a paragraph reads right to left (its first strong character is RTL)."""
    return bool(text) and bl.paragraph_is_rtl(text or "")


_QUOTED = re.compile(r"('[^']*')")


def shown_pieces(text: str | None, *, bidi: bool) -> str:
    """A left-to-right sentence of ours quoting names (the matcher's explanations): each
    quoted name is laid out on its own, as if isolated, so that names and numbers next to
    each other never run together; the sentence keeps its order."""
    if not text or not bidi:
        return shown(text, bidi=False)
    pieces = _QUOTED.split(shown(text, bidi=False))
    return "".join(shown(p, bidi=True) if _QUOTED.fullmatch(p) else p for p in pieces)


# A quote within the line (straight, typographic or angle quotes), laid out on its own.
# An apostrophe inside a word (the edition's) opens no quote.
_QUOTE = re.compile("((?<!\\w)'[^'\n]*'(?!\\w)|\"[^\"\n]*\"|“[^”\n]*”|«[^»\n]*»)")


def shown_message(text: str | None, *, bidi: bool, one_line: bool = True) -> str:
    """A message of ours (an error, a notice, a confirmation: an English sentence, left to
    right) quoting untrusted text, as a terminal draws it. Made safe by the output-safety
    policy, on one line (``one_line``: line breaks become spaces) or keeping its lines; with
    bidi on, each quoted value holding right-to-left text is laid out on its own, as if
    isolated (so that a name and a number beside it never run together), and so is each
    other right-to-left run; our own words, spacing and tabs stay where they are. A message
    without right-to-left text is shown as the policy leaves it. What is stored or written
    for scripts is never this: it stays in logical order."""
    safe = terminal_text(text or "")
    if one_line:
        safe = _LINE_BREAKS.sub(" ", safe)
    if not bidi or not bl.needs_bidi(safe):
        return safe
    return "\n".join(_message_line(line) for line in safe.split("\n"))


_LINE_BREAKS = re.compile(r"[ \t]*\n[ \t\n]*")


def _message_line(line: str) -> str:
    pieces = _QUOTE.split(line)
    for index, piece in enumerate(pieces):
        if index % 2 and bl.needs_bidi(piece):  # its marks stay ours; the quote alone
            pieces[index] = piece[0] + shown(piece[1:-1], bidi=True) + piece[-1]
        elif not index % 2:
            pieces[index] = _runs_laid_out(piece)
    return "".join(pieces)


_PAIRS = {"(": ")", "[": "]", "{": "}", "\u00ab": "\u00bb"}


def _runs_laid_out(piece: str) -> str:
    """Each right-to-left run of ``piece`` laid out alone, with the closing brackets that
    close what it opened (``الدول (٢٠٢٤)``)."""
    result, position = [], 0
    for run in bl.RTL_RUN.finditer(piece):
        start, end = run.span()
        while end < len(piece) and piece[end] in _PAIRS.values() and _unclosed(piece[start:end]):
            end += 1
        result += [piece[position:start], shown(piece[start:end], bidi=True)]
        position = end
    return "".join(result) + piece[position:]


def _unclosed(text: str) -> bool:
    return any(text.count(opening) > text.count(closing) for opening, closing in _PAIRS.items())


# Styled text -------------------------------------------------------------------------------


def styled(source: Text, line: Line, style: str | Style = "") -> Text:
    """``line`` (laid out from ``source.plain``) with each character in the style it had
    in ``source``; an added ellipsis takes the style of the character before it."""
    result = Text(style=style or source.style, end="")
    if not source.spans:
        result.append(line.text)
        return result
    per_char: list[tuple[str | Style, ...]] = [() for _ in range(len(source.plain))]
    for span in source.spans:
        for index in range(span.start, min(span.end, len(per_char))):
            per_char[index] = (*per_char[index], span.style)
    previous: tuple[str | Style, ...] = ()
    run = ""
    run_style: tuple[str | Style, ...] = ()
    for char, where in zip(line.text, line.sources, strict=True):
        current = per_char[where] if where >= 0 else previous
        previous = current
        if current != run_style and run:
            result.append(run, _combined(run_style))
            run = ""
        run_style = current
        run += char
    if run:
        result.append(run, _combined(run_style))
    return result


def _combined(styles: tuple[str | Style, ...]) -> str | Style | None:
    if not styles:
        return None
    if len(styles) == 1:
        return styles[0]
    return Style.chain(*(Style.parse(s) if isinstance(s, str) else s for s in styles))


def layout_text(
    text: str | Text | None,
    *,
    bidi: bool,
    width: int | None = None,
    base: Base = "auto",
    keep_number: bool = False,
    style: str | Style = "",
) -> Text:
    """:func:`layout` as a ``rich.text.Text`` (never parsed as markup), styles kept."""
    source = text if isinstance(text, Text) else Text(text or "")
    line = layout(source.plain, bidi=bidi, width=width, base=base, keep_number=keep_number)
    result = styled(source, line, style)
    if width is not None:
        result.no_wrap, result.overflow = True, "crop"
    return result


def layout_block(
    text: str | Text | None,
    width: int,
    *,
    bidi: bool,
    base: Base = "auto",
    align_rtl: bool = True,
    style: str | Style = "",
) -> Text:
    """:func:`layout_lines` as one ``Text``; right-to-left paragraphs aligned right
    against their longest line (not the far edge: a short Arabic title stays beside its
    label)."""
    source = text if isinstance(text, Text) else Text(text or "")
    lines = layout_lines(source.plain, width, bidi=bidi, base=base)
    block = max((bl.width_of(line.text) for line in lines), default=0)
    result = Text(style=style or source.style, end="", no_wrap=True, overflow="crop")
    for number, line in enumerate(lines):
        if number:
            result.append("\n")
        if align_rtl and line.rtl and bidi:
            result.append(" " * (block - bl.width_of(line.text)))
        result.append_text(styled(source, line))
    return result


class BidiText:
    """Untrusted text as a rich renderable (table cells, dialogs, panels): laid out at the
    width it is given, wrapped in logical order or cut at its logical end (``no_wrap``),
    right-aligned when it reads right to left. Never parsed as markup."""

    def __init__(
        self,
        text: str | Text | None,
        *,
        bidi: bool,
        style: str | Style = "",
        no_wrap: bool = False,
        keep_number: bool = False,
        base: Base = "auto",
        justify_rtl: bool = True,
    ) -> None:
        self.source = text if isinstance(text, Text) else Text(text or "")
        self.bidi = bidi
        self.style = style
        self.no_wrap = no_wrap
        self.keep_number = keep_number
        self.base = base
        self.justify_rtl = justify_rtl

    @property
    def plain(self) -> str:
        return layout(self.source.plain, bidi=self.bidi, base=self.base).text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        width = options.max_width
        if self.no_wrap:
            kept = layout(self.source.plain, bidi=self.bidi, width=width, base=self.base,
                          keep_number=self.keep_number)  # fmt: skip
            lines = [kept]
        else:
            lines = layout_lines(self.source.plain, width, bidi=self.bidi, base=self.base)
        for line in lines or [Line("", (), False)]:
            text = styled(self.source, line, self.style)
            text.end = "\n"
            if self.justify_rtl and self.bidi and line.rtl:
                text.justify = "right"
            yield text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        whole = layout(self.source.plain, bidi=self.bidi).text
        longest = bl.width_of(whole)
        if self.no_wrap:
            return Measurement(min(longest, MIN_WIDTH), longest).clamp(max_width=options.max_width)
        shortest = max((bl.width_of(word) for word in whole.split()), default=0)
        return Measurement(shortest, longest).clamp(max_width=options.max_width)


def cell(text: str | None, *, bidi: bool, style: str = "", no_wrap: bool = False) -> BidiText:
    """A table cell for untrusted text: never parsed as markup, wrapped correctly."""
    return BidiText(text, bidi=bidi, style=style, no_wrap=no_wrap)
