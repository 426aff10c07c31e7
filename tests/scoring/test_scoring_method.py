"""The scorer against the worked example of docs/scoring.md, computed by hand.

Worked example (see conftest.py): domains trad (T1, T2 lower-is-better, T3) and digi
(D1, D2); cities a-f; experts E1, E2.

Weights by hand:
  E1 domains 70/30 -> .7/.3;  E2 1/1 -> .5/.5;  mean -> trad .6, digi .4
  E1 trad 2/1/1 -> .5/.25/.25; E2 1/1/2 -> .25/.25/.5; mean -> T1 .375, T2 .25, T3 .375
  E1 digi D1 1, D2 absent -> 1/0; E2 1/1 -> .5/.5; mean -> D1 .75, D2 .25
  D2 is 5 for every city that has it: no spread, left out -> D1 renormalised to 1
  effective: T1 .6*.375 = .225, T2 .6*.25 = .15, T3 .225, D1 .4*1 = .4, D2 0

Min-max (0-100) by hand:
  T1 10..50: a 100, b 50, c 100, d 0, e 25, f 75
  T2 0..8, lower is better, 100 - x: a 75, b 50, c 100, d 50, f 0
  T3 0..1: a 75, b 50, c 100, f 0
  D1 100..300: a 100, b 75, c 0, d 50, e 25

Coverage over the 4 scored indicators: a b c 4/4, d 3/4 (no T3), e 2/4, f 3/4 (no D1; its
D2 value does not count, D2 is left out).
"""

from __future__ import annotations

from typing import Any

import pytest

from verifier.core.scoring import ScoringOptionError, ScoringOptions, parse_snapshot, score

NO_MC = {"uncertainty_runs": 0}


def scored(doc: dict[str, Any], **options: Any) -> Any:
    return score(parse_snapshot(doc), ScoringOptions(**{**NO_MC, **options}))


def test_edition_weights_are_means_of_normalised_expert_weights(worked_example):
    ranking = scored(worked_example)
    domains = {d.code: d.weight for d in ranking.domains}
    assert domains == pytest.approx({"trad": 0.6, "digi": 0.4})
    weights = {w.code: w for w in ranking.weights}
    assert weights["T1"].within_domain_weight == pytest.approx(0.375)
    assert weights["T2"].within_domain_weight == pytest.approx(0.25)
    assert weights["T3"].within_domain_weight == pytest.approx(0.375)
    assert weights["D1"].within_domain_weight == pytest.approx(1.0)
    effective = {code: w.effective_weight for code, w in weights.items()}
    assert effective == pytest.approx({"T1": 0.225, "T2": 0.15, "T3": 0.225, "D1": 0.4, "D2": 0})
    assert not weights["D2"].included


def test_domain_and_overall_scores(worked_example):
    ranking = scored(worked_example)
    a, b, c, d = (ranking.city(x) for x in "abcd")
    # a: trad .375*100 + .25*75 + .375*75 = 84.375; digi 100; overall .6*84.375 + .4*100
    assert a.domain_scores == pytest.approx({"trad": 84.375, "digi": 100.0})
    assert a.overall == pytest.approx(90.625)
    # b: every trad indicator at 50; digi 75; overall 30 + 30
    assert b.domain_scores == pytest.approx({"trad": 50.0, "digi": 75.0})
    assert b.overall == pytest.approx(60.0)
    # c: trad 100, digi 0 (lowest D1); overall 60 + 0
    assert c.domain_scores == pytest.approx({"trad": 100.0, "digi": 0.0})
    assert c.overall == pytest.approx(60.0)
    # d has no T3: trad weights renormalised over T1, T2: (.375*0 + .25*50) / .625 = 20
    assert d.domain_scores == pytest.approx({"trad": 20.0, "digi": 50.0})
    assert d.overall == pytest.approx(32.0)  # .6*20 + .4*50


def test_direction_lower_is_better_is_reversed(worked_example):
    # c has the lowest T2 (0) and, with T1 = T3 = 100, a trad score of exactly 100.
    assert scored(worked_example).city("c").domain_scores["trad"] == pytest.approx(100.0)


def test_ties_share_the_better_rank(worked_example):
    ranking = scored(worked_example)
    # b and c both score 60 (up to float noise): ranks 1, 2, 2, 4
    assert [(c.id, c.rank) for c in ranking.ranked] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]


