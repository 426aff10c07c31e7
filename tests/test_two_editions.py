"""Two editions in one workspace: each command that works on an edition sees only its own
items. Both editions rank the same cities with the same indicator codes, so anything that
leaked from one to the other would show as a value, a conflict or a count."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.cli.app import app

runner = CliRunner()
HEADER = (
    "city_id,city_en,city_ar,country,indicator,domain,value,unit,year,evidence_items,hash_verified"
)
# Items are numbered across the workspace: 1-3 are edition mini's, 4-5 edition mini-b's.
ROWS_A = [
    row(city="Riyadh", value="99.1", locator="a"),
    row(city="Cairo", country="EG", value="80", locator="b"),
    row(city="Cairo", country="EG", value="82", locator="c"),  # in conflict with item 2
]
ROWS_B = [
    row(city="Riyadh", value="95", locator="x"),  # would conflict with item 1 if they mixed
    row(city="Cairo", country="EG", indicator="TRD-DEATHS", unit="per 100k", value="12"),
]


def _run(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def two(tmp_path: Path) -> str:
    """A workspace with editions mini and mini-b, every item verified."""
    db = str(tmp_path / "two.db")
    second = tmp_path / "mini-b"
    shutil.copytree(MINI, second)
    toml = (second / "edition.toml").read_text(encoding="utf-8")
    (second / "edition.toml").write_text(
        toml.replace('code = "mini"', 'code = "mini-b"').replace("Mini ranking", "Mini B"),
        encoding="utf-8",
    )
    assert _run(db, "init")[0] == 0
    assert _run(db, "--user", "layla", "edition", "load", str(MINI))[0] == 0
    assert _run(db, "--user", "layla", "edition", "load", str(second))[0] == 0
    for code, rows, ids in (("mini", ROWS_A, ["1", "2", "3"]), ("mini-b", ROWS_B, ["4", "5"])):
        path = write_csv(tmp_path / f"{code}.csv", rows)
        assert _run(db, "--user", "omar", "-e", code, "import", str(path))[0] == 0
        verify = ("item", "set-status", *ids, "--status", "verified")
        assert _run(db, "--user", "omar", "-e", code, *verify)[0] == 0
    return db


def test_commands_on_an_edition_refuse_to_guess_which(two: str) -> None:
    for command in (["status"], ["conflicts"], ["publications"], ["publish", "--note", "x"]):
        code, out, err = _run(two, "--user", "layla", *command)
        assert code == 1, command
        assert err.strip() == "error: several editions (mini, mini-b); choose one with --edition"
        assert out == ""


def test_status_counts_only_the_editions_own_items(two: str) -> None:
    code, out, _ = _run(two, "-e", "mini", "status")
    assert code == 0
    assert "Edition mini: Mini ranking  —  3 items" in out
    assert "By status: unverified 0  verified 3  rejected 0  flagged 0" in out
    assert "TRD-DEATHS" not in out  # only mini-b has a road-deaths item
    code, out, _ = _run(two, "-e", "mini-b", "status")
    assert code == 0
    assert "Edition mini-b: Mini B  —  2 items" in out
    assert "By status: unverified 0  verified 2  rejected 0  flagged 0" in out


def test_conflicts_are_per_edition(two: str) -> None:
    def listed(edition: str) -> list[str]:
        code, out, _ = _run(two, "-e", edition, "conflicts", "--format", "csv")
        assert code == 0
        return [line.rsplit(",", 1)[0] for line in out.splitlines()[1:]]  # without the time

    assert listed("mini") == [
        "eg-cairo,Cairo EG,TRD-WATER,2023,80 %,2,80,Statistical Yearbook 2023,b,omar",
        "eg-cairo,Cairo EG,TRD-WATER,2023,82 %,3,82,Statistical Yearbook 2023,c,omar",
    ]
    # Riyadh's piped water is 99.1 in mini and 95 in mini-b: no conflict, they never meet.
    assert listed("mini-b") == []
    # A lead working on mini-b cannot resolve mini's conflict by its item number.
    code, _, err = _run(two, "--user", "layla", "-e", "mini-b", "conflict", "resolve", "3",
                        "--reason", "ministry figure")  # fmt: skip
    assert code == 1
    assert err.strip() == "error: item 3 is in edition mini, not mini-b"
    assert len(listed("mini")) == 2


def test_publishing_takes_only_the_editions_own_items(two: str) -> None:
    publish = ("--user", "layla", "-e", "mini-b", "publish", "--note", "b")
    code, out, err = _run(two, *publish)
    assert code == 0, err
    # 2 of 4 cities x 3 indicators = 12 cells: 16.7 %; mini's conflict does not block it.
    assert out.startswith("Published mini-b #1 (id 1): 2 values, coverage 16.7%, sha256 ")
    code, _, err = _run(two, "--user", "layla", "-e", "mini", "publish", "--note", "a")
    assert code == 1 and "1 conflict must be resolved before publishing" in err
    resolve = ("conflict", "resolve", "3", "--reason", "ministry figure")
    assert _run(two, "--user", "layla", "-e", "mini", *resolve)[0] == 0
    code, out, err = _run(two, "--user", "layla", "-e", "mini", "publish", "--note", "a")
    assert code == 0, err
    assert out.startswith("Published mini #1 (id 2): 2 values, coverage 16.7%, sha256 ")
    # Each edition lists its own publication, and each export holds its own items only.
    assert [line.split("\t")[:2] for line in _run(two, "-e", "mini", "publications")[1]
            .splitlines()[1:]] == [["2", "1"]]  # fmt: skip
    assert [line.split("\t")[:2] for line in _run(two, "-e", "mini-b", "publications")[1]
            .splitlines()[1:]] == [["1", "1"]]  # fmt: skip
    assert _run(two, "publication", "export", "1", "--format", "csv")[1].splitlines() == [
        HEADER,
        "eg-cairo,Cairo,القاهرة,EG,TRD-DEATHS,traditional,12.0,per 100k,2023,5,yes",
        "sa-riyadh,Riyadh,الرياض,SA,TRD-WATER,traditional,95.0,%,2023,4,yes",
    ]
    assert _run(two, "publication", "export", "2", "--format", "csv")[1].splitlines() == [
        HEADER,
        "eg-cairo,Cairo,القاهرة,EG,TRD-WATER,traditional,82.0,%,2023,3,yes",
        "sa-riyadh,Riyadh,الرياض,SA,TRD-WATER,traditional,99.1,%,2023,1,yes",
    ]
