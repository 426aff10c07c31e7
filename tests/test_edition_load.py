"""Loading an edition folder: complete, idempotent, and precise about bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlmodel import func, select

from db.models import (
    City,
    CityAlias,
    EditionCity,
    Expert,
    ExpertDomainWeight,
    ExpertIndicatorWeight,
    Indicator,
    Reviewer,
    ReviewEvent,
    Source,
    SourceVersion,
)
from tests.conftest import MINI
from verifier.core.editions import load_edition
from verifier.core.editions.csvfile import EditionFileError
from verifier.core.workspace import Workspace


def _counts(workspace: Workspace) -> dict[str, int]:
    models = [City, CityAlias, EditionCity, Indicator, Expert, ExpertDomainWeight,
              ExpertIndicatorWeight, Source, Reviewer]  # fmt: skip
    with workspace.reading() as session:
        return {m.__name__: session.exec(select(func.count()).select_from(m)).one() for m in models}


def test_load_brings_in_everything(mini: Workspace) -> None:
    counts = _counts(mini)
    assert counts["City"] == 4 and counts["EditionCity"] == 4
    assert counts["Indicator"] == 3 and counts["Expert"] == 2
    assert counts["ExpertDomainWeight"] == 4 and counts["ExpertIndicatorWeight"] == 6
    with mini.reading() as session:
        broadband = session.exec(select(Indicator).where(Indicator.code == "DIG-BROADBAND")).one()
        assert {"unit": "Gbps", "factor": 1000.0} in broadband.unit_aliases
        alias = session.exec(select(CityAlias).where(CityAlias.name == "Ar Riyāḑ")).one()
        assert (alias.city_id, alias.script, alias.origin) == ("sa-riyadh", "latn", "curated")
        source = session.exec(select(Source).where(Source.key == "yearbook-2023")).one()
        # The document's name, not the path it was read from (the workspace stores it).
        assert len(source.file_sha256) == 64 and source.file_path == "yearbook.txt"
        assert session.get(Reviewer, "layla").role == "lead"  # type: ignore[union-attr]


def test_the_log_names_the_documents_and_not_the_folders_they_were_read_from(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Like an import, a load records each document's file name and sha256: the path it was
    read from told everyone reading the log the loader's folders, and differs by machine."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    load_edition(workspace, folder, "layla")
    with workspace.reading() as session:
        events = session.exec(select(ReviewEvent).order_by(ReviewEvent.id)).all()
        names = session.exec(select(SourceVersion.file_path)).all()
    assert str(tmp_path) not in json.dumps([event.payload for event in events])
    assert str(tmp_path) not in json.dumps(names)
    [loaded] = [e.payload for e in events if e.action == "edition_load"]
    assert loaded["folder"] == "mini"
    [added] = [
        e.payload["after"]
        for e in events
        if e.action == "source_add" and e.payload["source"] == "yearbook-2023"
    ]
    assert added["file_path"] == "yearbook.txt" and len(added["file_sha256"]) == 64


def test_loading_again_duplicates_nothing(mini: Workspace) -> None:
    before = _counts(mini)
    report = load_edition(mini, MINI, "layla")
    assert not report.created
    assert _counts(mini) == before


def test_reload_updates_changed_data_and_keeps_learned_aliases(
    mini: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    with mini.session() as session:
        session.add(
            CityAlias(city_id="sa-riyadh", name="Riyadh City", script="latn", origin="learned")
        )
    cities = (folder / "cities.csv").read_text(encoding="utf-8")
    (folder / "cities.csv").write_text(cities.replace("|Er Riad", ""), encoding="utf-8")
    load_edition(mini, folder, "layla")
    with mini.reading() as session:
        names = set(session.exec(select(CityAlias.name).where(CityAlias.city_id == "sa-riyadh")))
    assert "Er Riad" not in names  # curated aliases follow the file
    assert "Riyadh City" in names  # learned ones stay


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("cities.csv", "SA,Ar", "Saudi,Ar", "cities.csv:2: country 'Saudi' is not ISO 3166-1 alpha-2"),
        ("cities.csv", "eg-cairo", "sa-riyadh", "cities.csv:3: id 'sa-riyadh' appears twice"),
        ("indicators.csv", "higher,0,100", "up,0,100", "indicators.csv:2: direction 'up'"),
        ("indicators.csv", "higher,0,100", "higher,100,0", "indicators.csv:2: min 100 is above max 0"),
        ("indicators.csv", "TRD-WATER,traditional", "TRD-WATER,roads", "indicators.csv:2: domain 'roads'"),
        ("weights.csv", "E01,domain,traditional,60", "E09,domain,traditional,60", "weights.csv:2: expert 'E09'"),
        ("weights.csv", "E01,domain,traditional,60", "E01,domain,traditional,-5", "weights.csv:2: weight -5 is negative"),
        ("sources.csv", "documents/yearbook.txt,,", "documents/yearbook.txt,00ff,", "sha256 of 'documents/yearbook.txt' is"),
        ("sources.csv", "documents/yearbook.txt", "documents/missing.txt", "file 'documents/missing.txt' does not exist"),
        ("reviewers.csv", ",lead", ",boss", "reviewers.csv:2: role 'boss'"),
    ],
)  # fmt: skip
def test_bad_files_name_the_file_the_row_and_the_reason(
    workspace: Workspace, tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(EditionFileError) as error:
        load_edition(workspace, folder, "layla")
    assert message in str(error.value)
    assert str(folder) in str(error.value)
    assert _counts(workspace)["City"] == 0  # nothing half-written


def test_missing_files_are_listed(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "edition.toml").write_text('code = "x"\nname = "X"\n', encoding="utf-8")
    with pytest.raises(EditionFileError) as error:
        load_edition(workspace, folder, "layla")
    assert len(error.value.problems) == 5
    assert "cities.csv: missing" in str(error.value)
