"""Every candidate says what it matched and how its score came about."""

from __future__ import annotations

import json

from verifier.core.matching import Matcher
from verifier.core.matching.exonyms import EXONYMS


def test_exact_match_explained(matcher: Matcher) -> None:
    top = matcher.match("الرياض").top
    assert top is not None
    assert (top.matched_field, top.matched_name) == ("name_ar", "الرياض")
    assert top.query_form == top.name_form == "الرياض"  # the whole label is a known name
    assert top.parts["method"] == "exact"
    top = matcher.match("الريـاض‏ مدينة").top  # not the same label: compared by key
    assert top is not None and top.query_form == top.name_form == "رياض"
    assert "exact" in top.explain() and "الرياض" in top.explain()


def test_cross_script_match_explained(matcher: Matcher) -> None:
    top = matcher.match("Er Riad", country="SA").top
    assert top is not None and top.city_id == "sa-riyadh"
    assert top.matched_field == "name_en"
    assert top.query_form == "riad"
    for part in ("key_ratio", "skeleton_ratio", "query_key", "name_key", "method"):
        assert part in top.parts
    assert top.country_match is True
    line = top.explain()
    assert "\n" not in line and "country matches" in line and f"{top.score:.1f}" in line


def test_exonym_match_explained(matcher: Matcher) -> None:
    top = matcher.match("Le Caire").top
    assert top is not None and top.city_id == "eg-cairo"
    assert top.matched_field == "exonym"
    assert top.parts["via_exonym"]
    assert "exonym" in top.explain()


def test_country_effect_explained(matcher: Matcher) -> None:
    result = matcher.match("Tarabulus", country="LY")
    other = next(c for c in result.candidates if c.country == "LB")
    assert "other country" in other.explain()


def test_dict_form_is_json_serialisable(matcher: Matcher) -> None:
    result = matcher.match("ﺍﻟﺮﻳﺎﺽ", country="SA")
    data = json.loads(json.dumps(result.to_dict()))
    candidate = data["candidates"][0]
    for key in (
        "city_id",
        "score",
        "matched_field",
        "matched_name",
        "query_form",
        "name_form",
        "parts",
        "country_match",
        "explanation",
    ):
        assert key in candidate
    assert data["band"] == "auto"
    assert json.loads(json.dumps(result.top.to_dict())) == candidate  # type: ignore[union-attr]


def test_exonym_list_is_short_and_hand_made() -> None:
    assert len(EXONYMS) < 300
    assert all(len(group.country) == 2 and len(group.forms) >= 2 for group in EXONYMS)
