"""Bands: auto only when nearly surely right, review when plausible, none otherwise; the
country hint settles same-name cities; learned aliases match exactly."""

from __future__ import annotations

import pytest

from verifier.core.matching import GazetteerEntry, Matcher
from verifier.core.matching.calibration import COUNTRY_PENALTY, REVIEW_MIN_SCORE
from verifier.core.matching.learned.parameters import default_parameters


def test_tarabulus_follows_the_country_hint(matcher: Matcher) -> None:
    libya = matcher.match("Tarabulus", country="LY")
    lebanon = matcher.match("Tarabulus", country="LB")
    assert libya.top is not None and libya.top.city_id == "ly-tripoli"
    assert lebanon.top is not None and lebanon.top.city_id == "lb-tripoli"
    assert libya.band == lebanon.band == "auto"
    assert libya.top.country_match is True
    other = next(c for c in libya.candidates if c.city_id == "lb-tripoli")
    assert other.country_match is False
    assert other.parts["country_penalty"] == -COUNTRY_PENALTY


def test_tripoli_without_a_country_is_for_a_person(matcher: Matcher) -> None:
    for label in ("Tripoli", "طرابلس", "Tarabulus"):
        result = matcher.match(label)
        assert result.band == "review", label
        assert {c.city_id for c in result.candidates[:2]} == {"lb-tripoli", "ly-tripoli"}


def test_hint_in_lower_case_is_accepted(matcher: Matcher) -> None:
    result = matcher.match("طرابلس", country="ly")
    assert result.top is not None and result.top.city_id == "ly-tripoli"


def test_wrong_country_never_outranks_a_right_one_of_similar_quality(matcher: Matcher) -> None:
    # Jeddah (SA) spelled loosely, hinted as Saudi: the Saudi city stays first.
    result = matcher.match("Jedda", country="SA")
    assert result.top is not None and result.top.country == "SA"


def test_hint_for_a_country_not_in_the_gazetteer(matcher: Matcher) -> None:
    result = matcher.match("Paris", country="FR")
    assert result.band != "auto"
    assert all(c.country_match is False for c in result.candidates)
    result = matcher.match("Riyadh", country="FR")
    assert result.band == "review"  # the name is right, the country says otherwise
    assert result.top is not None and result.top.parts.get("hint_not_in_gazetteer") == "FR"


@pytest.mark.parametrize(
    "label",
    [
        "Paris",
        "طهران",
        "Berlin",
        "برلين",
        "Tokyo",
        "London",
        "لندن",
        "Istanbul",
        "Moscow",
        "Madrid",
        "Teheran",
        "Nairobi",
        "Karachi",
        "كراتشي",
        "Lagos",
        "Lyon",
        "Marseille",
        "Kabul",
        "كابل",
    ],
)
def test_cities_outside_the_gazetteer_never_reach_auto(matcher: Matcher, label: str) -> None:
    assert matcher.match(label).band != "auto"


def test_nothing_plausible_is_none(matcher: Matcher) -> None:
    for label in ("Reykjavik", "Xyzzy", "ووووو"):
        assert matcher.match(label).band == "none", label
    empty = matcher.match("  \u200f ")
    assert empty.candidates == [] and empty.band == "none" and empty.top is None


def test_learned_alias_matches_exactly_and_is_auto(cities: list[GazetteerEntry]) -> None:
    raw_label = "مدينة الرياض - KSA"
    before = Matcher.from_entries(cities).match(raw_label)
    # Before: the name is found, but the dropped words cost 8 points, so a person decides.
    assert before.band == "review"
    assert before.top is not None and before.top.city_id == "sa-riyadh"
    assert before.top.parts == {"method": "exact", "exact": 100.0, "dropped_words_penalty": -8.0}
    assert before.top.score == 100.0 - 8.0
    learned = [
        GazetteerEntry(e.city_id, e.country, e.name_en, e.name_ar, (*e.aliases, raw_label))
        if e.city_id == "sa-riyadh"
        else e
        for e in cities
    ]
    result = Matcher.from_entries(learned).match(raw_label)
    assert result.top is not None and result.top.city_id == "sa-riyadh"
    assert result.top.score == 100.0
    assert result.top.matched_field == "alias"
    assert result.band == "auto"


def test_alias_shared_by_two_cities_is_never_auto() -> None:
    entries = [
        GazetteerEntry("a", "SA", "Al Khubar", aliases=("Khobar City",)),
        GazetteerEntry("b", "SA", "Al Khabra", aliases=("Khobar City",)),
    ]
    result = Matcher.from_entries(entries).match("Khobar City")
    assert result.top is not None and result.top.score == 100.0
    assert result.margin == 0.0
    assert result.band == "review"


def test_the_country_penalty_outweighs_any_lead_the_calibration_trusts() -> None:
    # A candidate of another country than the hint is never auto, and loses more points than
    # the calibration's lead feature can make up (its lead saturates at MARGIN_CAP).
    calibration = default_parameters().calibration
    assert calibration.band(100.0, 1.0, False) == "review"
    assert calibration.band(REVIEW_MIN_SCORE - 0.01, 1.0, None) == "none"
    assert COUNTRY_PENALTY == 15.0


def test_batch_matches_single_queries(matcher: Matcher) -> None:
    queries = [("Tarabulus", "LY"), ("Tarabulus", "LB"), ("جدة", None), ("Tarabulus", "LY")]
    batch = matcher.match_many(queries, top=3)
    single = [matcher.match(label, country, 3) for label, country in queries]
    assert [r.to_dict() for r in batch] == [r.to_dict() for r in single]
    assert all(len(r.candidates) <= 3 for r in batch)


def test_batch_without_explanations_ranks_the_same(matcher: Matcher) -> None:
    queries = [("Tarabulus", "LY"), ("ﺍﻟﺮﻳﺎﺽ", None), ("Le Caire", None), ("Jedda", "SA")]
    queries += [("الكويت", None), ("Bagdad", "IQ"), ("Paris", None), ("ترابلس", None)]
    explained = matcher.match_many(queries, top=3)
    plain = matcher.match_many(queries, top=3, explain=False)
    for full, bare in zip(explained, plain, strict=True):
        assert (bare.band, bare.margin) == (full.band, full.margin)
        assert [(c.city_id, c.score) for c in bare.candidates] == [
            (c.city_id, c.score) for c in full.candidates
        ]
        assert all(not c.parts for c in bare.candidates)
