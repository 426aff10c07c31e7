"""The one layout of mixed text (presentation.display): hand-computed cases. Visual strings
are compared after NFKC, which folds the shaped presentation forms back to letters: a
visual line read left to right is the logical text with each right-to-left run reversed."""

from __future__ import annotations

import unicodedata

import pytest
from rich.text import Text

from tests.tui.screen_text import rendered
from verifier.presentation import display
from verifier.presentation.display import (
    BidiText,
    layout,
    layout_lines,
    layout_text,
    layout_typed,
)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.fixture(autouse=True)
def keep_harakat():
    display.configure(harakat=True)
    yield
    display.configure(harakat=True)


def test_brackets_and_guillemets_are_mirrored_in_arabic() -> None:
    assert nfkc(layout("(عام 2022)", bidi=True).text) == "(2022 ماع)"
    assert nfkc(layout("عام (2022)", bidi=True).text) == "(2022) ماع"
    assert nfkc(layout("«نص» و«آخر»", bidi=True).text) == "«رخآ»و «صن»"
    # A Latin sentence keeps its brackets; the Arabic inside is reversed on its own.
    assert nfkc(layout("Dubai (دبي 2022)", bidi=True).text) == "Dubai (2022 يبد)"


def test_a_locator_reads_right_to_left_with_its_numbers_in_order() -> None:
    line = layout("ص ١٣، جدول ٣-٢، السطر ٢١", bidi=True)
    assert line.rtl
    assert nfkc(line.text) == "٢١ رطسلا ،٢-٣ لودج ،١٣ ص"


def test_arabic_is_shaped_and_lam_alef_is_one_ligature() -> None:
    assert layout("لا", bidi=True).text == "\ufefb"  # LAM WITH ALEF, isolated
    # س (initial), لا (final: the lam joins the sin), م (isolated: alef does not join on)
    assert layout("سلام", bidi=True).text == "\ufee1\ufefc\ufeb3"


def test_invisible_marks_never_reach_the_terminal() -> None:
    for bidi in (True, False):
        assert layout("Dubai\u061c", bidi=bidi).text == "Dubai"
        assert "\u200f" not in layout("\u200fطرابلس 6", bidi=bidi).text
        assert layout("a\u200bb\u2066c\u2069\x1b[31m", bidi=bidi).text == "abc[31m"


def test_harakat_are_kept_unless_the_setting_removes_them() -> None:
    kept = layout("الرِّيَاض", bidi=True).text
    assert nfkc(kept) == "ضايَرِّلا"  # each mark after its letter (rule L3)
    display.configure(harakat=False)
    assert nfkc(layout("الرِّيَاض", bidi=True).text) == "ضايرلا"
    assert layout("الرِّيَاض", bidi=False).text == "الرياض"


def test_a_cut_keeps_the_beginning_of_arabic_text() -> None:
    line = layout("أمانة منطقة الرياض", bidi=True, width=8)
    assert nfkc(line.text) == "...م ةنامأ"  # "أمانة م…": the ellipsis at its logical end
    assert layout("أمانة منطقة الرياض", bidi=False, width=8).text == "أمانة م…"


def test_a_cut_never_drops_the_number_of_a_value() -> None:
    value = "ميكروغرام/م³ 12.5"
    assert layout(value, bidi=False, width=10, keep_number=True).text == "ميكر… 12.5"
    assert nfkc(layout(value, bidi=True, width=10, keep_number=True).text) == "12.5 ...ركيم"
    assert layout("12.5 ميكروغرام/م³", bidi=False, width=8, keep_number=True).text == "12.5 مي…"
    assert layout("approximately 12", bidi=False, width=8, keep_number=True).text == "appr… 12"
    assert layout("12345678901", bidi=False, width=6, keep_number=True).text == "12345…"
    # Without keep_number, a plain cut at the end.
    assert layout(value, bidi=False, width=10).text == "ميكروغرام…"


def test_wrapped_lines_follow_in_reading_order() -> None:
    text = "نسبة الأسر الموصولة بشبكة المياه العامة"
    lines = layout_lines(text, 16, bidi=True)
    # Each line reversed on its own; NFKC unfolds the lam-alef ligature of الأسر (one
    # cell) in logical order, hence "لأ" inside the reversed word.
    assert [nfkc(line.text) for line in lines] == [
        "رسلأا ةبسن",
        "ةكبشب ةلوصوملا",
        "ةماعلا هايملا",
    ]
    assert all(line.rtl for line in lines)
    assert [line.text for line in layout_lines(text, 16, bidi=False)] == [
        "نسبة الأسر",
        "الموصولة بشبكة",
        "المياه العامة",
    ]


def test_styles_follow_their_characters() -> None:
    source = Text("القيمة ")
    source.append("٨٥٫٦", "bold")
    shown = layout_text(source, bidi=True)
    assert nfkc(shown.plain) == "٨٥٫٦ ةميقلا"
    [span] = shown.spans
    assert (span.start, span.end, str(span.style)) == (0, 4, "bold")


def test_a_table_cell_wraps_and_aligns_right_to_left_text() -> None:
    text = rendered(BidiText("ص ٩، جدول ٣-١، السطر ١", bidi=True), width=16)
    assert [nfkc(line) for line in text.splitlines()] == [
        "  ،١-٣ لودج ،٩ ص",
        "         ١ رطسلا",
    ]


def test_typed_text_keeps_its_spaces_and_maps_each_character() -> None:
    line = layout_typed("الرياض ", bidi=True)
    assert nfkc(line.text) == " ضايرلا"
    assert line.sources == (6, 5, 4, 3, 2, 1, 0)
