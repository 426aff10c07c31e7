"""Expert weights (verifier.core.scoring.weights) on small arrays worked out by hand.

These pin down what mutation testing found unchecked: the fallback rule's exact edges (a
group summing to exactly 0 falls back, one summing to 1 or less than 1 does not), groups of
one member and groups with no member, a missing weight read as 0, the warnings' wording,
and mean against median with five experts whose mean and median differ.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.scoring.conftest import build_doc
from verifier.core.scoring import parse_snapshot
from verifier.core.scoring.results import ScoringWarning
from verifier.core.scoring.weights import (
    WeightSets,
    combine_expert_weights,
    domain_membership,
    expert_weight_sets,
    normalise_in_groups,
    restrict_to_scored,
)

# Six indicators in three groups: g0 = {0, 1, 2}, g1 = {3} (a group of one), g2 = {4, 5}.
GROUPS = np.array(
    [
        [1.0, 0.0, 0.0],
        [1.0, 0.0, 0.0],
        [1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.0, 0.0, 1.0],
    ]
)
ALL = np.ones(6, dtype=bool)


def test_each_group_is_scaled_to_sum_to_one() -> None:
    weights = np.array(
        [
            [2.0, 1.0, 1.0, 4.0, 0.1, 0.3],  # g0 sums to 4, g1 to 4, g2 to 0.4 (< 1)
            [0.5, 0.25, 0.25, 1.0, 3.0, 1.0],  # g0 and g1 sum to exactly 1, g2 to 4
        ]
    )
    normalised, fell_back = normalise_in_groups(weights, GROUPS, ALL)
    assert normalised == pytest.approx(
        np.array(
            [
                [0.5, 0.25, 0.25, 1.0, 0.25, 0.75],
                [0.5, 0.25, 0.25, 1.0, 0.75, 0.25],
            ]
        )
    )
    assert fell_back.tolist() == [[False, False, False], [False, False, False]]


def test_a_group_summing_to_zero_counts_its_members_equally() -> None:
    weights = np.array(
        [
            [0.0, 0.0, 0.0, 0.0, 1.0, 3.0],  # g0 and the one-member g1 sum to 0
            [1.0, 0.0, 3.0, 2.0, 0.0, 0.0],  # g2 sums to 0
        ]
    )
    normalised, fell_back = normalise_in_groups(weights, GROUPS, ALL)
    third = 1 / 3
    assert normalised == pytest.approx(
        np.array(
            [
                [third, third, third, 1.0, 0.25, 0.75],
                [0.25, 0.0, 0.75, 1.0, 0.5, 0.5],
            ]
        )
    )
    assert fell_back.tolist() == [[True, True, False], [False, False, True]]


def test_only_members_count_and_a_group_without_members_gets_nothing() -> None:
    # Indicator 1 and the whole of g1 (indicator 3) are left out.
    members = np.array([True, False, True, False, True, True])
    weights = np.array(
        [
            [1.0, 5.0, 3.0, 7.0, 2.0, 2.0],
            [0.0, 5.0, 0.0, 0.0, 0.0, 0.0],  # g0's only weight is on a non-member
        ]
    )
    normalised, fell_back = normalise_in_groups(weights, GROUPS, members)
    assert normalised == pytest.approx(
        np.array(
            [
                [0.25, 0.0, 0.75, 0.0, 0.5, 0.5],
                [0.5, 0.0, 0.5, 0.0, 0.5, 0.5],
            ]
        )
    )
    # g1 has no member left: it is not a fallback, it is simply empty.
    assert fell_back.tolist() == [[False, False, False], [True, False, True]]


def test_domain_membership_is_a_zero_one_matrix(make_doc: Any) -> None:
    doc = make_doc(
        [("A1", "alpha", "higher"), ("B1", "beta", "higher"), ("A2", "alpha", "lower")],
        {"x": {"A1": 1, "B1": 2, "A2": 3}},
        {"E1": ({"alpha": 1}, {"A1": 1})},
    )
    membership = domain_membership(parse_snapshot(doc))
    assert membership.tolist() == [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]


INDICATORS = [
    ("T1", "trad", "higher"),
    ("T2", "trad", "higher"),
    ("D1", "digi", "higher"),
    ("D2", "digi", "higher"),
]
VALUES = {"x": {"T1": 1, "T2": 2, "D1": 3, "D2": 4}, "y": {"T1": 2, "T2": 1, "D1": 4, "D2": 3}}


def test_each_experts_set_is_normalised_and_a_missing_weight_is_zero() -> None:
    experts = {
        # E1 names no digi weight and no D2 weight: both read as 0
        "E1": ({"trad": 3}, {"T1": 1, "T2": 3, "D1": 2}),
        "E2": ({"trad": 1, "digi": 4}, {"T1": 2, "T2": 2, "D1": 1, "D2": 3}),
    }
    snapshot = parse_snapshot(build_doc(INDICATORS, VALUES, experts))
    sets, warnings = expert_weight_sets(snapshot)
    assert sets.domain == pytest.approx(np.array([[1.0, 0.0], [0.2, 0.8]]))
    assert sets.within == pytest.approx(np.array([[0.25, 0.75, 1.0, 0.0], [0.5, 0.5, 0.25, 0.75]]))
    assert warnings == []


def test_an_expert_without_weights_is_warned_about_in_words() -> None:
    experts = {
        "E1": ({}, {"T1": 1, "D1": 1}),  # no domain weight at all
        "E2": ({"trad": 1, "digi": 1}, {"D1": 1}),  # nothing in trad
        "E3": ({"trad": 1}, {"T2": 1}),  # nothing in digi
    }
    snapshot = parse_snapshot(build_doc(INDICATORS, VALUES, experts))
    sets, warnings = expert_weight_sets(snapshot)
    assert sets.domain == pytest.approx(np.array([[0.5, 0.5], [0.5, 0.5], [1.0, 0.0]]))
    assert sets.within == pytest.approx(
        np.array([[1.0, 0.0, 1.0, 0.0], [0.5, 0.5, 1.0, 0.0], [0.0, 1.0, 0.5, 0.5]])
    )
    assert warnings == [
        ScoringWarning(
            "expert_weights_empty",
            "E1",
            "expert E1 gave no positive domain weight; the domains count equally in that "
            "expert's set",
        ),
        ScoringWarning(
            "expert_weights_empty",
            "E2",
            "expert E2 gave no positive indicator weight in domain trad; its indicators count "
            "equally in that set",
        ),
        ScoringWarning(
            "expert_weights_empty",
            "E3",
            "expert E3 gave no positive indicator weight in domain digi; its indicators count "
            "equally in that set",
        ),
    ]


# Two domains; trad = indicators 0-2, digi = indicator 3 and 4.
MEMBERSHIP = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
# Five experts' normalised sets. Domain trad: .1 .2 .3 .9 1.0 -> mean .5, median .3.
FIVE = WeightSets(
    domain=np.array([[0.1, 0.9], [0.2, 0.8], [0.3, 0.7], [0.9, 0.1], [1.0, 0.0]]),
    within=np.array(
        [
            [0.2, 0.3, 0.5, 1.0, 0.0],
            [0.5, 0.5, 0.0, 0.5, 0.5],
            [0.1, 0.1, 0.8, 0.0, 1.0],
            [0.6, 0.2, 0.2, 0.4, 0.6],
            [0.1, 0.2, 0.7, 0.5, 0.5],
        ]
    ),
)


def test_the_mean_of_five_experts() -> None:
    combined, warnings = combine_expert_weights(FIVE, "mean", MEMBERSHIP, ["trad", "digi"])
    # trad (.1+.2+.3+.9+1)/5 = .5; within: T1 1.5/5 = .3, T2 1.3/5 = .26, T3 2.2/5 = .44,
    # D1 2.4/5 = .48, D2 2.6/5 = .52 (each group already sums to 1)
    assert combined.domain == pytest.approx(np.array([[0.5, 0.5]]))
    assert combined.within == pytest.approx(np.array([[0.3, 0.26, 0.44, 0.48, 0.52]]))
    assert warnings == []


def test_the_median_of_five_experts_is_renormalised() -> None:
    combined, warnings = combine_expert_weights(FIVE, "median", MEMBERSHIP, ["trad", "digi"])
    # domains: median(.1 .2 .3 .9 1) = .3, median(.9 .8 .7 .1 0) = .7 -> sums to 1
    # trad: T1 median(.2 .5 .1 .6 .1) = .2, T2 median(.3 .5 .1 .2 .2) = .2,
    #       T3 median(.5 0 .8 .2 .7) = .5 -> sum .9 -> 2/9, 2/9, 5/9
    # digi: D1 median(1 .5 0 .4 .5) = .5, D2 median(0 .5 1 .6 .5) = .5 -> .5, .5
    assert combined.domain == pytest.approx(np.array([[0.3, 0.7]]))
    assert combined.within == pytest.approx(np.array([[2 / 9, 2 / 9, 5 / 9, 0.5, 0.5]]))
    assert warnings == []


def test_a_median_of_zero_falls_back_with_a_warning_in_words() -> None:
    # Three domains, three experts each putting everything on a different one: every
    # median is 0. In trad the same happens; digi's single expert pattern has median > 0.
    sets = WeightSets(
        domain=np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
        within=np.array(
            [
                [1.0, 0.0, 0.0, 1.0, 1.0],
                [0.0, 1.0, 0.0, 1.0, 1.0],
                [0.0, 0.0, 1.0, 1.0, 1.0],
            ]
        ),
    )
    membership = np.array(
        [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    )
    combined, warnings = combine_expert_weights(sets, "median", membership, ["t", "d", "s"])
    third = 1 / 3
    assert combined.domain == pytest.approx(np.array([[third, third, third]]))
    assert combined.within == pytest.approx(np.array([[third, third, third, 1.0, 1.0]]))
    assert warnings == [
        ScoringWarning(
            "edition_weights_empty",
            "domains",
            "the median of the experts' domain weights is 0 everywhere; domains count equally",
        ),
        ScoringWarning(
            "edition_weights_empty",
            "t",
            "the median of the experts' indicator weights is 0 in domain t; its indicators "
            "count equally",
        ),
    ]


def test_a_zero_median_in_a_later_domain_names_that_domain() -> None:
    sets = WeightSets(
        domain=np.array([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]),
        within=np.array(
            [
                [0.5, 0.5, 0.0, 1.0, 0.0],
                [0.5, 0.5, 0.0, 0.0, 1.0],
                [0.5, 0.5, 0.0, 0.0, 0.0],
            ]
        ),
    )
    combined, warnings = combine_expert_weights(sets, "median", MEMBERSHIP, ["trad", "digi"])
    # trad: .5 .5 0, already summing to 1; digi: D1 median(1 0 0) = 0, D2 median(0 1 0) = 0
    assert combined.within == pytest.approx(np.array([[0.5, 0.5, 0.0, 0.5, 0.5]]))
    assert warnings == [
        ScoringWarning(
            "edition_weights_empty",
            "digi",
            "the median of the experts' indicator weights is 0 in domain digi; its indicators "
            "count equally",
        )
    ]


def test_the_mean_names_itself_in_the_fallback_warning() -> None:
    sets = WeightSets(domain=np.zeros((2, 2)), within=np.zeros((2, 5)))
    combined, warnings = combine_expert_weights(sets, "mean", MEMBERSHIP, ["trad", "digi"])
    assert combined.domain == pytest.approx(np.array([[0.5, 0.5]]))
    assert warnings[0].message == (
        "the mean of the experts' domain weights is 0 everywhere; domains count equally"
    )
    assert [w.subject for w in warnings] == ["domains", "trad", "digi"]


def test_restricting_to_what_is_scored_renormalises_what_remains() -> None:
    # Three domains (a: 0-1, b: 2, c: 3-4); domain b has nothing scored, indicator 1 is out.
    membership = np.array([[1.0, 0, 0], [1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0], [0, 0, 1.0]])
    sets = WeightSets(
        domain=np.array([[0.2, 0.5, 0.3], [0.0, 1.0, 0.0]]),
        within=np.array([[0.25, 0.75, 1.0, 0.4, 0.6], [0.0, 1.0, 1.0, 0.0, 0.0]]),
    )
    included = np.array([True, False, False, True, True])
    scored_domains = np.array([True, False, True])
    restricted, domain_fallback, within_fallback = restrict_to_scored(
        sets, membership, included, scored_domains
    )
    # set 0: a .2, c .3 -> .4, .6; set 1: a 0, c 0 -> equal .5, .5 (a fallback)
    assert restricted.domain == pytest.approx(np.array([[0.4, 0.6], [0.5, 0.5]]))
    # set 0: a keeps only indicator 0 -> 1; c .4/.6 as is. set 1: a's only weight was on
    # the dropped indicator 1 -> fallback to indicator 0 alone; c 0/0 -> .5/.5
    assert restricted.within == pytest.approx(
        np.array([[1.0, 0.0, 0.0, 0.4, 0.6], [1.0, 0.0, 0.0, 0.5, 0.5]])
    )
    assert domain_fallback.tolist() == [False, True]
    assert within_fallback.tolist() == [[False, False, False], [True, False, True]]
