"""Text of a PDF, page by page (pdfplumber), Arabic lines turned to logical order.

A page without any character is a picture (a scan): it is kept, marked as having no text.
An encrypted PDF that needs a password, a damaged or truncated file, or one the parser
cannot make sense of is refused with the reason.
"""

from __future__ import annotations

import re
import unicodedata
from importlib.metadata import version
from pathlib import Path
from typing import Any

from verifier.core import parallel
from verifier.core.evidence.extracted import (
    PAGE,
    Extraction,
    ExtractionFailure,
    Finished,
    Unit,
)
from verifier.core.evidence.rtl import LIGATURE_PLACEHOLDERS, logical_text
from verifier.core.matching.cleanup import has_arabic
from verifier.core.text import clean_stored

# Pages read per task. A long PDF's tasks are shared by forked copies of the extraction
# process (one per core): parsing content streams is nearly all of the time.
_PAGES_PER_TASK = 10

# A glyph the PDF gives no character for, as the extractor writes it: not text.
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")

RawPage = tuple[int, str, dict[str, str], bool]  # number, text, ligatures, has characters


def _open(path: Path, pages: list[int] | None = None) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    password_errors = (PDFPasswordIncorrect, PDFEncryptionError)
    try:
        return pdfplumber.open(path, pages=pages)
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        raise ExtractionFailure(_reason(cause, *password_errors)) from None
    except Exception as error:  # the parser meets untrusted bytes: any failure is the file's
        raise ExtractionFailure(_reason(error, *password_errors)) from None


def _page_count(path: Path) -> int:
    with _open(path) as pdf:
        try:
            return len(pdf.pages)
        except Exception as error:  # a damaged page tree
            raise ExtractionFailure(_reason(error)) from None


def _read_pages(task: tuple[Path, int, int]) -> list[RawPage] | str:
    """Pages ``first`` to ``last`` as the extractor gives them (not yet repaired), or the
    reason they cannot be read. Runs in a forked copy for long documents."""
    path, first, last = task
    out: list[RawPage] = []
    try:
        with _open(path, list(range(first, last + 1))) as pdf:
            for number, page in enumerate(pdf.pages, start=first):
                try:
                    has_text = bool(page.chars)
                    ligatures = _protect_ligatures(page.chars)
                    text = page.filter(_not_a_mark).extract_text() if has_text else ""
                except Exception as error:  # a damaged content stream
                    return f"page {number} cannot be read ({_short(error)}); the PDF is damaged"
                finally:
                    page.close()
                out.append((number, _UNMAPPED_GLYPH.sub("", text), ligatures, has_text))
    except ExtractionFailure as failure:
        return str(failure)
    return out


def extract_pdf(path: Path) -> Extraction:
    count = _page_count(path)
    if count == 0:
        raise ExtractionFailure("the PDF has no pages")
    tasks = [
        (path, first, min(first + _PAGES_PER_TASK - 1, count))
        for first in range(1, count + 1, _PAGES_PER_TASK)
    ]
    backwards: bool | None = None  # what the pages so far showed of the Arabic's order
    fork = parallel.worthwhile(len(tasks), 3)
    for result in parallel.forked_map(_read_pages, tasks, parallel=fork):
        if isinstance(result, str):
            raise ExtractionFailure(result)
        for number, raw, ligatures, has_text in result:
            text, backwards = logical_text(raw, ligatures, assume=backwards)
            text = clean_stored(text)
            yield Unit(number, PAGE, text, has_text=has_text and bool(text.strip()))
    yield Finished(f"pdfplumber {version('pdfplumber')}")


def _not_a_mark(obj: dict[str, Any]) -> bool:
    """Vowel marks (harakat) that the PDF places as glyphs of their own are left out of
    the text: their positions split words in two ("ال َمدِينَة") or join two ("فيصَنْعَاء")
    when the text is assembled, and search ignores them anyway."""
    if obj.get("object_type") != "char":
        return True
    text = obj.get("text", "")
    return not (text and all(unicodedata.combining(ch) for ch in text))


def _protect_ligatures(chars: list[dict[str, Any]]) -> dict[str, str]:
    """Give each Arabic ligature glyph (lam-alef: one glyph, two letters) a placeholder
    character, so that turning a reversed line round keeps its letters in order. The page's
    characters are changed in place, before its text is assembled from them."""
    placeholders: dict[str, str] = {}
    for char in chars:
        text = char.get("text", "")
        if len(text) > 1 and has_arabic(text):
            if text not in placeholders:
                if len(placeholders) >= len(LIGATURE_PLACEHOLDERS):
                    continue
                placeholders[text] = chr(LIGATURE_PLACEHOLDERS[len(placeholders)])
            char["text"] = placeholders[text]
    return {placeholder: text for text, placeholder in placeholders.items()}


def _reason(error: BaseException, *password_errors: type[BaseException]) -> str:
    """The user's words for why a PDF cannot be opened."""
    if isinstance(error, password_errors) or "password" in str(error).lower():
        return "the PDF is encrypted (it needs a password); store a copy without the password"
    if isinstance(error, MemoryError):
        return "the PDF needs more memory than the extraction limit"
    return f"not a readable PDF ({_short(error)}); the file is damaged or truncated"


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    name = type(error).__name__
    return f"{name}: {text[:120]}" if text else name
