"""Tables at a terminal's width: short columns (ids, statuses, codes, years, numbers) are
never wrapped or cut; long text (titles, notes) takes what is left, cut on one line."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from verifier.cli import streaming
from verifier.cli.output import OutputFormat, table
from verifier.presentation.table_fit import Mode, fit_columns

COLUMNS = ["id", "status", "city", "indicator", "value", "year", "evidence", "source",
           "reviewer", "note / reason"]  # fmt: skip
TITLE = "الكتاب السنوي للإحصاءات الحضرية العربية 2024"
NOTE = "الرقم في الجدول ٣ يختلف عن النص المذكور في الصفحة التالية"


def _rows(count: int) -> list[tuple[object, ...]]:
    return [
        (n, "unverified", "Kuwait City KW", "TRD-ROADDEATHS", "٩٥٫٠٪", 2022, "✓ match", TITLE,
         "rania.haddad", NOTE)
        for n in range(1, count + 1)
    ]  # fmt: skip


def _console(width: int) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=True, color_system=None)


def _row_lines(console: Console) -> list[str]:
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert all(cell_len(line) <= console.width for line in text.splitlines())
    return [line for line in text.splitlines() if "2022" in line]


def _check(lines: list[str], count: int, width: int) -> None:
    assert len(lines) == count  # one line a row: nothing wrapped
    for line in lines:
        for short in ("unverified", "TRD-ROADDEATHS", "2022", "rania.haddad", "Kuwait City KW"):
            assert short in line
    if width == 100:
        assert all(line.count("…") == 2 for line in lines)  # the title and the note, cut


@pytest.mark.parametrize("bidi", [True, False], ids=["bidi", "logical"])
@pytest.mark.parametrize("width", [100, 160])
def test_a_table_row_is_one_line_with_its_short_columns_whole(width: int, bidi: bool) -> None:
    console = _console(width)
    console.print(table("Items", COLUMNS, _rows(3), bidi=bidi))
    _check(_row_lines(console), 3, width)


@pytest.mark.parametrize("bidi", [True, False], ids=["bidi", "logical"])
@pytest.mark.parametrize("width", [100, 160])
def test_a_streamed_table_row_is_one_line_too(
    width: int, bidi: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streaming, "CHUNK", 2)
    console = _console(width)
    shown = streaming.emit_stream(console, OutputFormat.TABLE, "Items", COLUMNS, _rows(5),
                                  bidi=bidi)  # fmt: skip
    assert shown == 5
    _check(_row_lines(console), 5, width)


def test_a_table_that_fits_is_drawn_as_it_always_was() -> None:
    console = _console(160)
    console.print(table("Batches", ["id", "file", "at"], [(1, "a.csv", "2026-12-03 08:16 UTC")]))
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines[1].startswith("┏") and "│  1 │ a.csv │ 2026-12-03 08:16 UTC │" in lines


def test_numbers_are_never_narrowed_and_long_text_gives_way_first() -> None:
    fit = fit_columns(
        ["id", "status", "title", "count"],
        [["1"], ["unverified"], ["a long title of many words, longer than any code"], ["12345"]],
        [True, False, False, True],
        room=30,
    )
    assert fit.widths[0] == 2 and fit.widths[1] == 10 and fit.widths[3] == 5
    assert fit.widths[2] == 30 - 17 and fit.modes[2] == Mode.CUT
    assert fit.short_kept


def test_a_date_wraps_between_its_words_before_anything_is_cut() -> None:
    fit = fit_columns(["status", "at"], [["unverified"], ["2026-12-03 08:16 UTC"]],
                      [False, False], room=22)  # fmt: skip
    assert fit.widths == [10, 12] and fit.modes == [Mode.KEEP, Mode.WRAP]
    assert not fit.short_kept


def test_whole_columns_wrap_rather_than_cut() -> None:
    fit = fit_columns(["row", "reason"], [["12"], ["unit 'kg' is not a unit of TRD-WATER"]],
                      [True, False], room=20, whole=("reason",))  # fmt: skip
    assert fit.widths == [3, 17] and fit.modes[1] == Mode.WRAP
