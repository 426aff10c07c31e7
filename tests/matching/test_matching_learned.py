"""The learned transliteration scorer: its parameter file, its part in scores and
explanations, BGN/PCGN marks as letter evidence, and adaptation to confirmed pairs."""

from __future__ import annotations

import json

import numpy as np

from verifier.core.matching import GazetteerEntry, Matcher
from verifier.core.matching.learned.model import PARAMETER_FILE, TransliterationModel
from verifier.core.matching.learned.parameters import MatchingParameters, default_parameters
from verifier.core.matching.learned.respelling import respellings
from verifier.core.matching.learned.training import Pair, adapt


def test_the_trained_scorer_loads_from_its_parameter_file() -> None:
    data = json.loads(PARAMETER_FILE.read_text(encoding="utf-8"))
    assert data["format"] == "verifier-transliteration/2"
    assert data["to_latin"]["writes"] == "latin" and data["to_arabic"]["writes"] == "arabic"
    assert data["to_latin"]["traditions"] == ["", "french", "english"]
    # Trained on the dev countries only.
    assert sorted(data["meta"]["trained_on"]) == sorted(
        ["DZ", "EG", "IQ", "JO", "LB", "MA", "SA", "SY", "TN", "YE", "PS"]
    )
    parameters = default_parameters()
    assert isinstance(parameters.transliteration, TransliterationModel)
    assert parameters.learned_weight == data["scorer"]["learned_weight"]
    assert parameters.calibration.auto_threshold == data["calibration"]["auto_threshold"]
    # Writing the parameters out and reading them back changes nothing.
    again = MatchingParameters.from_json(json.loads(json.dumps(parameters.to_json())))
    assert again.transliteration is not None
    queries, names = ["ouargla", "بغداد"], ["ورقلة", "Baghdad"]
    args = (["french", "english"], [False, True])
    assert np.array_equal(
        parameters.transliteration.log_ratio(queries, names, *args),
        again.transliteration.log_ratio(queries, names, *args),
    )


def test_the_model_learned_the_usual_correspondences() -> None:
    model = default_parameters().transliteration
    assert model is not None
    # خ writes kh, ش writes sh (English) or ch (French), ة writes a at the end of a word.
    assert model.to_latin.top_segments("خ", "english", 1)[0][0] == "kh"
    assert model.to_latin.top_segments("ش", "english", 1)[0][0] == "sh"
    # Inside a word (context 0), French spellings write ch, English ones hardly ever.
    french = dict(model.to_latin.top_segments("ش", "french", 50, context=0))
    english = dict(model.to_latin.top_segments("ش", "english", 50, context=0))
    assert french["ch"] > 2 * english.get("ch", 0.0)
    assert model.to_latin.top_segments("ة", "english", 1, context=2)[0][0] == "a"
    # q is ق; k before h is خ (context 4: after the start of a word, h follows).
    assert model.to_arabic.top_segments("q", "english", 1)[0][0] == "ق"
    assert model.to_arabic.top_segments("k", "english", 1, context=4)[0][0] == "خ"


def test_the_learned_score_is_one_more_scorer_the_explanation_shows() -> None:
    entries = [GazetteerEntry("iq-baghdad", "IQ", "Baghdad"), GazetteerEntry("xx", "EG", "Bagdud")]
    result = Matcher.from_entries(entries).match("بغداد")
    assert result.top is not None and result.top.city_id == "iq-baghdad"
    for candidate in result.candidates:
        assert 0 <= candidate.parts["learned"] <= 100
        assert "learned transliteration" in candidate.explain()
    # The candidate the model prefers keeps its rule score; the other loses points.
    assert result.candidates[0].parts["learned_delta"] == 0.0
    assert result.candidates[1].parts["learned_delta"] < 0.0


def test_bgn_marks_are_letter_evidence() -> None:
    model = default_parameters().transliteration
    assert model is not None
    # ḩ is ح and ş is ص: the marked spelling tells حصن from هسن, the bare one cannot.
    marked = model.log_ratio(["ḩişn", "ḩişn"], ["حصن", "هسن"], ["english"] * 2, [False] * 2)
    bare = model.log_ratio(["hisn", "hisn"], ["حصن", "هسن"], ["english"] * 2, [False] * 2)
    assert marked[0] - marked[1] > 1.0
    assert marked[0] - marked[1] > abs(bare[0] - bare[1])
    entries = [
        GazetteerEntry("jo-hisn", "JO", name_ar="حصن"),
        GazetteerEntry("x", "IQ", name_ar="هسن"),
    ]
    result = Matcher.from_entries(entries).match("Ḩişn")
    assert [c.city_id for c in result.candidates] == ["jo-hisn", "x"]
    assert result.candidates[1].parts["learned_delta"] < 0.0


def test_adapting_to_confirmed_pairs_teaches_a_new_spelling() -> None:
    model = default_parameters().transliteration
    assert model is not None
    confirmed = [
        Pair("شرقية", "xarqiya", "english"),
        Pair("شفشاون", "xefxaouen", "french"),
        Pair("رشيدية", "raxidiya", "french"),
    ]
    adapted = adapt(model, confirmed)
    # Another label with x for ش: the adapted model finds it far likelier than before.
    before = model.log_ratio(["xubra"], ["شبرا"], ["english"], [False])[0]
    after = adapted.log_ratio(["xubra"], ["شبرا"], ["english"], [False])[0]
    assert after - before > 0.5
    assert respellings(adapted, confirmed) == (("x", "sh"),)
    assert respellings(model, []) == ()