def test_coverage_rule(worked_example):
    ranking = scored(worked_example)
    d, e, f = (ranking.city(x) for x in "def")
    assert d.ranked and d.coverage == pytest.approx(0.75)  # exactly at the threshold
    assert not e.ranked and e.rank is None and e.overall is None
    assert e.coverage == pytest.approx(0.5)
    assert "coverage 50% < 75%" in e.not_ranked_because
    # f meets 75% but has nothing in digi: its D2 value is for a left-out indicator
    assert not f.ranked and f.coverage == pytest.approx(0.75)
    assert "no value in domain digi" in f.not_ranked_because
    # unranked cities still show the domain scores they have: f trad .375*75 = 28.125
    assert f.domain_scores == {"trad": pytest.approx(28.125), "digi": None}
    assert e.domain_scores == pytest.approx({"trad": 25.0, "digi": 25.0})
    # ranked first, then unranked by coverage (f 75% before e 50%)
    assert [c.id for c in ranking.cities] == ["a", "b", "c", "d", "f", "e"]


def test_indicator_without_spread_is_left_out_with_a_warning(worked_example):
    ranking = scored(worked_example)
    left_out = [w for w in ranking.warnings if w.kind == "indicator_left_out"]
    assert [w.subject for w in left_out] == ["D2"]
    assert "same value (5)" in left_out[0].message


def test_single_value_indicator_is_left_out(make_doc):
    doc = make_doc(
        [("X", "only", "higher"), ("Y", "only", "higher")],
        {"p": {"X": 1, "Y": 3}, "q": {"X": 2}, "r": {"X": 3}},
        {"E": ({"only": 1}, {"X": 1, "Y": 1})},
    )
    ranking = scored(doc)
    assert [w.subject for w in ranking.warnings if w.kind == "indicator_left_out"] == ["Y"]
    assert "single value" in ranking.warnings[0].message
    # with Y out, everyone has 1 of 1 scored indicators: X min-max 0, 50, 100
    assert [(c.id, c.overall) for c in ranking.ranked] == [("r", 100.0), ("q", 50.0), ("p", 0.0)]


def test_coverage_threshold_option(worked_example):
    lower = scored(worked_example, coverage_threshold=0.5)
    # e now qualifies (2 of 4): trad = T1 alone = 25, digi 25, overall 25 -> rank 5
    assert lower.city("e").ranked and lower.city("e").overall == pytest.approx(25.0)
    assert [(c.id, c.rank) for c in lower.ranked][-1] == ("e", 5)
    assert not lower.city("f").ranked  # an empty domain still excludes
    higher = scored(worked_example, coverage_threshold=0.8)
    assert [c.id for c in higher.ranked] == ["a", "b", "c"]  # d has 75%


def test_median_expert_weights(worked_example):
    # A third expert: domains 0/1, trad 0/1/0 (T2 only), digi D1 only.
    worked_example["experts"].append(
        {
            "code": "E3",
            "domain_weights": {"digi": 1},
            "indicator_weights": {"T2": 1, "D1": 1},
        }
    )
    ranking = scored(worked_example, expert_weights="median")
    # domains: trad median(.7, .5, 0) = .5, digi median(.3, .5, 1) = .5
    assert {d.code: d.weight for d in ranking.domains} == pytest.approx({"trad": 0.5, "digi": 0.5})
    # trad: T1 median(.5, .25, 0) = .25, T2 median(.25, .25, 1) = .25,
    # T3 median(.25, .5, 0) = .25; sum .75, renormalised to 1/3 each
    within = {w.code: w.within_domain_weight for w in ranking.weights}
    assert within["T1"] == within["T2"] == within["T3"] == pytest.approx(1 / 3)
    overall = {c.id: c.overall for c in ranking.ranked}
    # a: trad (100+75+75)/3 = 83.333..; overall .5*83.333.. + .5*100 = 91.666..
    # b: .5*50 + .5*75 = 62.5; c: .5*100 + .5*0 = 50; d: trad (0+50)/2 = 25, .5*25 + .5*50
    assert overall == pytest.approx({"a": 91.66666666666667, "b": 62.5, "c": 50.0, "d": 37.5})
    assert [c.rank for c in ranking.ranked] == [1, 2, 3, 4]


def test_zscore_normalisation(make_doc):
    # X (higher): p 5, others 0 -> mean 1, population sd 2 -> z: p 2, others -.5
    # Y (lower):  t 0, others 10 -> mean 8, sd 4 -> z: t -2, others .5; reversed: t 2, others -.5
    # shown as 50 + 10 z: X p 70, others 45; Y t 70, others 45. Weights .5/.5.
    doc = make_doc(
        [("X", "only", "higher"), ("Y", "only", "lower")],
        {
            "p": {"X": 5, "Y": 10},
            "q": {"X": 0, "Y": 10},
            "r": {"X": 0, "Y": 10},
            "s": {"X": 0, "Y": 10},
            "t": {"X": 0, "Y": 0},
        },
        {"E": ({"only": 1}, {"X": 1, "Y": 1})},
    )
    ranking = scored(doc, normalisation="zscore")
    overall = {c.id: c.overall for c in ranking.ranked}
    # p (70+45)/2 = 57.5, q r s (45+45)/2 = 45, t (45+70)/2 = 57.5
    assert overall == pytest.approx({"p": 57.5, "q": 45.0, "r": 45.0, "s": 45.0, "t": 57.5})
    assert [c.rank for c in ranking.ranked] == [1, 1, 3, 3, 3]
    # geometric on z-scores: each indicator shifted so its worst city is at 1:
    # X p 26, others 1; Y t 26, others 1 -> p and t sqrt(26 * 1) = 5.0990195..., others 1
    geometric = scored(doc, normalisation="zscore", aggregation="geometric")
    overall = {c.id: c.overall for c in geometric.ranked}
    assert overall == pytest.approx(
        {"p": 5.0990195135927845, "q": 1, "r": 1, "s": 1, "t": 5.0990195135927845}
    )


