"""Property-based tests: whatever a file holds, an import never raises a traceback, and
every row is either accepted or refused with a reason.

The readers (CSV in every encoding, XLSX, JSONL), the row validator, the number parser and
the label/locator keys are each driven with generated input, hostile characters included.
"""

from __future__ import annotations

import io
import json
import math
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from db.models import ImportBatch, Item, RejectedRow
from tests.conftest import MINI
from tests.importing_helpers import HEADER, csv_text, row
from verifier.core.errors import InputFileError
from verifier.core.importing import ImportOptions, import_file
from verifier.core.importing.columns import resolve_columns
from verifier.core.importing.limits import ImportLimits, has_breaking_characters
from verifier.core.importing.rawrows import RawTable
from verifier.core.importing.readers import read_table
from verifier.core.importing.reference import ReferenceIndex
from verifier.core.importing.rows import RowError, RowValidator
from verifier.core.numbers import ValueParseError, normalise_numeric_text, parse_value
from verifier.core.text import BLANK_FILLERS, match_key, search_fold
from verifier.core.workspace import Workspace

LIMITS = ImportLimits(max_field_chars=2_000, max_json_depth=8)
PATH = Path("generated.csv")
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    # CI replays the same examples every run; a developer's runs explore new ones.
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# What sources and hostile files put in cells: Arabic and Persian digits and separators,
# bidi and zero-width marks, blank fillers, controls, quotes and delimiters, and any text.
HOSTILE = (
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳٤٫٬٪−‒ ,.;:'\"%-+()<>~≈=@\t\r\n\x00\x01\x1b\x7f\x85\x9b"
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202e\u2066\u2069\ufeff\u00ad\u0640"
    "\u2800\u115f\u3164\ufe0f\U000e0041\u034fالرياضقاهرةé"
)
cell_text = st.one_of(
    st.text(alphabet=HOSTILE, max_size=12),
    st.text(max_size=12),
    st.sampled_from(["", "n/a", "٩٩٫١٪", "1,234", "12,5", "1.2 million", "45 Mbps", "10-15",
                     "~40", "1e999", "9" * 400, "2023", "٢٠٢٣", "TRD-WATER", "yearbook-2023",
                     "SA", "ar", "fr", "2026-09-14T10:22:05Z", "\x000", "5\x000"]),
)  # fmt: skip


@st.composite
def item_rows(draw: st.DrawFn) -> list[str]:
    """A valid row with some of its cells replaced by generated text."""
    cells = row(locator=draw(st.text(alphabet=HOSTILE, min_size=1, max_size=6)))
    for index in draw(st.sets(st.integers(0, len(HEADER) - 1), max_size=5)):
        cells[index] = draw(cell_text)
    return cells


tables = st.lists(item_rows(), min_size=1, max_size=8)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceIndex]:
    from verifier.core.editions import load_edition
    from verifier.core.workspace import resolve_edition

    url = f"sqlite:///{tmp_path_factory.mktemp('ref') / 'w.db'}"
    workspace = Workspace(url)
    workspace.initialise()
    load_edition(workspace, MINI, "layla")
    with workspace.reading() as session:
        edition = resolve_edition(session, None)
        assert edition.id is not None
        yield ReferenceIndex.load(session, edition.id)
    workspace.close()


def _every_row_has_an_outcome(table: RawTable, reference: ReferenceIndex) -> None:
    """Each row is accepted (values) or refused (a non-empty reason); nothing else."""
    columns = resolve_columns(PATH, table.header, {})
    validator = RowValidator(columns, reference, "omar")
    for raw_row in table.rows:
        assert raw_row.number >= 1
        try:
            values = validator.validate(raw_row)
        except RowError as error:
            assert str(error).strip()
            continue
        assert not raw_row.error
        for name in ("raw_label", "locator", "snippet", "value_text", "unit", "extractor"):
            text = values[name]
            assert not has_breaking_characters(text), (name, text)
            assert len(text) <= LIMITS.max_field_chars
        assert values["label_key"] and values["label_key"].strip() == values["label_key"]
        number = values["value_number"]
        assert number is None or math.isfinite(number)


def _read(data: bytes, fmt: str, encoding: str | None = None) -> RawTable | None:
    try:
        return read_table(PATH, data, fmt, encoding, LIMITS)
    except InputFileError as error:
        assert str(error).startswith(str(PATH))
        return None


