"""Merging verified values of one city, indicator and year: items are one value only when
they are equal up to floating-point noise. Values that agree to three (or five) significant
digits and differ after that are a conflict a lead must resolve, never silently one value."""

from __future__ import annotations

from pathlib import Path

from tests.importing_helpers import row, write_csv
from verifier.core.cities.decisions import set_item_city
from verifier.core.importing import ImportOptions, import_file
from verifier.core.publishing import compute_eligibility, open_conflicts
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace

ROWS = [
    row(city="Riyadh", value="99.1", locator="a"),  # 1
    row(city="Riyadh", value="99.14", locator="b"),  # 2: agrees with 1 to three digits only
    row(city="Cairo", value="80", locator="c"),  # 3
    row(city="Cairo", value="80.0001", locator="d"),  # 4: agrees with 3 to five digits only
    # 1.001 Gbps is 1000.9999999999999 Mbps in floating point: the same value as 1001 Mbps.
    row(city="Cairo", indicator="DIG-BROADBAND", value="1.001", unit="Gbps", locator="e"),  # 5
    row(city="Cairo", indicator="DIG-BROADBAND", value="1001", unit="Mbps", locator="f"),  # 6
]
CITIES = {1: "sa-riyadh", 2: "sa-riyadh", 3: "eg-cairo", 4: "eg-cairo", 5: "eg-cairo",
          6: "eg-cairo"}  # fmt: skip


def test_values_that_differ_after_three_digits_are_a_conflict(
    mini: Workspace, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "items.csv", ROWS)
    import_file(mini, path, ImportOptions("omar", auto_match=False))
    with mini.session() as session:
        for item_id, city in CITIES.items():
            set_item_city(session, item_id, city, "omar")
            set_status(session, item_id, "verified", "omar")
    with mini.reading() as session:
        groups = {(g.city_id, g.indicator_id): g for g in compute_eligibility(session, 1).groups}
        described = [c.describe() for c in open_conflicts(session, 1)]
    values = {
        key: [(c.value, [e.item_id for e in c.items]) for c in group.candidates]
        for key, group in groups.items()
    }
    assert values == {
        ("eg-cairo", 1): [(80.0, [3]), (80.0001, [4])],
        ("eg-cairo", 3): [(1001.0, [5, 6])],
        ("sa-riyadh", 1): [(99.1, [1]), (99.14, [2])],
    }
    assert described == [
        "Cairo (eg-cairo) · TRD-WATER · 2023: 80 % (items 3); 80.0001 % (items 4)",
        "Riyadh (sa-riyadh) · TRD-WATER · 2023: 99.1 % (items 1); 99.14 % (items 2)",
    ]
