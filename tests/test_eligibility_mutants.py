"""Which value of a (city, indicator, year) is published: the rules of
verifier.core.publishing.eligibility on hand-made groups, without a database."""

from __future__ import annotations

from db.models import ConflictResolution
from verifier.core.publishing.eligibility import (
    Candidate,
    Eligibility,
    Evidence,
    ValueGroup,
    same_value,
)


def _candidate(value: float, *item_ids: int) -> Candidate:
    return Candidate(value, [Evidence(i, value, "%", 2023) for i in item_ids])


def _resolution(chosen_item_id: int) -> ConflictResolution:
    return ConflictResolution(
        edition_id=1,
        city_id="eg-cairo",
        indicator_id=1,
        year=2023,
        chosen_item_id=chosen_item_id,
        reason="the later table",
        resolved_by="layla",
    )


def test_one_candidate_is_chosen_without_a_resolution() -> None:
    only = _candidate(80.0, 4, 9)
    group = ValueGroup("eg-cairo", 1, 2023, [only])
    assert not group.in_conflict
    assert group.chosen is only


def test_two_candidates_are_a_conflict_until_resolved() -> None:
    low, high = _candidate(80.0, 4), _candidate(82.0, 5, 7)
    group = ValueGroup("eg-cairo", 1, 2023, [low, high])
    assert group.in_conflict
    assert group.chosen is None
    group.resolution = _resolution(7)  # the second item of the second candidate
    assert group.chosen is high
    group.resolution = _resolution(4)
    assert group.chosen is low


def test_a_resolution_choosing_an_item_no_longer_eligible_reopens_the_conflict() -> None:
    group = ValueGroup(
        "eg-cairo", 1, 2023, [_candidate(80.0, 4), _candidate(82.0, 5)], _resolution(6)
    )
    assert group.chosen is None


def test_conflicts_and_values_split_the_groups() -> None:
    settled = ValueGroup("sa-riyadh", 1, 2023, [_candidate(99.1, 1, 2)])
    open_conflict = ValueGroup("eg-cairo", 1, 2023, [_candidate(80.0, 4), _candidate(82.0, 5)])
    resolved = ValueGroup(
        "eg-cairo", 2, 2023, [_candidate(1.0, 8), _candidate(2.0, 9)], _resolution(9)
    )
    eligibility = Eligibility([settled, open_conflict, resolved])
    assert eligibility.conflicts == [open_conflict]
    assert eligibility.values == [
        (settled, settled.candidates[0]),
        (resolved, resolved.candidates[1]),
    ]
    assert Eligibility().groups == [] and Eligibility().values == []


def test_values_are_the_same_to_nine_significant_digits() -> None:
    assert same_value(99.1) == same_value(99.10000000001) == 99.1
    assert same_value(123456789.4) == 123456789.0
    assert same_value(123456789.6) == 123456790.0
    assert same_value(0.1234567894) == 0.123456789
    # agreeing to three significant digits is not enough
    assert same_value(1.234) != same_value(1.2341)