@SETTINGS
@given(
    rows=tables,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1256"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_csv_rows_in_any_encoding(
    reference: ReferenceIndex, rows: list[list[str]], encoding: str, delimiter: str
) -> None:
    text = csv_text(rows, delimiter=delimiter)
    data = text.encode(encoding, errors="replace")
    table = _read(data, "csv")
    if table is not None and set(HEADER) <= set(table.header):
        _every_row_has_an_outcome(table, reference)


@SETTINGS
@given(rows=tables, noise=st.binary(min_size=1, max_size=8), where=st.floats(0, 1))
def test_csv_with_stray_bytes(
    reference: ReferenceIndex, rows: list[list[str]], noise: bytes, where: float
) -> None:
    data = csv_text(rows).encode("utf-8")
    cut = int(len(data) * where)
    table = _read(data[:cut] + noise + data[cut:], "csv")
    if table is not None and set(HEADER) <= set(table.header):
        _every_row_has_an_outcome(table, reference)


@SETTINGS
@given(data=st.binary(max_size=300), fmt=st.sampled_from(["csv", "jsonl", "xlsx"]))
def test_any_bytes_in_any_format(data: bytes, fmt: str) -> None:
    _read(data, fmt)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | cell_text,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(cell_text, children, max_size=3)
    ),
    max_leaves=12,
)


@st.composite
def jsonl_lines(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["row", "row", "value", "garbage", "deep"]))
    if kind == "row":
        record: dict[str, object] = dict(zip(HEADER, draw(item_rows()), strict=True))
        for key in draw(st.sets(st.sampled_from(HEADER), max_size=2)):
            record[key] = draw(json_values)
        return json.dumps(record, ensure_ascii=draw(st.booleans()), allow_nan=True)
    if kind == "value":
        return json.dumps(draw(json_values), allow_nan=True)
    if kind == "deep":
        depth = draw(st.integers(5, 3000))
        return '{"city": ' + "[" * depth + "]" * depth + "}"
    return draw(st.text(alphabet=HOSTILE + '{}[]":,0123456789', max_size=40))


@SETTINGS
@given(lines=st.lists(jsonl_lines(), min_size=1, max_size=8))
def test_jsonl_lines_of_any_shape(reference: ReferenceIndex, lines: list[str]) -> None:
    first = json.dumps(dict(zip(HEADER, row(), strict=True)))  # gives every column
    text = "\n".join([first, *lines]) + "\n"
    table = _read(text.encode("utf-8", errors="surrogatepass"), "jsonl")
    if table is None:
        return
    assert len(table.rows) + table.blank_rows == text.count("\n")  # every line counted once
    try:
        resolve_columns(PATH, table.header, {}, header_row=None)
    except InputFileError:
        return  # two keys naming one column: refused with the file
    _every_row_has_an_outcome(table, reference)


