"""A small published workspace with every situation a provenance report must explain.

Item ids follow row order (1..N). Publication 1 is made after the decisions below; the
returned mapping says which item is in which state.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlmodel import select

from db.models import Edition, Publication, Status
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from tests.planted import import_planted
from verifier.core.cities.decisions import set_item_city
from verifier.core.editions import load_edition
from verifier.core.importing import ImportOptions
from verifier.core.publishing import publish, resolve_conflict
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace

FORMULA = '=HYPERLINK("http://evil.example","99.1%")'
HOSTILE = "[@click=app.quit]x[/] <script>alert(1)</script> ![i](http://evil.example/x.png) \x1b[31mred\u202e \u009b2J"

ROWS = [
    row(city="الرياض", indicator="TRD-WATER", value="٩٩٫١٪", year="2023", locator="p. 12, table 3",
        snippet="نسبة الأسر المتصلة بشبكة المياه في الرياض ٩٩٫١٪", language="ar"),  # 1 published
    row(city="Riyadh", indicator="TRD-WATER", value="99.1%", year="2023", locator="b",
        snippet=FORMULA),                                                                   # 2 agrees with 1
    row(city="الرياض", indicator="TRD-WATER", value="97", year="2021", locator="c"),        # 3 older year
    row(city="Cairo", indicator="TRD-WATER", value="80", year="2023", locator="d"),         # 4 loses conflict
    row(city="Cairo", indicator="TRD-WATER", value="82", year="2023", locator="e"),         # 5 wins conflict
    row(city="Riyadh", indicator="DIG-BROADBAND", value="45 Mbps", year="2023", locator="f",
        snippet="(hostile)"),                                                               # 6 published, hostile
    row(city="Tarabulus", indicator="TRD-WATER", value="70", locator="h"),                  # 7 rejected
    row(city="Trablous", indicator="TRD-WATER", value="60", locator="i"),                   # 8 flagged
    row(city="Tripoli", indicator="TRD-WATER", value="65", locator="j"),                    # 9 unverified
    row(city="Er Riad", indicator="TRD-DEATHS", value="9", unit="per 100k", locator="k"),   # 10 no city
    row(city="Riyadh", indicator="TRD-DEATHS", value="n/a", locator="l"),                   # 11 missing value
    row(city="Cairo", indicator="DIG-BROADBAND", value="300", unit="Mbps", locator="m"),    # 12 verified after pub
    row(city="Tripoli (Lebanon)", indicator="DIG-BROADBAND", value="20", locator="n",
        country="LB"),                                                                       # 13 published, then conflict
    row(city="Trablous", indicator="DIG-BROADBAND", value="25", locator="o", country="LB"),  # 14 open conflict
]  # fmt: skip
CITIES = {1: "sa-riyadh", 2: "sa-riyadh", 3: "sa-riyadh", 4: "eg-cairo", 5: "eg-cairo",
          6: "sa-riyadh", 7: "ly-tripoli", 8: "lb-tripoli", 9: "ly-tripoli", 11: "sa-riyadh",
          12: "eg-cairo", 13: "lb-tripoli", 14: "lb-tripoli"}  # fmt: skip
PUBLISHED = {1, 2, 5, 6, 13}


def copy_mini(tmp_path: Path) -> Path:
    """The mini edition in a folder of its own (its source file may then be changed)."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    return folder


def build_published(workspace: Workspace, tmp_path: Path) -> Publication:
    load_edition(workspace, copy_mini(tmp_path), "layla")
    options = ImportOptions("omar", auto_match=False)
    # Imports refuse control characters; a workspace written by an older version may still
    # hold them, and every report must render them harmless.
    path = write_csv(tmp_path / "items.csv", ROWS)
    import_planted(workspace, path, options, {6: {"snippet": HOSTILE}})
    with workspace.session() as session:
        for item_id, city in CITIES.items():
            set_item_city(session, item_id, city, "omar")
        for item_id in (1, 2, 3, 4, 5, 6, 10, 11, 13, 14):
            set_status(session, item_id, Status.VERIFIED, "omar", note="checked against p. 12")
        set_status(session, 7, Status.REJECTED, "omar", reason="wrong table")
        set_status(session, 8, Status.FLAGGED, "omar", note="page missing")
    with workspace.session() as session:
        resolve_conflict(session, 5, "layla", "ministry figure is final")
    # The open Tripoli conflict must not block publishing: reject one side, publish, restore.
    with workspace.session() as session:
        set_status(session, 14, Status.REJECTED, "layla", reason="hold until the lead decides")
        edition = session.exec(select(Edition)).one()
        publication = publish(session, edition, "layla", "first release")
    with workspace.session() as session:
        set_status(session, 14, Status.VERIFIED, "layla", reason="back in review")
        set_status(session, 12, Status.VERIFIED, "omar")
    return publication
