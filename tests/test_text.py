"""Text hygiene: stored text untouched, keys folded, displayed text safe."""

from __future__ import annotations

from verifier.core.text import clean_display, clean_stored, detect_script, match_key, search_fold


def test_stored_text_is_nfc_and_otherwise_untouched() -> None:
    decomposed = "Riya\u0304dh"  # a + combining macron
    assert clean_stored(decomposed) == "Riyādh"
    assert clean_stored("الريـــاض\u200f") == "الريـــاض\u200f"  # tatweel and RLM kept
    assert clean_stored("a\x00b") == "ab"  # PostgreSQL cannot store NUL


def test_keys_drop_invisible_characters_and_fold_case() -> None:
    assert match_key("\u202eالرياض\u200f") == match_key("الرياض")
    assert match_key("الريـــاض") == "الرياض"  # tatweel
    assert match_key("ﺍﻟﺮﻳﺎﺽ") == "الرياض"  # presentation forms
    assert match_key("  RIYADH\u200b ") == "riyadh"


def test_search_folds_diacritics_in_both_scripts() -> None:
    assert search_fold("مَكَّةُ المُكَرَّمَة") == search_fold("مكة المكرمة")
    assert search_fold("أبو ظبي") == "ابو ظبي"
    assert search_fold("Ar Riyāḑ") == "ar riyad"


def test_display_removes_terminal_controls() -> None:
    hostile = "x\x1b[31mred\x9b1m\u202eevil\x07"
    shown = clean_display(hostile)
    assert "\x1b" not in shown and "\x9b" not in shown and "\u202e" not in shown
    assert "\x07" not in shown
    assert clean_display("a\tb\nc") == "a\tb\nc"


def test_script_detection() -> None:
    assert detect_script("الرياض").value == "arab"
    assert detect_script("Riyadh").value == "latn"
    assert detect_script("Riyadh الرياض").value == "mixed"
    assert detect_script("123").value == "other"
    # The Arabic letter mark, an Arabic comma or Arabic-Indic digits are not Arabic letters.
    assert detect_script("Dubai\u061c").value == "latn"
    assert detect_script("Dubai، ٢٠٢٣").value == "latn"