def _xlsx_bytes(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for cells in rows:
        # A workbook cannot hold most control characters at all.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in cells])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@settings(SETTINGS, max_examples=40)
@given(rows=tables)
def test_xlsx_rows(reference: ReferenceIndex, rows: list[list[str]]) -> None:
    table = _read(_xlsx_bytes(rows), "xlsx")
    assert table is not None
    _every_row_has_an_outcome(table, reference)


@settings(SETTINGS, max_examples=60)
@given(
    rows=st.lists(item_rows(), min_size=1, max_size=3),
    damage=st.sampled_from(["truncate", "flip", "member"]),
    where=st.floats(0, 1),
    noise=st.binary(min_size=1, max_size=16),
)
def test_damaged_workbooks_are_refused_or_read(
    reference: ReferenceIndex, rows: list[list[str]], damage: str, where: float, noise: bytes
) -> None:
    data = _xlsx_bytes(rows)
    if damage == "truncate":
        data = data[: int(len(data) * where)]
    elif damage == "flip":
        at = int((len(data) - 1) * where)
        data = data[:at] + noise + data[at + len(noise) :]
    else:  # a member's XML damaged inside a well-formed archive
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            contents = {i.filename: source.read(i) for i in source.infolist()}
        names = sorted(contents)
        name = names[int((len(names) - 1) * where)]
        at = int(len(contents[name]) * where)
        contents[name] = contents[name][:at] + noise + contents[name][at:]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for member, body in contents.items():
                target.writestr(member, body)
        data = buffer.getvalue()
    table = _read(data, "xlsx")
    if table is not None and set(HEADER) <= set(table.header):
        _every_row_has_an_outcome(table, reference)


# Whole imports: what the report says is what the database holds.


@settings(SETTINGS, max_examples=25)
@given(
    rows=tables,
    fmt=st.sampled_from(["csv", "jsonl", "xlsx"]),
)
def test_an_import_writes_exactly_what_it_reports(
    mini: Workspace, tmp_path: Path, rows: list[list[str]], fmt: str
) -> None:
    path = tmp_path / f"generated.{fmt}"
    if fmt == "csv":
        path.write_bytes(csv_text(rows).encode("utf-8"))
    elif fmt == "jsonl":
        lines = [json.dumps(dict(zip(HEADER, r, strict=True))) for r in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        path.write_bytes(_xlsx_bytes(rows))
    before = _counts(mini)
    try:
        report = import_file(mini, path, ImportOptions(user="omar", auto_match=False))
    except InputFileError:
        assert _counts(mini) == before
        return
    items, rejected, batches = (a - b for a, b in zip(_counts(mini), before, strict=True))
    if report.already_imported_as is not None:
        assert (items, rejected, batches) == (0, 0, 0)
        return
    assert batches == 1
    assert report.rows_total == report.accepted + report.rejected + report.duplicates
    assert (items, rejected) == (report.accepted, report.rejected + report.duplicates)
    assert all(problem.reason.strip() for problem in report.problems)


def _counts(workspace: Workspace) -> tuple[int, int, int]:
    with workspace.reading() as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(model)).one()
            for model in (Item, RejectedRow, ImportBatch)
        )


# The number parser and the label and locator keys.


@SETTINGS
@given(text=st.one_of(cell_text, st.text()), decimal_comma=st.booleans())
def test_the_number_parser_returns_a_finite_number_or_a_reason(
    text: str, decimal_comma: bool
) -> None:
    normalise_numeric_text(text)
    try:
        parsed = parse_value(text, decimal_comma=decimal_comma)
    except ValueParseError as error:
        assert str(error).strip()
        return
    assert parsed.number is None or math.isfinite(parsed.number)


@SETTINGS
@given(number=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_plain_numbers_read_back_as_written(number: float) -> None:
    text = repr(number)
    assume("e" not in text)
    assert parse_value(text).number == number


BLANK = BLANK_FILLERS + "\u200b\u200c\u200d\u200e\u200f\u061c\u2060\ufeff\u00ad\u202a\u202e"
BLANK += "\u2066\u2069\ufe00\ufe0f\u034f\u180e\U000e0020\U000e007f \t\n\u00a0\u3000\u2028"


@SETTINGS
@given(text=st.text(alphabet=BLANK, max_size=20))
def test_a_label_of_blank_characters_has_an_empty_key(text: str) -> None:
    assert match_key(text) == ""
    assert search_fold(text) == ""


@SETTINGS
@given(text=st.one_of(cell_text, st.text()))
def test_keys_hold_nothing_invisible(text: str) -> None:
    for key in (match_key(text), search_fold(text)):
        assert key == key.strip() and "  " not in key
        assert not has_breaking_characters(key)
        assert not set(key) & set(BLANK.replace(" ", ""))
    assert match_key(match_key(text)) == match_key(text)


@SETTINGS
@given(
    header=st.lists(
        st.one_of(st.sampled_from([*HEADER, "City", " YEAR ", "Ville", ""]), cell_text)
    ),
    mapping=st.dictionaries(st.sampled_from(["Ville", "المدينة", "x"]), st.sampled_from(HEADER)),
)
def test_any_header_maps_every_column_once_or_is_refused(
    header: list[str], mapping: dict[str, str]
) -> None:
    try:
        columns = resolve_columns(PATH, header, mapping)
    except InputFileError as error:
        assert str(error).startswith(f"{PATH}:1: ")
        return
    chosen = list(columns.source_headers.values())
    assert len(chosen) == len(set(chosen))  # no header feeds two columns
    assert set(columns.source_headers) >= {"city", "indicator", "value", "year"}
