"""Exports of a publication: the JSON document as stored, or a flat CSV of its values."""

from __future__ import annotations

import io
from typing import Any

from verifier.core.safe_output import write_csv_rows

CSV_COLUMNS = ("city_id", "city_en", "city_ar", "country", "indicator", "domain", "value",
               "unit", "year", "evidence_items", "hash_verified")  # fmt: skip
UNVERIFIED_EXPORT = (
    "publication {id} does not match its sha256: its stored document was changed after "
    "publishing, so this export is not the published snapshot"
)


def to_csv(document: dict[str, Any], verified: bool = True) -> str:
    """One row per published value; evidence item ids are ``|``-separated. Every text cell
    goes through the CSV policy (no controls, never a formula); values stay numbers.

    ``verified``: whether the document matched its hash; every row says so, so no row
    copied out of the file can pass for a published value when it was not.
    """
    hash_verified = "yes" if verified else "no"
    cities = {c["id"]: c for c in document["cities"]}
    domains = {i["code"]: i["domain"] for i in document["indicators"]}
    rows = []
    for value in document["values"]:
        city = cities[value["city"]]
        rows.append(
            [
                value["city"], city["name_en"], city["name_ar"], city["country"],
                value["indicator"], domains[value["indicator"]], value["value"],
                value["unit"], value["year"], "|".join(str(i) for i in value["evidence"]),
                hash_verified,
            ]
        )  # fmt: skip
    out = io.StringIO()
    write_csv_rows(out, CSV_COLUMNS, rows)
    return out.getvalue()
