"""Arabic lines out of PDFs turned to logical order, and text folded for search."""

from __future__ import annotations

import pytest

from verifier.core.evidence.folding import fold, fold_query
from verifier.core.evidence.rtl import came_out_backwards, logical_text


def visual(line: str) -> str:
    """A right-to-left line as a PDF extractor gives it: reversed, with each left-to-right
    run (Latin words, numbers) kept in reading order."""
    from bidi.algorithm import get_display

    return get_display(line, base_dir="R")


@pytest.mark.parametrize(
    "line",
    [
        "مدينة الرياض",
        "سرعة الإنترنت الثابت في الرياض 25 Mbps",
        "نسبة التغطية ٨٨٫٢ ٪ في جدة",
        "جدول ٣-٢: مؤشرات الاتصالات",
        "عدد المشتركين 1,234,567 مشترك",
        "الخدمة fixed broadband في الدمام",
    ],
)
def test_reversed_lines_come_back_in_logical_order(line: str) -> None:
    backwards = visual(line)
    assert backwards != line
    text, reversed_page = logical_text(backwards)
    assert (text, reversed_page) == (line, True)


def test_lines_already_in_logical_order_are_kept() -> None:
    page = "مدينة الرياض\nالتقرير السنوي للاتصالات"
    assert logical_text(page) == (page, False)


def test_presentation_forms_are_folded_after_turning_round() -> None:
    # As some producers write it: shaped glyphs, drawn right to left; lam-alef is one glyph.
    shaped = "ﺽﺎﻳﺮﻟﺍ ﺔﻨﻳﺪﻣ"  # visual order of "مدينة الرياض"
    assert logical_text(shaped)[0] == "مدينة الرياض"
    assert logical_text("ﻻ")[0] == "لا"


def test_a_ligature_placeholder_keeps_its_letters_in_order() -> None:
    # The extractor's lam-alef glyph gives "لا" in logical order inside a reversed word.
    placeholder = "\ue000"
    visual_word = f"ت{placeholder}اصت{placeholder}ا"  # الاتصالات, drawn right to left
    text, _ = logical_text(visual_word, {placeholder: "لا"}, assume=True)
    assert text == "الاتصالات"


def test_a_latin_line_with_an_arabic_name_reverses_only_the_name() -> None:
    assert logical_text("Riyadh ضايرلا city\nضايرلا ةنيدم", assume=True)[0] == (
        "Riyadh الرياض city\nمدينة الرياض"
    )


def test_a_page_without_signs_follows_the_pages_before() -> None:
    ambiguous = "نم"  # "من" backwards; two letters give no evidence either way
    assert came_out_backwards([ambiguous]) is None
    assert logical_text(ambiguous, assume=True) == ("من", True)
    assert logical_text(ambiguous, assume=None) == ("نم", None)


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("نسبة التغطية ٨٨٫٢ ٪", "88.2%"),
        ("نسبة التغطية ۸۸٫۲", "88.2"),
        ("عدد ١٬٢٣٤", "1,234"),
        ("اَلرِّيَاض", "الرياض"),
        ("مـــدينة", "مدينة"),
        ("ﺍﻟﺮﻳﺎﺽ", "الرياض"),
        ("المدينة المنورة", "المدينه المنوره"),
        ("broad-\nband   speed", "broadband speed"),
        ("Fixed\tBroadband", "fixed broadband"),
        ("São Paulo", "sao paulo"),
        ("إحصاء", "احصاء"),
    ],
)
def test_folded_search_finds_what_a_reader_types(page: str, query: str) -> None:
    assert fold_query(query) in fold(page).text


def test_a_folded_span_maps_back_to_the_stored_text() -> None:
    page = "السرعة: ٢٥٫٤ Mbps\nالتغطية ٨٨٫٢ ٪"
    folded = fold(page)
    start = folded.text.index("88.2")
    begin, end = folded.span(start, start + 4)
    assert page[begin:end] == "٨٨٫٢"


def test_brackets_drawn_mirrored_are_turned_back() -> None:
    # A producer that drew each bracket's mirrored glyph: the line turned round has them
    # the wrong way, which no text writes.
    assert logical_text(".(2021 ماع) ةبسنلا (3)", assume=True)[0] == "(3) النسبة (عام 2021)."
    assert logical_text("(2021) ماع", assume=True)[0] == "عام (2021)"


def test_a_percent_sign_drawn_after_a_number_is_put_back() -> None:
    assert logical_text("٨٥٫٦٪ ٢٠٢٢ رئازجلا", assume=True)[0] == "الجزائر ٢٠٢٢ ٨٥٫٦٪"
    assert logical_text("٪٨٥٫٦ ٢٠٢٢ رئازجلا", assume=True)[0] == "الجزائر ٢٠٢٢ ٨٥٫٦٪"


@pytest.mark.parametrize(
    ("page", "query"),
    [("مدينة عمّان ۲۰۲۲ ۶۰٫۲%", "مدينة عمّان ۲۰۲۲ %۶۰٫۲"), ("يقيم 48.0% من", "يقيم %48.0 من")],
)
def test_a_percent_sign_typed_before_the_number_still_finds_it(page: str, query: str) -> None:
    assert fold_query(query) in fold(page).text