def geometric_doc(make_doc):
    # All ranges 0..11: min-max x = 100 v / 11, geometric input 1 + .99 x = 1 + 9 v,
    # so 0 -> 1, 5 -> 46, 11 -> 100. One expert, every weight equal.
    return make_doc(
        [("A1", "da", "higher"), ("A2", "da", "higher"), ("B1", "db", "higher")],
        {
            "u": {"A1": 11, "A2": 0, "B1": 11},
            "v": {"A1": 5, "A2": 5, "B1": 5},
            "w": {"A1": 0, "A2": 11, "B1": 0},
        },
        {"E": ({"da": 1, "db": 1}, {"A1": 1, "A2": 1, "B1": 1})},
    )


def test_geometric_aggregation(make_doc):
    doc = geometric_doc(make_doc)
    arithmetic = scored(doc)
    # u: da (100 + 0)/2 = 50, db 100 -> 75; v: 500/11 = 45.4545..; w: da 50, db 0 -> 25
    assert {c.id: c.overall for c in arithmetic.ranked} == pytest.approx(
        {"u": 75.0, "v": 45.45454545454545, "w": 25.0}
    )
    geometric = scored(doc, aggregation="geometric")
    u, v, w = (geometric.city(x) for x in "uvw")
    # u: da sqrt(100 * 1) = 10, db 100, overall sqrt(10 * 100) = 31.6227766..
    assert u.domain_scores == pytest.approx({"da": 10.0, "db": 100.0})
    assert u.overall == pytest.approx(31.622776601683793)
    # v: 46 everywhere; w: da sqrt(1 * 100) = 10, db 1, overall sqrt(10) = 3.16227766..
    assert v.overall == pytest.approx(46.0)
    assert w.overall == pytest.approx(3.1622776601683795)
    # the unbalanced u drops below the balanced v
    assert [c.id for c in geometric.ranked] == ["v", "u", "w"]


def test_expert_with_no_weights_counts_equally_with_a_warning(worked_example):
    worked_example["experts"][1]["domain_weights"] = {}
    ranking = scored(worked_example)
    # E2 -> domains .5/.5 as before, so the edition weights do not change
    assert {d.code: d.weight for d in ranking.domains} == pytest.approx({"trad": 0.6, "digi": 0.4})
    assert any(w.kind == "expert_weights_empty" and w.subject == "E2" for w in ranking.warnings)


def test_options_are_validated():
    with pytest.raises(ScoringOptionError, match="coverage threshold"):
        ScoringOptions(coverage_threshold=1.5)
    with pytest.raises(ScoringOptionError, match="normalisation"):
        ScoringOptions(normalisation="rank")  # type: ignore[arg-type]
    with pytest.raises(ScoringOptionError, match="uncertainty"):
        ScoringOptions(uncertainty_runs=-1)


def test_ranking_records_options_and_snapshot(worked_example):
    options = ScoringOptions(aggregation="geometric", uncertainty_runs=0)
    ranking = score(parse_snapshot(worked_example), options)
    assert ranking.options is options
    assert ranking.publication_id == 7 and ranking.hash_verified
    assert ranking.uncertainty is None and ranking.city("a").p5_rank is None


def test_weight_only_on_a_left_out_indicator(worked_example):
    # Both experts now weight digi only through D2, which is left out (no spread):
    # D1's edition weight is 0, so D1 counts alone (weight 1) and a warning says so.
    for expert in worked_example["experts"]:
        expert["indicator_weights"]["D1"] = 0
        expert["indicator_weights"]["D2"] = 1
    ranking = scored(worked_example)
    assert {w.code: w.within_domain_weight for w in ranking.weights}["D1"] == 1.0
    assert ranking.city("a").overall == pytest.approx(90.625)  # unchanged
    assert any(
        w.kind == "weights_only_on_left_out" and w.subject == "digi" for w in ranking.warnings
    )
