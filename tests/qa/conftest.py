"""A QA workspace: the mini edition and 40 items that publish without conflicts (items of
one city and indicator agree), imported by layla, extracted by hadi or mona, and first
decided by omar (items 1-24) and sara (items 25-40)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.core.editions import load_edition
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace

CITIES = [("Riyadh", "SA"), ("Cairo", "EG"), ("Tarabulus", "LY"), ("Trablous", "LB")]
INDICATORS = [("TRD-WATER", 90), ("TRD-DEATHS", 10), ("DIG-BROADBAND", 100)]
COUNT = 40
# Items 1-40: rejected ones (the rest verified), and who decided them.
REJECTED = {5, 17, 30}
FIRST_REVIEWER = {n: "omar" if n <= 24 else "sara" for n in range(1, COUNT + 1)}


def qa_rows() -> list[list[str]]:
    rows = []
    for n in range(COUNT):
        city, country = CITIES[n % 4]
        code, base = INDICATORS[(n // 4) % 3]
        value = str(base + n % 4)  # one value per city and indicator: no conflict
        rows.append(
            row(city, code, value, "", "2023", ("yearbook-2023", "ministry-ar")[n % 2],
                f"p. {n + 1}", f"{city} {value}", extractor=("hadi", "mona")[n % 2],
                country=country)
        )  # fmt: skip
    return rows


def decide_all(workspace: Workspace) -> None:
    with workspace.session() as session:
        for item_id in range(1, COUNT + 1):
            who = FIRST_REVIEWER[item_id]
            if item_id in REJECTED:
                set_status(session, item_id, "rejected", who, reason=f"wrong year (item {item_id})")
            else:
                set_status(session, item_id, "verified", who, note=f"checked p. {item_id}")


@pytest.fixture(scope="session")
def qa_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("qa-template")
    workspace = Workspace(f"sqlite:///{folder / 'qa.db'}")
    workspace.initialise()
    load_edition(workspace, MINI, "layla")
    import_file(workspace, write_csv(folder / "items.csv", qa_rows()), ImportOptions("layla"))
    decide_all(workspace)
    workspace.close()
    return folder / "qa.db"


@pytest.fixture
def qa_url(qa_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "qa.db"
    shutil.copy(qa_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def qa_workspace(qa_url: str) -> Iterator[Workspace]:
    workspace = Workspace(qa_url)
    yield workspace
    workspace.close()
