"""The evidence check of one item: find its quote in its source document, then compare its
value with the number printed there.

The quote is looked for first at the place the locator names, then anywhere in the
document, on folded text (folding.py: digits of every script, Arabic separators,
presentation forms, diacritics and tatweel, whitespace, words hyphenated across lines).
An exact occurrence scores 100; otherwise the best alignment of the quote in a page by
rapidfuzz's ``partial_ratio_alignment`` scores it, and counts as found from
``THRESHOLD`` (chosen by measurement on the demo edition: see docs/evidence.md).

The value is compared with the numbers printed in the passage found, after unit
normalisation: a number equal to the item's value as written (scale words applied) or to
its value in the indicator's unit (a unit printed after the number converted) is the
value. When none is, the number "at that place" is the one the extractor most plausibly
meant: not the passage's year, and the closest to the item's value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from db.models import EvidenceStatus
from verifier.core.evidence.folding import fold, fold_query
from verifier.core.evidence.method import THRESHOLD
from verifier.core.evidence.places import Place, resolve
from verifier.core.evidence.printed import PrintedNumber, numbers_in, same_number
from verifier.core.evidence.search import DocumentText
from verifier.core.units import UnitTable

# Found on another page, a quote must align this much better there than at the named
# place to count as there rather than at the place (copying errors are local).
_PLACE_MARGIN = 5.0
_HINT_PAGES = 3


@dataclass(frozen=True)
class ItemToCheck:
    item_id: int
    snippet: str
    locator: str
    value_text: str
    value_number: float | None  # as written, scale words applied; None when missing
    value_normalized: float | None  # in the indicator's unit
    year: int
    decimal_comma: bool = False  # the source writes 12,5 (French)
    units: UnitTable | None = None


@dataclass(frozen=True)
class Outcome:
    status: EvidenceStatus
    page: int | None = None
    found_value: float | None = None
    found_text: str = ""
    score: float = 0.0
    quote_start: int | None = None
    quote_end: int | None = None
    value_start: int | None = None
    value_end: int | None = None
    place: str = ""
    hint: str = ""


@dataclass(frozen=True)
class _Found:
    page: int
    start: int  # in the page's stored text
    end: int
    score: float


def check_item(item: ItemToCheck, text: DocumentText | None) -> Outcome:
    """The item's evidence status against ``text`` (None: its source has no document)."""
    if text is None:
        return Outcome(EvidenceStatus.NO_DOCUMENT, hint="no document is stored for the source")
    place = resolve(item.locator, text)
    where = place.describe()
    if not text.has_text:
        return Outcome(EvidenceStatus.NO_TEXT, place=where)
    found, best = _find_quote(item.snippet, place, text)
    if found is None:
        return Outcome(
            EvidenceStatus.SNIPPET_NOT_FOUND, score=round(best, 1), place=where,
            hint=_value_hint(item, text),
        )  # fmt: skip
    page_text = text.page(found.page).text
    printed = numbers_in(
        page_text, *_whole_words(page_text, found.start, found.end),
        decimal_comma=item.decimal_comma, units=item.units,
    )  # fmt: skip
    equal, nearest = _compare(item, printed)
    if equal is None and item.value_number is None and _prints_marker(item, page_text, found):
        equal, nearest = _MISSING, None  # "n/a" there too, beside other figures ("500 m")
    if equal is None:
        status = EvidenceStatus.VALUE_DIFFERS
        hint = _value_hint(item, text) or ("" if nearest else "no number there")
    elif place.whole_document or found.page in place.pages:
        status, hint = EvidenceStatus.MATCH, ""
    else:
        status, hint = EvidenceStatus.PAGE_MISMATCH, ""
    number = equal if isinstance(equal, PrintedNumber) else nearest
    return Outcome(
        status, page=found.page, score=round(found.score, 1), place=where, hint=hint,
        quote_start=found.start, quote_end=found.end,
        found_value=number.value if number else None, found_text=number.text if number else "",
        value_start=number.start if number else None, value_end=number.end if number else None,
    )  # fmt: skip


def _find_quote(snippet: str, place: Place, text: DocumentText) -> tuple[_Found | None, float]:
    """Where the quote is (exactly, then by alignment), and the best score seen."""
    wanted = fold_query(snippet)
    if not wanted:
        return None, 0.0
    named = [n for n in place.pages if n in set(text.numbers)]
    others = [n for n in text.numbers if n not in set(named)]
    for pages in (named, others):
        exact = _exact(wanted, pages, text)
        if exact is not None:
            return exact, 100.0
    at_place = _best_alignment(wanted, named, text)
    elsewhere = _best_alignment(wanted, others, text, cutoff=at_place.score if at_place else 0)
    candidates = [f for f in (at_place, elsewhere) if f is not None]
    best = max((f.score for f in candidates), default=0.0)
    if (
        at_place is not None
        and at_place.score >= THRESHOLD
        and (elsewhere is None or elsewhere.score < at_place.score + _PLACE_MARGIN)
    ):
        return at_place, best
    if elsewhere is not None and elsewhere.score >= THRESHOLD:
        return elsewhere, best
    return None, best


