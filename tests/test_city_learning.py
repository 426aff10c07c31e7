"""Learning from the workspace: confirmed labels teach the matcher their spelling habits,
and ``rematch`` applies what it learned to the other labels."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlmodel import select

from db.models import Item
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.core.cities.automatic import candidates, edition_matcher, rematch
from verifier.core.cities.decisions import set_item_city
from verifier.core.cities.learning import confirmed_labels, training_pairs
from verifier.core.editions import load_edition
from verifier.core.importing import ImportOptions, import_file
from verifier.core.matching.learned.parameters import default_parameters
from verifier.core.workspace import Workspace

# Cities whose Arabic names have ش or خ; the labels below write ش as x, as Spanish- and
# Portuguese-era sources do (Xauen for Chefchaouen), where the rules read x as خ (kh).
CITIES = [
    ("eg-shubra", "Shubra", "شبرا", "EG"),
    ("sa-khobar", "Khobar", "الخبر", "SA"),
    ("sa-sharqiyah", "Ash Sharqiyah", "الشرقية", "SA"),
    ("ma-chefchaouen", "Chefchaouen", "شفشاون", "MA"),
    ("ma-errachidia", "Errachidia", "الرشيدية", "MA"),
    ("eg-kharga", "Kharga", "الخارجة", "EG"),
    ("sy-shahba", "Shahba", "شهبا", "SY"),
    ("sy-khabab", "Khabab", "خبب", "SY"),
]
TAUGHT = {"Xarqiya": "sa-sharqiyah", "Xefxaouen": "ma-chefchaouen", "Raxidiya": "ma-errachidia"}
UNSEEN = {"Xubra": "eg-shubra", "Xahba": "sy-shahba"}


def _edition(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "edition"
    shutil.copytree(MINI, folder)
    with (folder / "cities.csv").open("a", encoding="utf-8") as handle:
        for city_id, name_en, name_ar, country in CITIES:
            handle.write(f"{city_id},{name_en},{name_ar},{country},\n")
    load_edition(workspace, folder, "layla")


def _items(workspace: Workspace) -> dict[str, Item]:
    with workspace.reading() as session:
        return {item.raw_label: item for item in session.exec(select(Item))}


def test_confirming_a_spelling_pattern_improves_other_labels_with_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    _edition(workspace, tmp_path)
    labels = [*TAUGHT, *UNSEEN]
    rows = [row(city=label, country="", locator=str(n)) for n, label in enumerate(labels)]
    import_file(workspace, write_csv(tmp_path / "a.csv", rows), ImportOptions("omar"))
    before = _items(workspace)
    # Read with x as kh, Xubra is Khobar to the rules, and Xahba is Khabab; neither is sure
    # enough to be decided automatically.
    assert (before["Xubra"].suggested_city_id, before["Xubra"].match_band) == (
        "sa-khobar",
        "review",
    )
    assert before["Xubra"].city_id is None
    assert (before["Xahba"].suggested_city_id, before["Xahba"].match_band) == (
        "sy-khabab",
        "review",
    )
    with workspace.session() as session:
        for label, city_id in TAUGHT.items():
            set_item_city(session, before[label].id or 0, city_id, "layla")
    with workspace.reading() as session:
        labels_taught = confirmed_labels(session, 1)
        matcher = edition_matcher(session, 1)
    assert sorted(labels_taught) == sorted(TAUGHT.items())
    assert matcher.parameters.respellings == (("x", "sh"),)
    assert matcher.parameters.transliteration is not default_parameters().transliteration
    with workspace.session() as session:
        rematch(session, 1, "layla")
    after = _items(workspace)
    for label, city_id in UNSEEN.items():
        assert after[label].suggested_city_id == city_id, label
        score_before, score_after = before[label].match_score, after[label].match_score
        assert score_before is not None and score_after is not None
        assert score_after > score_before, label
        with workspace.reading() as session:
            item = session.get(Item, after[label].id)
            assert item is not None
            explained = candidates(session, item).candidates[0].explain()
        assert "reading learned spelling" in explained
    # What people decided stays as they decided it.
    assert {after[label].city_id for label in TAUGHT} == set(TAUGHT.values())


def test_confirmed_pairs_cross_scripts(workspace: Workspace, tmp_path: Path) -> None:
    _edition(workspace, tmp_path)
    with workspace.reading() as session:
        entries = edition_matcher(session, 1).entries
    pairs = training_pairs(
        [("Xarqiya", "sa-sharqiyah"), ("شبرا", "eg-shubra"), ("Shubra", "eg-shubra")], entries
    )
    # A Latin label pairs with the Arabic name, an Arabic label with the English one; a
    # label in the name's own script teaches nothing new.
    assert [(p.arabic, p.latin, p.tradition) for p in pairs] == [
        ("شرقية", "xarqiya", "english"),
        ("شبرا", "shubra", "english"),
    ]
