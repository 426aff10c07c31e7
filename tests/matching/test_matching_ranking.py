"""Ranking: the script prior, the calibrated bands and the rule that a guessed reversed
reading never ties the label's own reading."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

from verifier.core.matching import GazetteerEntry, Matcher
from verifier.core.matching.calibration import FEATURES, MONOTONE, Calibration, features
from verifier.core.matching.foreign import (
    FOREIGN_FILE,
    NO_FOREIGN_CITIES,
    ForeignCities,
    default_foreign_cities,
    keys_of,
)
from verifier.core.matching.learned.parameters import default_parameters
from verifier.core.matching.ranking import ARABIC_SPEAKING, REVERSED_TIE_GAP


def test_a_guessed_reversal_never_ties_the_labels_own_reading() -> None:
    # "كرم زيد": no sign of its order. Its own reading finds كرم (one word of two: 100 - 8);
    # read backwards it is "ديز مرك", another city's name exactly (a guess: 100 - 8). The two
    # used to tie at 92, and the city id decided; the label's own reading must win.
    entries = [
        GazetteerEntry("a-reversed", "JO", name_ar="ديز مرك"),
        GazetteerEntry("b-direct", "JO", name_ar="كرم"),
    ]
    result = Matcher.from_entries(entries).match("كرم زيد")
    assert [(c.city_id, c.score) for c in result.candidates] == [
        ("b-direct", 92.0),
        ("a-reversed", 92.0 - REVERSED_TIE_GAP),
    ]
    assert result.margin == REVERSED_TIE_GAP
    assert result.band == "review"
    assert "reversed-order guess -8" in result.candidates[1].explain()


def test_a_guessed_reversal_that_is_clearly_better_still_wins() -> None:
    # Nothing in the label's own reading comes close: the reversed reading is the only match.
    entries = [GazetteerEntry("a-reversed", "JO", name_ar="ديز مرك")]
    result = Matcher.from_entries(entries).match("كرم زيد")
    assert result.top is not None and result.top.city_id == "a-reversed"
    assert result.top.score == 92.0


def _homonyms() -> list[GazetteerEntry]:
    # The same English name in an Arabic-speaking country and elsewhere.
    return [
        GazetteerEntry("in-karimpur", "IN", "Karimpur"),
        GazetteerEntry("eg-karimpur", "EG", "Karimpur"),
    ]


def test_the_script_prior_prefers_arabic_speaking_countries_for_arabic_labels() -> None:
    parameters = default_parameters()
    prior = parameters.script_prior
    assert prior > 0
    matcher = Matcher.from_entries(_homonyms())
    arabic = matcher.match("كريمبور")
    assert [c.city_id for c in arabic.candidates] == ["eg-karimpur", "in-karimpur"]
    without = matcher.with_parameters(replace(parameters, script_prior=0.0)).match("كريمبور")
    before = {c.city_id: c.score for c in without.candidates}
    first, second = arabic.candidates
    assert first.score == before["eg-karimpur"]
    assert second.score == round(before["in-karimpur"] - prior, 2)
    assert second.parts["script_prior"] == -prior
    assert "outside the Arabic-speaking countries" in second.explain()
    assert "script_prior" not in first.parts


def test_the_script_prior_leaves_latin_labels_and_hinted_labels_alone() -> None:
    matcher = Matcher.from_entries(_homonyms())
    latin = matcher.match("Karimpur")
    assert latin.candidates[0].score == latin.candidates[1].score == 100.0
    hinted = matcher.match("كريمبور", country="IN")
    assert hinted.top is not None and hinted.top.city_id == "in-karimpur"
    assert all("script_prior" not in c.parts for c in hinted.candidates)
    assert {"EG", "SA", "MA", "SO", "KM"} <= ARABIC_SPEAKING
    assert "IN" not in ARABIC_SPEAKING and "BR" not in ARABIC_SPEAKING


def test_the_calibration_never_falls_as_the_score_or_the_lead_rises() -> None:
    calibration = default_parameters().calibration
    for name in MONOTONE:
        assert calibration.weights[name] >= 0, name
    assert set(calibration.weights) <= set(FEATURES)
    flags = itertools.product((False, True), repeat=4)
    for exact, guessed, cross_script, learned_known in flags:
        previous_row: list[float] | None = None
        for score in range(70, 101, 2):
            row = []
            for margin in (0.0, 1.0, 3.0, 7.0, 15.0, 30.0, None):
                evidence = features(
                    float(score),
                    margin,
                    exact=exact,
                    guessed=guessed,
                    left_out=0,
                    learned=90.0 if learned_known else None,
                    learned_agrees=True if learned_known else None,
                    cross_script=cross_script,
                    exonym=False,
                    hint_agrees=False,
                )
                row.append(calibration.probability(evidence))
            assert row == sorted(row), (score, exact, guessed)
            if previous_row is not None:
                assert all(a <= b for a, b in zip(previous_row, row, strict=True))
            previous_row = row


def test_bands_follow_the_calibrated_probability() -> None:
    calibration = Calibration(-10.0, {"score": 10.0, "margin": 2.0}, 0.5)
    # z = -10 + 10 · score/100 + 2 · min(margin, 30)/30
    assert calibration.probability({"score": 1.0, "margin": 0.0}) == 0.5
    assert calibration.band(100.0, 0.5, None) == "auto"
    assert calibration.band(100.0, 0.49, None) == "review"
    assert calibration.band(100.0, 0.99, False) == "review"  # contradicts the country hint
    assert calibration.band(69.9, 0.99, None) == "none"
    assert calibration.band(None, 0.99, None) == "none"


def _with_large_city(country: str) -> ForeignCities:
    # A large city "Karimpur" elsewhere, by its Latin and its Arabic name.
    return ForeignCities.from_names([("Karimpur", country), ("كريمبور", country)])


def test_a_label_that_is_also_a_large_city_elsewhere_needs_a_country() -> None:
    # "Karimpur" spells the Egyptian town exactly, but it is also (here) a large Indian
    # city's name: without a country, a person decides.
    entries = [GazetteerEntry("eg-karimpur", "EG", "Karimpur", "كريمبور")]
    matcher = Matcher.from_entries(entries, foreign=_with_large_city("IN"))
    for label in ("Karimpur", "كريمبور"):
        result = matcher.match(label)
        assert result.top is not None and result.top.city_id == "eg-karimpur"
        assert result.band == "review", label
        assert result.top.parts["foreign_homonym"] == "IN"
        assert "also a large city's name in IN" in result.top.explain()
        assert matcher.match(label, country="EG").band == "auto"
    # Without the large city, the same label is certain.
    plain = Matcher.from_entries(entries, foreign=NO_FOREIGN_CITIES)
    assert plain.match("Karimpur").band == "auto"


def test_the_large_city_itself_can_be_auto_and_keeps_its_place() -> None:
    entries = _homonyms()
    matcher = Matcher.from_entries(entries, foreign=_with_large_city("IN"))
    # The Arabic label names the large Indian city as well: no prior against it.
    arabic = matcher.match("كريمبور")
    assert {c.city_id for c in arabic.candidates} == {"eg-karimpur", "in-karimpur"}
    scores = {c.city_id: c.score for c in arabic.candidates}
    # Only the learned model's tables (by country) separate them: no prior's points.
    assert abs(scores["eg-karimpur"] - scores["in-karimpur"]) < 0.5
    assert all("script_prior" not in c.parts for c in arabic.candidates)
    assert arabic.band == "review"
    # A gazetteer whose city is the large one: its own name is certain.
    alone = Matcher.from_entries(entries[:1], foreign=_with_large_city("IN"))
    assert alone.match("Karimpur").band == "auto"
    assert "foreign_homonym" not in alone.match("Karimpur").candidates[0].parts


def test_the_shipped_list_of_large_cities_is_what_the_normaliser_makes_of_it() -> None:
    data = json.loads(FOREIGN_FILE.read_text(encoding="utf-8"))
    assert data["keys"] == keys_of([tuple(pair) for pair in data["names"]])
    shipped = default_foreign_cities()
    assert len(shipped.keys) == len(data["keys"]) > 1000
    assert not {c for countries in shipped.keys.values() for c in countries} & ARABIC_SPEAKING