def _exact(wanted: str, pages: Iterable[int], text: DocumentText) -> _Found | None:
    """The first occurrence of the folded quote that neither starts nor ends inside a
    number (``| 25`` is not in ``| 25.1``)."""
    for number in pages:
        folded = text.folded(number)
        at = folded.text.find(wanted)
        while at != -1:
            end = at + len(wanted)
            if not _cuts_number(folded.text, at, end):
                start, stop = folded.span(at, end)
                return _Found(number, start, stop, 100.0)
            at = folded.text.find(wanted, at + 1)
    return None


def _cuts_number(text: str, start: int, end: int) -> bool:
    def joined(left: int, right: int) -> bool:  # text[left] and text[right] in one number
        if left < 0 or right >= len(text):
            return False
        if text[left].isdigit() and text[right].isdigit():
            return True
        return (
            text[left].isdigit() and text[right] in ".," and right + 1 < len(text)
            and text[right + 1].isdigit()
        ) or (
            text[left] in ".," and text[right].isdigit() and left > 0 and text[left - 1].isdigit()
        )  # fmt: skip

    return joined(start - 1, start) or joined(end - 1, end)


def _best_alignment(
    wanted: str, pages: Iterable[int], text: DocumentText, cutoff: float = 0.0
) -> _Found | None:
    best: _Found | None = None
    for number in pages:
        folded = text.folded(number)
        if not folded.text:
            continue
        floor = max(cutoff, best.score if best else 0.0)
        aligned = fuzz.partial_ratio_alignment(wanted, folded.text, score_cutoff=floor)
        if aligned is None or aligned.score <= floor:
            continue
        start, end = folded.span(aligned.dest_start, aligned.dest_end)
        best = _Found(number, start, end, aligned.score)
    return best


_WORD = re.compile(r"[\w.,\u066b\u066c\u00a0\u202f\u2009%\u066a]")


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A span widened to the words (and numbers) it cuts through: an alignment can stop
    inside a number."""
    while start > 0 and _WORD.match(text[start - 1]):
        start -= 1
    while end < len(text) and _WORD.match(text[end]):
        end += 1
    return start, end


class _Missing:
    """The item's value is missing and the passage prints no number: they agree."""


_MISSING = _Missing()


def _compare(
    item: ItemToCheck, printed: list[PrintedNumber]
) -> tuple[PrintedNumber | _Missing | None, PrintedNumber | None]:
    """(the number equal to the item's value, or None) and the nearest number otherwise."""
    not_year = [
        p for p in printed if not (p.plain_integer and same_number(p.value, float(item.year)))
    ]
    if item.value_number is None:  # "n/a", "..": the passage must print no figure
        return (_MISSING, None) if not not_year else (None, not_year[0])
    candidates = not_year or printed
    for number in candidates:
        if _equal(item, number):
            return number, None
    if not candidates:
        return None, None
    return None, min(candidates, key=lambda p: _distance(p.value, item.value_number or 0.0))


def _prints_marker(item: ItemToCheck, page_text: str, found: _Found) -> bool:
    """Whether the passage prints the item's "no data" marker (``..``, ``n/a``, ``غير متوفر``)."""
    marker = fold_query(item.value_text)
    return bool(marker) and marker in fold_query(page_text[found.start : found.end])


def _equal(item: ItemToCheck, number: PrintedNumber) -> bool:
    if number.equals(item.value_number) or number.equals(item.value_normalized):
        return True
    if number.unit_factor is not None and item.value_normalized is not None:
        return same_number(number.value * number.unit_factor, item.value_normalized)
    return False


def _distance(a: float, b: float) -> float:
    """How far apart two figures are, in orders of magnitude (0 for equal)."""
    if a == b:
        return 0.0
    if a <= 0 or b <= 0:
        return abs(a - b) + 1e6
    return abs(math.log10(a) - math.log10(b))


def _value_hint(item: ItemToCheck, text: DocumentText) -> str:
    """Where the item's value is printed in the document, in words."""
    if item.value_number is None:
        return ""
    pages = pages_printing(text, item.value_text, item.value_number, item.decimal_comma)
    unit = text.pages[0].kind if text.pages else "page"
    shown = item.value_text.strip()
    if not pages:
        return f"the value {shown} is not printed in the document"
    listed = ", ".join(str(n) for n in pages[:_HINT_PAGES])
    more = f" and {len(pages) - _HINT_PAGES} more" if len(pages) > _HINT_PAGES else ""
    word = unit if len(pages) == 1 else f"{unit}s"
    return f"the value {shown} is printed on {word} {listed}{more}"


def pages_printing(
    text: DocumentText, value_text: str, value: float, decimal_comma: bool = False
) -> list[int]:
    """The pages (sheets, sections) on which ``value`` is printed as a number."""
    digits = re.sub(r"[^\d.,]", "", fold(value_text).text)
    pages: list[int] = []
    for number in text.numbers:
        folded = text.folded(number).text
        if digits and digits not in folded:
            continue  # cheap test first: the value's digits are not on the page
        page = text.page(number).text
        if any(p.equals(value) for p in numbers_in(page, decimal_comma=decimal_comma)):
            pages.append(number)
    return pages
