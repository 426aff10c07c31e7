"""The cities of an edition in id order: one query, which the matcher's gazetteer and the
publication document both list."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import MINI
from verifier.core.cities.automatic import workspace_gazetteer
from verifier.core.edition_cities import edition_cities
from verifier.core.editions import load_edition
from verifier.core.publishing.snapshot import reference_sections
from verifier.core.workspace import Workspace, resolve_edition


def test_an_editions_cities_are_its_own_in_id_order(tmp_path: Path) -> None:
    second = tmp_path / "mini-b"
    shutil.copytree(MINI, second)
    toml = (second / "edition.toml").read_text(encoding="utf-8")
    (second / "edition.toml").write_text(toml.replace('code = "mini"', 'code = "mini-b"'),
                                         encoding="utf-8")  # fmt: skip
    head, *cities = (MINI / "cities.csv").read_text(encoding="utf-8").splitlines()
    # Two of mini's four cities, listed last first: the order of the file is not the order.
    (second / "cities.csv").write_text("\n".join([head, cities[3], cities[0]]) + "\n",
                                       encoding="utf-8")  # fmt: skip
    workspace = Workspace(f"sqlite:///{tmp_path / 'w.db'}")
    workspace.initialise()
    load_edition(workspace, MINI, "layla")
    load_edition(workspace, second, "layla")
    with workspace.reading() as session:
        for code, countries in (("mini", {"SA", "EG", "LY", "LB"}), ("mini-b", {"SA", "LB"})):
            edition = resolve_edition(session, code)
            assert edition.id is not None
            listed = edition_cities(session, edition.id)
            assert {city.country for city in listed} == countries and len(listed) == len(countries)
            ids = [city.id for city in listed]
            assert ids == sorted(ids)
            assert [entry.city_id for entry in workspace_gazetteer(session, edition)] == ids
            published = reference_sections(session, edition)["cities"]
            assert [city["id"] for city in published] == ids
    workspace.close()
