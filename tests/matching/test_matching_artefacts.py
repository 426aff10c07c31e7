"""Labels damaged by PDF extraction or copy-and-paste still find their city."""

from __future__ import annotations

from verifier.core.matching import Matcher
from verifier.core.matching.cleanup import readings, strip_invisibles


def test_presentation_forms(matcher: Matcher) -> None:
    result = matcher.match("ﺍﻟﺮﻳﺎﺽ")
    assert result.top is not None and result.top.city_id == "sa-riyadh"
    assert result.band == "auto"


def test_reversed_visual_order(matcher: Matcher) -> None:
    result = matcher.match("ضايرلا")
    assert result.top is not None and result.top.city_id == "sa-riyadh"
    assert result.top.parts.get("reversed") is True
    assert "reversed" in result.top.explain()


def test_reversed_multi_word_name(matcher: Matcher) -> None:
    result = matcher.match("ءاضيبلا رادلا")
    assert result.top is not None and result.top.city_id == "ma-casablanca"


def test_reversed_presentation_forms_are_detected_by_their_shapes(matcher: Matcher) -> None:
    # ﺽ (final form) first and ﺍ last: drawn right to left, stored left to right.
    logical = "ﺍﻟﺮﻳﺎﺽ"
    result = matcher.match(logical[::-1])
    assert result.top is not None and result.top.city_id == "sa-riyadh"


def test_real_names_are_not_reversed() -> None:
    for name in ("الرياض", "مكة", "الدار البيضاء", "جدة"):
        assert [r.reversed for r in readings(name)] == [False], name


def test_name_ending_like_a_reversed_article_keeps_both_readings() -> None:
    # المكلا (Mukalla) ends in لا like a reversed article; both readings stay in play.
    assert {r.text for r in readings("المكلا")} >= {"المكلا"}
    assert "كربلا" in {r.text for r in readings("كربلا")}


def test_tatweel(matcher: Matcher) -> None:
    result = matcher.match("الريـــاض")
    assert result.top is not None and result.top.city_id == "sa-riyadh"
    assert result.band == "auto"


def test_bidi_controls_and_zero_width_marks(matcher: Matcher) -> None:
    for label in (
        "\u202bالرياض\u202c",
        "\u2067جدة\u2069",
        "الر\u200cياض",
        "\ufeffالرياض\u200f",
        "Riy\u200badh",
    ):
        result = matcher.match(label)
        assert result.top is not None
        assert result.top.city_id in ("sa-riyadh", "sa-jeddah"), label
        assert result.top.score == 100.0, label
    assert strip_invisibles("\u202aa\u200bb\u061cc\u0640d\u2066") == "abcd"


def test_mixed_script_label(matcher: Matcher) -> None:
    result = matcher.match("Riyadh - الرياض")
    assert result.top is not None and result.top.city_id == "sa-riyadh"


def test_label_with_extra_words(matcher: Matcher) -> None:
    result = matcher.match("بغداد العراق")
    assert result.top is not None and result.top.city_id == "iq-baghdad"
    assert result.top.parts["dropped_words_penalty"] < 0
    assert "words of the label left out" in result.top.explain()


def test_qualifier_after_a_comma_or_in_brackets_costs_little(matcher: Matcher) -> None:
    for label in ("بغداد، العراق", "Baghdad, Iraq", "Baghdad (Iraq)"):
        result = matcher.match(label)
        assert result.top is not None and result.top.city_id == "iq-baghdad", label
        assert result.top.parts["qualifier_penalty"] == -2.0, label
        assert "qualifier left out" in result.top.explain()
    # A bare kind of place in brackets costs nothing (Wikipedia-style disambiguation).
    for label in ("الجزائر (مدينة)", "Algiers (city)"):
        result = matcher.match(label)
        assert result.top is not None and result.top.city_id == "dz-algiers", label
        assert "qualifier_penalty" not in result.top.parts, label
        assert result.band == "auto", label
