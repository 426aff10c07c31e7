"""The evidence check as a user meets it: after an import, with ``verifier evidence check``,
and in the database; each of the six statuses, the JSON contract, ``--no-check``, and
results recomputed when a source's document changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from db.models import EvidenceCheck, Item
from tests.conftest import MINI
from tests.evidence.documents import make_pdf, make_scanned_pdf
from verifier.cli.app import app
from verifier.core.evidence.method import METHOD
from verifier.core.workspace import Workspace

runner = CliRunner()

TELECOM_PAGES = [
    ["Telecom yearbook 2023", "Contents and notes"],
    ["Table 3.1: Fixed broadband", "Riyadh 2022 25.4 Mbps", "Cairo 2022 31.7 Mbps"],
    ["Table 3.2: Piped water", "Riyadh 2022 88.2%", "Cairo 2022 91.0%"],
]
ARABIC_PAGES = [
    ["التقرير السنوي للمياه"],
    ["جدول ٣-١: المياه", "الرياض ٢٠٢١ ٨٥٫٦٪", "القاهرة ٢٠٢١ ٧٧٫٧٪"],
]
HEADER = "city,indicator,value,unit,year,source,locator,snippet,extractor,country,language"
# One item per status, in the order of the statuses' precedence (and an Arabic match).
ROWS = [
    "Cairo,TRD-WATER,60,,2023,ministry-ar,ص ٤,نسبة 60,omar,EG,ar",
    "Riyadh,TRD-WATER,70,,2023,scans,p. 1,Riyadh 70,omar,SA,en",
    'Cairo,TRD-WATER,91.0,%,2022,telecom,"p. 3, table 3.2","Cairo recorded 91.0% of homes '
    'with piped water in 2022",omar,EG,en',
    'Cairo,DIG-BROADBAND,37.1,Mbps,2022,telecom,"p. 2, table 3.1",Cairo 2022 31.7 Mbps,omar,EG,en',
    'Riyadh,TRD-WATER,88.2%,,2022,telecom,"p. 2, table 3.2",Riyadh 2022 88.2%,omar,SA,en',
    'Riyadh,DIG-BROADBAND,25.4 Mbps,,2022,telecom,"p. 2, table 3.1",Riyadh 2022 25.4 Mbps,'
    "omar,SA,en",
    "الرياض,TRD-WATER,٨٥٫٦,٪,2021,water-ar,ص ٢، جدول ٣-١,الرياض ٢٠٢١ ٨٥٫٦٪,omar,SA,ar",
]
EXPECTED = ["no_document", "no_text", "snippet_not_found", "value_differs", "page_mismatch",
            "match", "match"]  # fmt: skip


def invoke(db: str, *args: str, user: str = "layla") -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, "--user", user, *args])
    return result.exit_code, result.stdout, result.stderr


def _items_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "items.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def checked_db(tmp_path: Path) -> str:
    """The mini edition with three stored PDFs (English, Arabic, a scan) and no items yet."""
    db = str(tmp_path / "w.db")
    assert invoke(db, "init")[0] == 0
    assert invoke(db, "edition", "load", str(MINI))[0] == 0
    documents = {
        "telecom": make_pdf(tmp_path / "telecom.pdf", TELECOM_PAGES, align="L"),
        "water-ar": make_pdf(tmp_path / "water-ar.pdf", ARABIC_PAGES),
        "scans": make_scanned_pdf(tmp_path / "scans.pdf"),
    }
    for key, path in documents.items():
        code, _, err = invoke(db, "source", "add", key, "--title", key, "--file", str(path))
        assert code == 0, err
    return db


def _stored(db: str) -> dict[int, EvidenceCheck]:
    workspace = Workspace(f"sqlite:///{db}")
    with workspace.reading() as session:
        rows = {row.item_id: row for row in session.exec(select(EvidenceCheck))}
        for row in rows.values():
            session.expunge(row)
    workspace.close()
    return rows


def _item_ids(db: str) -> list[int]:
    workspace = Workspace(f"sqlite:///{db}")
    with workspace.reading() as session:
        ids = [i for i in session.exec(select(Item.id).order_by(Item.row_number)) if i]
    workspace.close()
    return ids


def test_import_runs_the_check_and_each_item_gets_its_status(
    checked_db: str, tmp_path: Path
) -> None:
    code, out, err = invoke(checked_db, "import", str(_items_file(tmp_path, ROWS)), user="omar")
    assert code == 0, err
    assert (
        "evidence check: 7 items checked: 1 no_document, 1 no_text, 1 snippet_not_found, "
        "1 value_differs, 1 page_mismatch, 2 match" in out
    )
    stored = _stored(checked_db)
    ids = _item_ids(checked_db)
    assert [stored[i].status for i in ids] == EXPECTED
    no_document, no_text, not_found, differs, other_page, match, arabic = (stored[i] for i in ids)
    assert no_document.sha256 is None and no_document.page is None
    assert no_text.sha256 is not None and no_text.score == 0
    assert not_found.page is None and not_found.score < 90
    assert not_found.hint == "the value 91.0 is printed on page 3"
    assert (differs.page, differs.found_value, differs.found_text) == (2, 31.7, "31.7")
    assert (other_page.page, other_page.found_value, other_page.score) == (3, 88.2, 100.0)
    assert "page 2" in other_page.place
    assert (match.page, match.found_value, match.score) == (2, 25.4, 100.0)
    assert (arabic.page, arabic.found_value, arabic.found_text) == (2, 85.6, "٨٥٫٦٪")
    assert all(row.method == METHOD and row.checked_by == "omar" for row in stored.values())


def test_the_json_is_exactly_the_contract(checked_db: str, tmp_path: Path) -> None:
    assert invoke(checked_db, "import", str(_items_file(tmp_path, ROWS)), user="omar")[0] == 0
    code, out, err = invoke(checked_db, "evidence", "check", "--format", "json")
    assert code == 0, err
    listed = json.loads(out)
    ids = _item_ids(checked_db)
    assert [entry["item_id"] for entry in listed] == ids
    # Each entry exactly: the page and the number printed there where the value was looked
    # for; the score of the quote's best alignment (below the threshold: not found).
    assert listed == [
        {"item_id": ids[0], "status": "no_document", "page": None, "found_value": None,
         "score": 0.0},
        {"item_id": ids[1], "status": "no_text", "page": None, "found_value": None, "score": 0.0},
        {"item_id": ids[2], "status": "snippet_not_found", "page": None, "found_value": None,
         "score": 52.3},
        {"item_id": ids[3], "status": "value_differs", "page": 2, "found_value": 31.7,
         "score": 100.0},
        {"item_id": ids[4], "status": "page_mismatch", "page": 3, "found_value": 88.2,
         "score": 100.0},
        {"item_id": ids[5], "status": "match", "page": 2, "found_value": 25.4, "score": 100.0},
        {"item_id": ids[6], "status": "match", "page": 2, "found_value": 85.6, "score": 100.0},
    ]  # fmt: skip
    assert [entry["status"] for entry in listed] == EXPECTED


def test_filters_by_status_item_and_source(checked_db: str, tmp_path: Path) -> None:
    assert invoke(checked_db, "import", str(_items_file(tmp_path, ROWS)), user="omar")[0] == 0
    ids = _item_ids(checked_db)

    def listed(*args: str) -> list[tuple[int, str]]:
        code, out, err = invoke(checked_db, "evidence", "check", *args, "--format", "json")
        assert code == 0, err
        return [(entry["item_id"], entry["status"]) for entry in json.loads(out)]

    assert listed("--status", "value_differs", "--status", "page_mismatch") == [
        (ids[3], "value_differs"), (ids[4], "page_mismatch"),
    ]  # fmt: skip
    assert listed("--item", str(ids[5]), "--item", str(ids[0])) == [
        (ids[0], "no_document"), (ids[5], "match"),
    ]  # fmt: skip
    assert [status for _, status in listed("--source", "telecom")] == EXPECTED[2:6]
    code, _, err = invoke(checked_db, "evidence", "check", "--item", "999")
    assert code == 1 and "no item 999" in err
    code, _, err = invoke(checked_db, "evidence", "check", "--source", "nowhere")
    assert code == 1 and "no source 'nowhere'" in err
    code, _, err = invoke(checked_db, "evidence", "check", "--status", "maybe")
    assert code == 2 and "maybe" in err


def test_csv_and_table_show_both_numbers(checked_db: str, tmp_path: Path) -> None:
    assert invoke(checked_db, "import", str(_items_file(tmp_path, ROWS)), user="omar")[0] == 0
    code, out, err = invoke(checked_db, "evidence", "check", "--format", "csv")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "item_id,status,page,found_value,score,value,source,sha256,place,hint"
    differs = next(line for line in lines if ",value_differs," in line)
    assert ",31.7,100.0,37.1,telecom," in differs
    code, out, err = invoke(checked_db, "evidence", "check", "--status", "value_differs")
    assert code == 0, err
    assert "value_differs" in out and "31.7" in out and "37.1" in out
    assert out.splitlines()[-1] == "1 item: 1 value_differs."


def test_no_check_skips_it_and_the_command_catches_up(checked_db: str, tmp_path: Path) -> None:
    items = _items_file(tmp_path, ROWS)
    code, out, err = invoke(checked_db, "import", str(items), "--no-check", user="omar")
    assert code == 0, err
    assert "evidence check" not in out
    assert _stored(checked_db) == {}
    code, out, err = invoke(checked_db, "evidence", "check", "--format", "json")
    assert code == 0, err
    assert "evidence check: 7 items checked" in err
    assert [entry["status"] for entry in json.loads(out)] == EXPECTED
    # Up to date: a second run computes nothing.
    code, out, err = invoke(checked_db, "evidence", "check", "--format", "json")
    assert code == 0 and "checked" not in err


def test_results_are_recomputed_when_the_document_changes(checked_db: str, tmp_path: Path) -> None:
    assert invoke(checked_db, "import", str(_items_file(tmp_path, ROWS)), user="omar")[0] == 0
    ids = _item_ids(checked_db)
    before = _stored(checked_db)
    assert (before[ids[5]].status, before[ids[5]].found_value) == ("match", 25.4)
    # A revised edition of the yearbook prints another figure for Riyadh.
    revised = [page[:] for page in TELECOM_PAGES]
    revised[1][1] = "Riyadh 2022 52.4 Mbps"
    path = make_pdf(tmp_path / "telecom-2.pdf", revised, align="L")
    code, out, err = invoke(
        checked_db, "source", "add", "telecom", "--title", "telecom", "--file", str(path)
    )
    assert code == 0, err
    assert "evidence check: 4 items checked" in out
    after = _stored(checked_db)
    assert after[ids[5]].sha256 != before[ids[5]].sha256
    assert (after[ids[5]].status, after[ids[5]].found_value) == ("value_differs", 52.4)
    assert after[ids[4]].sha256 == after[ids[5]].sha256
    # Items of other sources were left alone.
    assert after[ids[6]].checked_at == before[ids[6]].checked_at
