"""Import: every format and encoding, every kind of bad row, and all-or-nothing writes."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import ImportBatch, Item, RejectedRow, ReviewEvent
from tests.importing_checks import OPTIONS, count_rows, items_in_order
from tests.importing_helpers import HEADER, row, write_csv, write_jsonl, write_xlsx
from verifier.core.errors import InputFileError
from verifier.core.importing import ImportOptions, import_file
from verifier.core.workspace import Workspace

# The encoding each file below is read in: a BOM says so; cp1256 only when UTF-8 fails.
DETECTED = {"plain.csv": "utf-8", "bom.csv": "utf-8-sig", "excel-unicode.txt": "utf-16",
            "windows.csv": "cp1256", "semicolon.csv": "utf-8"}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "encoding", "prefix", "delimiter"),
    [
        ("plain.csv", "utf-8", b"", ","),
        ("bom.csv", "utf-8", codecs.BOM_UTF8, ","),
        ("excel-unicode.txt", "utf-16-le", codecs.BOM_UTF16_LE, "\t"),
        ("windows.csv", "cp1256", b"", ","),
        ("semicolon.csv", "utf-8", b"", ";"),
    ],
)
def test_csv_in_every_encoding_keeps_arabic_intact(
    mini: Workspace, tmp_path: Path, name: str, encoding: str, prefix: bytes, delimiter: str
) -> None:
    # Windows-1256 has no Arabic-Indic digits: files in it use ASCII digits.
    value = "99.1%" if encoding == "cp1256" else "٩٩٫١٪"
    rows = [row(value=value), row(city="القاهرة", country="EG", value="85", locator="p. 13")]
    path = tmp_path / name
    text = "\r\n".join(delimiter.join(r) for r in [HEADER, *rows]) + "\r\n"
    path.write_bytes(prefix + text.encode(encoding))
    report = import_file(mini, path, OPTIONS)
    assert (report.accepted, report.rejected) == (2, 0)
    items = items_in_order(mini)
    assert [i.raw_label for i in items] == ["الرياض", "القاهرة"]
    assert (items[0].value_text, items[0].value_number) == (value, 99.1)
    assert report.encoding == DETECTED[name]


def test_cp1256_file_decodes_to_the_same_arabic(mini: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "w.csv", [row(value="99.1%", snippet="نسبة 99.1%")], "cp1256")
    report = import_file(mini, path, OPTIONS)
    assert report.encoding == "cp1256"
    assert items_in_order(mini)[0].snippet == "نسبة 99.1%"


def test_xlsx_cells_read_as_displayed(mini: Workspace, tmp_path: Path) -> None:
    values: list[object] = list(row())
    values[2], values[4] = 99.1, 2023  # numeric cells
    path = write_xlsx(tmp_path / "d.xlsx", [values])
    report = import_file(mini, path, OPTIONS)
    assert report.accepted == 1
    item = items_in_order(mini)[0]
    assert (item.value_text, item.value_number, item.year) == ("99.1", 99.1, 2023)


def test_xlsx_formula_without_a_calculated_value_is_refused(
    mini: Workspace, tmp_path: Path
) -> None:
    values: list[object] = list(row())
    values[2] = "=40+59"
    path = write_xlsx(tmp_path / "f.xlsx", [values])
    report = import_file(mini, path, OPTIONS)
    assert report.accepted == 0
    assert "formula with no calculated value" in report.problems[0].reason
    assert "C2" in report.problems[0].reason
    with mini.reading() as session:
        kept = session.exec(select(RejectedRow)).one()
    assert kept.raw["value"] == "=40+59"  # the refused row is kept whole, its formula too


def test_jsonl_with_a_broken_line(mini: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [row(), row(locator="p. 99")])
    path.write_text(path.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    report = import_file(mini, path, OPTIONS)
    assert report.accepted == 2
    assert report.problem_lines() == [
        f"{path}:3: invalid JSON (Expecting property name enclosed in double quotes)"
    ]


BAD_ROWS = [
    (row(city=""), "the city label is empty"),
    (row(indicator="NOPE"), "unknown indicator 'NOPE'"),
    (row(source="nowhere"), "unknown source 'nowhere'"),
    (row(year=""), "the year is empty"),
    (row(year="twenty"), "year 'twenty' is not a year"),
    (row(year="1850"), "year 1850 is outside"),
    (row(value="10-15"), "is a range"),
    (row(value="~40"), "bound or an approximation"),
    (row(value="high"), "contains no number"),
    (row(value="140"), "value 140 % is outside the valid range of TRD-WATER (0 to 100)"),
    (
        row(indicator="DIG-BROADBAND", value="45", unit="kg"),
        "unit 'kg' is not a unit of DIG-BROADBAND",
    ),
    (row(value="45%", unit="Mbps"), "the value says '%' but the unit column says 'Mbps'"),
    (row(country="Saudi"), "country 'SAUDI' is not an ISO 3166-1 alpha-2 code"),
    (row(extracted_at="yesterday"), "extracted_at 'yesterday' is not an ISO 8601"),
]


def test_every_bad_row_is_reported_with_file_row_and_reason(
    mini: Workspace, tmp_path: Path
) -> None:
    good = row(locator="good")
    rows = [good] + [bad for bad, _ in BAD_ROWS]
    path = write_csv(tmp_path / "bad.csv", rows)
    path.write_bytes(path.read_bytes() + b"x,y\r\n")  # too few fields
    report = import_file(mini, path, OPTIONS)
    assert report.accepted == 1
    lines = report.problem_lines()
    for number, (_, reason) in enumerate(BAD_ROWS, start=3):
        assert any(line.startswith(f"{path}:{number}: ") and reason in line for line in lines), (
            reason
        )
    assert lines[-1] == f"{path}:{len(rows) + 2}: row has 2 fields, the header has 13"
    with mini.reading() as session:
        kept = session.exec(select(RejectedRow).order_by(RejectedRow.row_number)).all()
        assert len(kept) == len(BAD_ROWS) + 1
        assert kept[0].raw["indicator"] == "TRD-WATER" and kept[0].raw["city"] == ""
        assert kept[-1].raw == {"fields": ["x", "y"]}
        batch = session.exec(select(ImportBatch)).one()
        assert (batch.accepted_count, batch.rejected_count) == (1, len(BAD_ROWS) + 1)


def test_missing_values_are_kept_as_missing_not_zero(mini: Workspace, tmp_path: Path) -> None:
    rows = [
        row(value="n/a", locator="a"),
        row(value="غير متوفر", locator="b"),
        row(value="", locator="c"),
    ]
    report = import_file(mini, write_csv(tmp_path / "m.csv", rows), OPTIONS)
    assert (report.accepted, report.missing_values) == (3, 3)
    assert all(i.value_number is None and i.value_normalized is None for i in items_in_order(mini))
    assert [i.value_text for i in items_in_order(mini)] == ["n/a", "غير متوفر", ""]


def test_units_are_converted_into_the_indicators_unit(mini: Workspace, tmp_path: Path) -> None:
    rows = [row(indicator="DIG-BROADBAND", value="1.2", unit="Gbps"),
            row(indicator="DIG-BROADBAND", value="٤٥ ميغابت/ث", locator="p. 2")]  # fmt: skip
    import_file(mini, write_csv(tmp_path / "u.csv", rows), OPTIONS)
    first, second = items_in_order(mini)
    assert (first.value_number, first.unit, first.value_normalized) == (1.2, "Gbps", 1200)
    assert (second.value_number, second.unit, second.value_normalized) == (45, "ميغابت/ث", 45)


def test_same_file_twice_adds_nothing(mini: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [row()])
    first = import_file(mini, path, OPTIONS)
    again = import_file(mini, path, OPTIONS)
    assert again.already_imported_as == first.batch_id
    assert count_rows(mini, Item) == 1 and count_rows(mini, ImportBatch) == 1


def test_a_fact_already_imported_from_another_file_is_not_duplicated(
    mini: Workspace, tmp_path: Path
) -> None:
    import_file(mini, write_csv(tmp_path / "a.csv", [row()]), OPTIONS)
    # Same source, locator, indicator and label (invisible marks and case aside), other file.
    twin = row(city="الرياض\u200f", snippet="other wording", extractor="sara")
    report = import_file(mini, write_csv(tmp_path / "b.csv", [twin, row(locator="p. 2")]), OPTIONS)
    assert (report.accepted, report.duplicates, report.rejected) == (1, 1, 0)
    assert "already imported as item 1 (batch 1, row 2)" in report.problems[0].reason
    assert count_rows(mini, Item) == 2


def test_duplicates_within_one_file(mini: Workspace, tmp_path: Path) -> None:
    report = import_file(mini, write_csv(tmp_path / "a.csv", [row(), row()]), OPTIONS)
    assert (report.accepted, report.duplicates) == (1, 1)
    assert report.problems[0].reason.startswith("duplicate of row 2 of this file")


def test_an_interrupted_import_leaves_the_workspace_as_it_was(
    mini: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verifier.core.importing import writer

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    # Interrupted after the items and rejects are inserted, before the import's event.
    monkeypatch.setattr(writer, "record_event", interrupted)
    path = write_csv(tmp_path / "a.csv", [row(), row(indicator="NOPE")])
    before = count_rows(mini, ReviewEvent)
    with pytest.raises(KeyboardInterrupt):
        import_file(mini, path, OPTIONS)
    assert count_rows(mini, Item) == 0 and count_rows(mini, ImportBatch) == 0
    assert count_rows(mini, ReviewEvent) == before
    monkeypatch.undo()
    assert import_file(mini, path, OPTIONS).accepted == 1  # and it can be imported again


def test_missing_columns_name_the_file_and_what_to_do(mini: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("city,value\nالرياض,1\n", encoding="utf-8")
    with pytest.raises(InputFileError) as error:
        import_file(mini, path, OPTIONS)
    message = str(error.value)
    assert message.startswith(f"{path}:1: missing required columns indicator, unit, year")
    assert "--map HEADER=COLUMN" in message


def test_other_headers_can_be_mapped(mini: Workspace, tmp_path: Path) -> None:
    header = ["المدينة", *HEADER[1:]]
    path = write_csv(tmp_path / "ar.csv", [row()], header=header)
    options = ImportOptions(user="omar", auto_match=False, column_map={"المدينة": "city"})
    assert import_file(mini, path, options).accepted == 1


def test_unreadable_files_are_clear_errors(mini: Workspace, tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        import_file(mini, tmp_path / "missing.csv", OPTIONS)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(InputFileError, match="not a readable XLSX workbook"):
        import_file(mini, broken, OPTIONS)
    odd = tmp_path / "data.parquet"
    odd.write_bytes(b"x")
    with pytest.raises(InputFileError, match="--format"):
        import_file(mini, odd, OPTIONS)


def test_keys_drop_bidi_and_zero_width_while_the_label_is_kept(
    mini: Workspace, tmp_path: Path
) -> None:
    label = "\u202bالريـاض\u200f"
    import_file(mini, write_csv(tmp_path / "a.csv", [row(city=label)]), OPTIONS)
    item = items_in_order(mini)[0]
    assert item.raw_label == label  # stored as written (NFC)
    assert item.label_key == "الرياض"
    assert item.label_script == "arab"
    assert "الرياض" in item.search_key


def test_import_is_logged_and_attributed(mini: Workspace, tmp_path: Path) -> None:
    import_file(mini, write_csv(tmp_path / "a.csv", [row(extractor="")]), OPTIONS)
    with mini.reading() as session:
        event = session.exec(select(ReviewEvent).where(ReviewEvent.action == "import")).one()
        assert event.actor == "omar" and event.payload["accepted"] == 1
        item = session.exec(select(Item)).one()
        assert item.extractor == "omar"  # an empty extractor defaults to the importer
        assert item.extracted_at is not None and item.extracted_at.utcoffset() is not None
