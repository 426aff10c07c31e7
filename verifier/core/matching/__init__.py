"""City-name matching across Arabic and Latin scripts.

    matcher = Matcher.from_entries(load_gazetteer_csv("cities.csv"))
    result = matcher.match("ﺍﻟﺮﻳﺎﺽ", country="SA")
    result.band, result.top.city_id, result.top.explain()

The method, the measured quality and the reasons for the band thresholds are in
docs/matching.md.
"""

from __future__ import annotations

from verifier.core.matching.csv_io import (
    GazetteerFileError,
    MatchFileError,
    Query,
    QueryFileError,
    load_gazetteer_csv,
    read_queries_csv,
    write_results_csv,
)
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.matcher import Matcher
from verifier.core.matching.result import AUTO, NONE, REVIEW, Candidate, MatchResult

__all__ = [
    "AUTO",
    "NONE",
    "REVIEW",
    "Candidate",
    "GazetteerEntry",
    "GazetteerFileError",
    "MatchFileError",
    "MatchResult",
    "Matcher",
    "Query",
    "QueryFileError",
    "load_gazetteer_csv",
    "read_queries_csv",
    "write_results_csv",
]
