"""The display layout against an independent implementation of the Unicode Bidirectional
Algorithm: GNU FriBidi's ``fribidi`` command (Debian's libfribidi-bin; ``make test``
installs it). Both shape and reorder; presentation forms are folded back with NFKC before
comparing, and the invisible marks and FriBidi's ligature placeholder are left out."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from verifier.presentation.display import layout

CORPUS = Path(__file__).parent.parent / "data" / "bidi_corpus.txt"
FRIBIDI = shutil.which("fribidi")
# Left out of both sides: marks removed from the display, and U+FEFF, which FriBidi leaves
# where the alef of a lam-alef ligature was.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u061c\ufeff"))

pytestmark = pytest.mark.skipif(
    FRIBIDI is None,
    reason="GNU FriBidi is not installed (apt-get install libfribidi-bin; make test does it)",
)


def corpus() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(INVISIBLE)


def fribidi(lines: list[str], *extra: str) -> list[str]:
    """FriBidi's visual lines: each input line is a paragraph whose direction it finds by
    itself (first strong character; left to right when there is none)."""
    assert FRIBIDI is not None
    done = subprocess.run(
        [FRIBIDI, "--nopad", "--nobreak", *extra],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return done.stdout.split("\n")[: len(lines)]


def test_the_corpus_is_large_and_varied() -> None:
    lines = corpus()
    assert len(lines) >= 200
    assert sum("٫" in line or "٬" in line for line in lines) >= 10  # Arabic decimal marks
    assert sum("%" in line or "٪" in line for line in lines) >= 10
    assert sum("«" in line for line in lines) >= 10
    assert sum("(" in line for line in lines) >= 30
    assert sum("µg/m³" in line for line in lines) >= 3


def test_every_line_of_the_corpus_matches_fribidi() -> None:
    lines = corpus()
    expected = fribidi(lines)
    wrong = [
        (line, folded(layout(line, bidi=True).text), folded(oracle))
        for line, oracle in zip(lines, expected, strict=True)
        if folded(layout(line, bidi=True).text) != folded(oracle)
    ]
    assert wrong == []


def test_the_paragraph_direction_agrees_with_fribidi() -> None:
    lines = corpus()
    rtl = fribidi(lines, "--rtl")
    ltr = fribidi(lines, "--ltr")
    for line, right, left in zip(lines, rtl, ltr, strict=True):
        ours = layout(line, bidi=True)
        assert folded(ours.text) == folded(right if ours.rtl else left), line


def test_cut_lines_match_fribidi_on_the_cut_text() -> None:
    """A cut keeps the logical beginning: the displayed line is FriBidi's layout of the
    text's first characters and an ellipsis, in the direction of the whole text."""
    lines = [line for line in corpus() if len(line) > 14][:60]
    cut = [layout(line, bidi=True, width=12) for line in lines]
    for line, shown in zip(lines, cut, strict=True):
        last = max(i for i in shown.sources if i >= 0)
        end = last + 1
        if line[last] == "ل" and line[end : end + 1] in ("ا", "أ", "إ", "آ"):
            end += 1  # the alef of a lam-alef ligature
        logical = line[:end].rstrip() + "…"
        direction = "--rtl" if shown.rtl else "--ltr"
        assert folded(shown.text) == folded(fribidi([logical], direction)[0]), line
