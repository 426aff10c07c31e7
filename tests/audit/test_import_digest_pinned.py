"""The digests an import writes are a promise kept across versions: the same file gives the
same item digests and the same batch digest, however the import computes them (in this
process or in forked workers, on SQLite or PostgreSQL). The values below were written by
the import before its digests moved into the validation workers; a change here breaks every
workspace's recorded digests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlmodel import col, select

from db.models import Item, ReviewEvent
from tests.conftest import MINI
from tests.importing_helpers import write_csv
from tests.scale.generated import generated_rows
from verifier.core import parallel
from verifier.core.editions import load_edition
from verifier.core.eventlog.import_digest import (
    DIGEST_KEY,
    ENGINE_FIELDS,
    _sha,
    engine_verdict_text,
    match_digest_after,
)
from verifier.core.importing import ImportOptions, import_file, validation
from verifier.core.workspace import Workspace

MINI_ITEMS = [  # (row number, import digest, match digest)
    (2, "edff3c8a06a468f15e4dd0e85d40e290", "c378b9f14a0ae98b2e58fde0b359bb90"),
    (3, "67a03207c4f656846791f79c635b8a58", "2059cc5c0d1067a2327c7d5c1f49e3c1"),
    (4, "e23fb792bb69dcd42241326735ce74f9", "a0c100d116c3493e574ee63d33e83c09"),
    (5, "a46a6384cbbe4e1df02723f69c8302f3", "6debd69e2366e2a60ea4a6324e31ddbf"),
]
MINI_BATCH = "4edf8df5f220706862609fdf774589c9c2ffa746b12187d88883f4b46cbfd667"
GENERATED_ROWS = 600
# sha256 of every item's "row import-digest match-digest" line, in id order
GENERATED_ITEMS = "fc623f9209ed71cb74c4f6fd013351baad6c3fbd135da0f46fbf40af16d2ec43"
GENERATED_BATCH = "5eef308cacbc669a95dedcfe9ca8a7ba26367bb25ac95c11aa7cf4afb86a4f0e"


def _digests(workspace: Workspace) -> tuple[list[tuple[int, str | None, str | None]], str]:
    with workspace.reading() as session:
        items = session.exec(
            select(Item.row_number, Item.import_digest, Item.match_digest).order_by(col(Item.id))
        ).all()
        event = session.exec(select(ReviewEvent).where(ReviewEvent.action == "import")).one()
    return [tuple(item) for item in items], event.payload[DIGEST_KEY]  # type: ignore[misc]


def test_the_mini_import_gives_the_pinned_digests(any_workspace: Workspace) -> None:
    load_edition(any_workspace, MINI, "layla")
    import_file(any_workspace, MINI / "items.csv", ImportOptions("omar"))
    items, batch = _digests(any_workspace)
    assert items == MINI_ITEMS
    assert batch == MINI_BATCH


@pytest.mark.parametrize("forked", [False, True])
def test_a_generated_import_gives_the_pinned_digests(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    monkeypatch.setattr(validation, "CHUNK_ROWS", 100)
    monkeypatch.setattr(validation, "PARALLEL_FROM_ROWS", 200)
    monkeypatch.setattr(parallel, "worthwhile", lambda size, threshold: forked)
    load_edition(workspace, MINI, "layla")
    path = write_csv(tmp_path / "generated.csv", generated_rows(GENERATED_ROWS))
    report = import_file(workspace, path, ImportOptions("omar"))
    assert report.accepted == GENERATED_ROWS
    items, batch = _digests(workspace)
    lines = "".join(f"{number} {imported} {matched}\n" for number, imported, matched in items)
    assert hashlib.sha256(lines.encode()).hexdigest() == GENERATED_ITEMS
    assert batch == GENERATED_BATCH


@pytest.mark.parametrize(
    "imported", ["edff3c8a06a468f15e4dd0e85d40e290", None, "", 'a"b\\c', "الرياض", "x\x1fy"]
)
def test_the_match_digest_put_together_hashes_the_whole_list(imported: str | None) -> None:
    verdict = {"suggested_city_id": 3, "match_score": 97, "match_band": "high", "city_id": 3,
               "match_method": "auto"}  # fmt: skip
    whole = [imported, *(verdict[name] for name in ENGINE_FIELDS)]
    whole[2] = float(whole[2])  # type: ignore[arg-type]
    assert match_digest_after(imported, engine_verdict_text(verdict)) == _sha(whole)
