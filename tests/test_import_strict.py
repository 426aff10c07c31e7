"""Imports store exactly what the file says, or refuse: headers, decoding, control
characters, size and depth limits, blank labels and wide rejects (hostile workbooks:
``test_import_hostile_workbooks.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from db.models import RejectedRow
from tests.conftest import MINI
from tests.importing_checks import (
    OPTIONS,
    count_rows,
    items_in_order,
    refused_whole,
    rejects_in_order,
)
from tests.importing_helpers import (
    HEADER,
    csv_text,
    row,
    write_csv,
    write_jsonl,
    write_xlsx,
)
from verifier.core.errors import InputFileError
from verifier.core.importing import ImportOptions, import_file
from verifier.core.importing.limits import ImportLimits
from verifier.core.workspace import Workspace

# Duplicate headers


def test_a_duplicate_header_is_refused_not_resolved(mini: Workspace, tmp_path: Path) -> None:
    header = [*HEADER, "City"]
    path = write_csv(tmp_path / "dup.csv", [[*row(), "القاهرة"]], header=header)
    message = refused_whole(mini, path)
    assert message == (
        f"{path}:1: column 'city' appears as 'city' and 'City' (header columns 1 and 14); "
        "which one holds the data cannot be told. Rename or remove one of them. "
        "Nothing was imported."
    )


def test_the_same_unknown_header_twice_isrefused_whole(mini: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [[*row(), "a", "b"]], header=[*HEADER, "note", "note"])
    assert "column 'note' appears twice (header columns 14 and 15)" in refused_whole(mini, path)


def test_a_mapped_header_colliding_with_a_real_one_isrefused_whole(
    mini: Workspace, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "m.csv", [[*row(), "x"]], header=[*HEADER, "Ville"])
    options = ImportOptions(user="omar", auto_match=False, column_map={"Ville": "city"})
    assert "column 'city' appears as 'city' and 'Ville'" in refused_whole(mini, path, options)


def test_a_duplicate_header_in_a_workbook_isrefused_whole(mini: Workspace, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [[*row(), "x"]], header=[*HEADER, "YEAR"])
    assert "column 'year' appears as 'year' and 'YEAR'" in refused_whole(mini, path)


def test_jsonl_keys_naming_one_column_twice(mini: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "k.jsonl", [row()])
    record = dict(zip(HEADER, row(locator="p. 2"), strict=True))
    record["City"] = record.pop("city")
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.write('{"city": "a", "city": "b"}\n')
    message = refused_whole(mini, path)
    assert message.startswith(f"{path}: the keys 'city' and 'City' both give column 'city'")


def test_a_key_twice_in_one_json_object_rejects_that_line(mini: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "k.jsonl", [row()])
    line = json.dumps(dict(zip(HEADER, row(locator="p. 2"), strict=True)), ensure_ascii=False)
    path.write_text(
        path.read_text(encoding="utf-8") + line[:-1] + ', "city": "القاهرة"}\n', encoding="utf-8"
    )
    report = import_file(mini, path, OPTIONS)
    assert report.accepted == 1
    assert report.problem_lines() == [f"{path}:2: key 'city' appears twice in one object"]


# Decoding


def test_a_utf8_file_with_a_windows_1256_row_is_refused_naming_it(
    mini: Workspace, tmp_path: Path
) -> None:
    utf8 = csv_text([row(), row(locator="p. 2")]).encode("utf-8")
    legacy_row = row(city="القاهرة", locator="p. 3", value="85")
    legacy = csv_text([legacy_row]).split("\r\n", 1)[1].encode("cp1256")
    path = tmp_path / "mixed.csv"
    path.write_bytes(utf8 + legacy)
    message = refused_whole(mini, path)
    assert message.startswith(f"{path}: the file is UTF-8 except line 4, which is not;")
    assert "nothing was imported" in message


def test_a_bom_utf8_file_with_broken_lines_names_them(mini: Workspace, tmp_path: Path) -> None:
    lines = csv_text([row(locator=f"p. {n}") for n in range(3)]).encode("utf-8").split(b"\r\n")
    lines[2] = lines[2].replace("الرياض".encode(), "الرياض".encode("cp1256"))
    lines[3] = lines[3] + b"\xff"
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(lines))
    assert "UTF-8 except lines 3, 4, which are not" in refused_whole(mini, path)


def test_an_explicit_encoding_that_does_not_fit_names_the_line(
    mini: Workspace, tmp_path: Path
) -> None:
    rows = [row(value="85"), row(value="85", locator="p. 2", city="پ")]
    path = write_csv(tmp_path / "w.csv", rows, "cp1256")
    options = ImportOptions(user="omar", auto_match=False, encoding="ascii")
    assert refused_whole(mini, path, options).startswith(f"{path}: line 2 is not valid ascii")
    options = ImportOptions(user="omar", auto_match=False, encoding="klingon")
    assert refused_whole(mini, path, options) == f"{path}: unknown encoding 'klingon'"


# Control characters


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"value": "5\x000"}, "'value' contains a control character (U+0000) at position 2"),
        (
            {"snippet": "piped \x1b[2J"},
            "'snippet' contains a control character (U+001B) at position 7",
        ),
        ({"city": "الرياض\x85"}, "'city' contains a control character (U+0085) at position 7"),
        ({"locator": "p.\x7f12"}, "'locator' contains a control character (U+007F) at position 3"),
    ],
)
def test_a_control_character_in_a_value_rejects_the_row(
    mini: Workspace, tmp_path: Path, cells: dict[str, str], reason: str
) -> None:
    path = write_csv(tmp_path / "c.csv", [row(locator="good"), row(**cells)])
    report = import_file(mini, path, OPTIONS)
    assert (report.accepted, report.rejected) == (1, 1)
    assert report.problem_lines() == [f"{path}:3: {reason}; a value never holds one"]
    assert [i.value_number for i in items_in_order(mini)] == [99.1]  # never 50 from "5\x000"
    kept = rejects_in_order(mini)[0]
    assert kept.raw[next(iter(cells))] == next(iter(cells.values()))  # stored whole


def test_tabs_and_newlines_inside_a_quoted_cell_are_text(mini: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [row(snippet="line one\r\n\tline two")])
    assert import_file(mini, path, OPTIONS).accepted == 1
    assert items_in_order(mini)[0].snippet == "line one\r\n\tline two"


def test_a_control_character_in_a_header_refuses_the_file(mini: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", [row()], header=["ci\x00ty", *HEADER[1:]])
    assert refused_whole(mini, path).startswith(
        f"{path}:1: 'header column 1' contains a control character (U+0000)"
    )


def test_json_escapes_that_are_controls_or_lone_surrogates_reject_the_line(
    mini: Workspace, tmp_path: Path
) -> None:
    base = dict(zip(HEADER, row(), strict=True))
    lines = [
        json.dumps({**base, "locator": "p. 1"}),
        json.dumps({**base, "locator": "p. 2", "value": "5\u00000"}),
        json.dumps({**base, "locator": "p. 3"}).replace('"omar"', '"\\ud800"'),
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(mini, path, OPTIONS)
    assert report.accepted == 1
    reasons = [p.reason for p in report.problems]
    assert "'value' contains a control character (U+0000)" in reasons[0]
    assert "'extractor' contains an unpaired surrogate character (U+D800)" in reasons[1]
    assert count_rows(mini, RejectedRow) == 2


# Limits


def test_one_field_limit_for_every_format(mini: Workspace, tmp_path: Path) -> None:
    options = ImportOptions(user="omar", auto_match=False, limits=ImportLimits(max_field_chars=500))
    long_snippet = "س" * 501
    expected = "'snippet' is 501 characters long; the limit is 500 (setting import_max_field_chars)"
    for name, writer in (("f.csv", write_csv), ("f.jsonl", write_jsonl), ("f.xlsx", write_xlsx)):
        rows = [row(locator=f"{name} ok"), row(locator=f"{name} long", snippet=long_snippet)]
        report = import_file(mini, writer(tmp_path / name, rows), options)  # type: ignore[operator]
        assert (report.accepted, report.rejected) == (1, 1), name
        assert report.problems[0].reason == expected, name


def test_one_size_limit_for_every_format(mini: Workspace, tmp_path: Path) -> None:
    options = ImportOptions(user="omar", auto_match=False, limits=ImportLimits(max_bytes=2048))
    rows = [row(locator=f"p. {n}") for n in range(20)]
    book = write_xlsx(tmp_path / "s.xlsx", rows)  # about 6 KB that unpack to about 20 KB
    for path in (write_csv(tmp_path / "s.csv", rows), write_jsonl(tmp_path / "s.jsonl", rows)):
        size = path.stat().st_size
        assert refused_whole(mini, path, options) == (
            f"{path}: the file is {size:,} bytes; the limit is 2,048 (setting import_max_bytes). "
            "Nothing was imported."
        )
    assert "the file is" in refused_whole(mini, book, options)
    options.limits = ImportLimits(max_bytes=8192)
    assert "the workbook unpacks to" in refused_whole(mini, book, options)


def test_deep_json_is_a_rejected_line_not_a_crash(mini: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "deep.jsonl", [row()])
    with path.open("a", encoding="utf-8") as out:
        out.write("[" * 200_000 + "]" * 200_000 + "\n")
        out.write('{"city": ' + "[" * 40 + "]" * 40 + "}\n")
        out.write('{"city": "' + "[" * 100 + '"}\n')  # brackets inside a string are text
    report = import_file(mini, path, OPTIONS)
    assert report.accepted == 1
    assert report.problem_lines()[:2] == [
        f"{path}:2: the line is nested more than 32 levels deep",
        f"{path}:3: the line is nested more than 32 levels deep",
    ]
    assert "the line is nested" not in report.problem_lines()[2]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"city": NaN}', "NaN is not a JSON value"),
        ('{"city": ' + "9" * 5000 + "}", "invalid JSON (Exceeds the limit"),
        ("[1, 2]", "a line must be a JSON object, got an array"),
        ('"text"', "a line must be a JSON object, got a string"),
    ],
)
def test_lines_that_are_not_usable_objects(
    mini: Workspace, tmp_path: Path, line: str, reason: str
) -> None:
    path = tmp_path / "l.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputFileError):  # no usable line: no columns at all
        import_file(mini, path, OPTIONS)
    from verifier.core.importing.jsonl import read_line

    assert read_line(1, line, ImportLimits()).error.startswith(reason)


def test_a_json_object_where_a_value_belongs_rejects_the_line(
    mini: Workspace, tmp_path: Path
) -> None:
    base = dict(zip(HEADER, row(), strict=True))
    lines = [
        json.dumps({**base, "notes": {"by": "omar"}}, ensure_ascii=False),
        json.dumps({**base, "locator": "p. 2", "city": ["الرياض"]}, ensure_ascii=False),
    ]
    path = tmp_path / "o.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(mini, path, OPTIONS)
    assert report.accepted == 1  # an object in a column we ignore is fine
    assert report.problem_lines() == [
        f"{path}:2: city holds a JSON object or array, not text or a number"
    ]
    assert rejects_in_order(mini)[0].raw["city"] == ["الرياض"]


# Blank labels


@pytest.mark.parametrize(
    "label",
    ["\u2800", "\u115f", "\u3164\u3164", "\u200b", "\ufe0f", "\u2800 \u200b\u3164", "\u00ad"],
)
def test_a_label_of_invisible_or_blank_characters_is_empty(
    mini: Workspace, tmp_path: Path, label: str
) -> None:
    path = write_csv(tmp_path / "b.csv", [row(city=label)])
    report = import_file(mini, path, OPTIONS)
    assert report.problem_lines() == [f"{path}:2: the city label is empty"]
    assert rejects_in_order(mini)[0].raw["city"] == label


# Wide rejects


def test_a_wide_rejected_row_is_stored_whole_and_shown_cut(tmp_path: Path) -> None:
    from verifier.cli.app import app

    db = str(tmp_path / "w.db")
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, ["--db", db, "--user", "layla", *args])
        return result.exit_code, result.stdout, result.stderr

    run("init")
    run("edition", "load", str(MINI))
    path = tmp_path / "wide.csv"
    path.write_text(csv_text([row()]) + ",".join("x" * 200_000) + "\r\n", encoding="utf-8")
    code, out, err = run("import", "--no-match", str(path))
    assert code == 0, err
    assert f"{path}:3: row has 200000 fields, the header has 13" in err
    with Workspace(f"sqlite:///{db}").reading() as session:
        kept = session.exec(select(RejectedRow)).one()
        assert len(kept.raw["fields"]) == 200_000  # stored whole
    for fmt in ("table", "csv", "json"):
        code, out, _ = run("rejects", "--format", fmt)
        assert code == 0
        assert len(out) < 2_000, fmt
        assert "more characters; --full shows all" in out
    code, out, _ = run("rejects", "--format", "json", "--full")
    (listed,) = json.loads(out)
    assert len(json.loads(listed["raw"])["fields"]) == 200_000


def test_rows_refused_for_nul_or_surrogates_are_kept_on_both_backends(
    any_workspace: Workspace, tmp_path: Path
) -> None:
    from verifier.core.editions import load_edition

    load_edition(any_workspace, MINI, "layla")
    base = dict(zip(HEADER, row(), strict=True))
    lines = [
        json.dumps({**base, "value": "5\u00000"}),
        json.dumps({**base, "locator": "p. 3"}).replace('"omar"', '"\\ud800"'),
    ]
    path = tmp_path / "n.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(any_workspace, path, OPTIONS)
    assert (report.accepted, report.rejected) == (0, 2)
    kept = rejects_in_order(any_workspace)
    assert [r.row_number for r in kept] == [1, 2]
    assert kept[0].raw["value"] == "5\u00000"  # stored as the file says
    assert kept[1].raw["extractor"] == "\\ud800"  # unstorable: kept as its escape


def test_only_regular_files_are_imported(mini: Workspace, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert refused_whole(mini, fifo) == f"{fifo}: not a regular file"
    assert refused_whole(mini, tmp_path) == f"{tmp_path}: not a regular file"


def test_a_value_under_a_blank_header_refuses_its_row(mini: Workspace, tmp_path: Path) -> None:
    header = [*HEADER[:3], "", *HEADER[3:]]
    for suffix in ("csv", "xlsx"):
        good, bad = row(locator=f"{suffix} 1"), row(locator=f"{suffix} 2")
        rows = [[*good[:3], "", *good[3:]], [*bad[:3], "note", *bad[3:]]]
        writer = write_csv if suffix == "csv" else write_xlsx
        path = writer(tmp_path / f"u.{suffix}", rows, header=header)  # type: ignore[operator]
        report = import_file(mini, path, OPTIONS)
        assert report.accepted == 1, path
        assert report.problem_lines() == [
            f"{path}:3: column 4 has no header but holds 'note'; name the column or empty the cell"
        ]
        assert {"fields": rows[1]} in [r.raw for r in rejects_in_order(mini)]  # kept whole
