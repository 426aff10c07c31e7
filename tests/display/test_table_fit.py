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


BATCH_COLUMNS = ["id", "file", "format", "encoding", "sha256", "by", "at", "accepted",
                 "rejected", "duplicates"]  # fmt: skip
BATCH_ROW = ["1", "01-statistics-yearbooks.csv", "csv", "utf-8-sig", "c0a56a3c7421",
             "rania.haddad", "2026-12-03 11:24 UTC", "1237", "8", "0"]  # fmt: skip
BATCH_NUMERIC = [True, False, False, False, False, False, False, True, True, True]


def _batches(room: int, keep: tuple[str, ...] = ("sha256",), sha: str = "") -> list[int]:
    cells = [[value] for value in BATCH_ROW]
    if sha:
        cells[4] = [sha]
    fit = fit_columns(BATCH_COLUMNS, cells, BATCH_NUMERIC, room, keep=keep)
    assert sum(fit.widths) <= room
    return fit.widths


def test_columns_to_keep_are_never_cut_and_long_names_give_way_first() -> None:
    room = 100 - 2 * 9  # a demo workspace's batch, at 100 columns without a frame
    widths = _batches(room)
    assert widths[4] == 12 and widths[5] == len("rania.haddad")  # hash and name whole
    assert widths[1] < len(BATCH_ROW[1])  # the file's name gives way
    whole = [max(len(h), len(v)) for h, v in zip(BATCH_COLUMNS, BATCH_ROW, strict=True)]
    assert _batches(160 - 2 * 9) == whole


def test_a_whole_sha256_wider_than_the_rest_can_give_keeps_it_and_cuts_text_harder() -> None:
    sha = "c0a56a3c7421" * 5 + "abcd"  # 64 hex digits: the rest must give way to 2 cells
    fit = fit_columns(["id", "note", "sha256"], [["7"], ["checked against the yearbook"],
                      [sha]], [True, False, False], room=70, keep=("sha256",))  # fmt: skip
    assert fit.widths == [2, 4, 64] and fit.modes[1] == Mode.CUT and fit.modes[2] == Mode.KEEP
    cut = fit_columns(["id", "note", "sha256"], [["7"], ["checked against the yearbook"],
                      [sha]], [True, False, False], room=40, keep=("sha256",))  # fmt: skip
    assert sum(cut.widths) <= 40 and cut.widths[0] == 2  # cut at last, and only then
    assert cut.modes[2] == Mode.CUT


def test_a_table_keeps_its_hash_whole_at_100_columns() -> None:
    console = _console(100)
    batch = [1, *BATCH_ROW[1:7], 1237, 8, 0]
    console.print(table("Import batches", BATCH_COLUMNS, [batch], keep=("sha256",)))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    (line,) = [line for line in text.splitlines() if "1237" in line]
    assert "c0a56a3c7421" in line and "rania.haddad" in line and cell_len(line) <= 100


def test_a_drawn_qa_sample_keeps_its_strata_whole() -> None:
    from verifier.core.qa.sampling import DrawnItem, SampleDraw
    from verifier.presentation.qa_tables import draw_table

    key = "arab-urban-services-and-infrastructure-report-2023"
    items = [DrawnItem(812, 1, key, "verified", "rania.haddad", "omar.benali")]
    draw = SampleDraw(3, 7, 120, 100, "source", items)
    console = _console(80)
    console.print(draw_table(draw, bidi=True))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    (line,) = [line for line in text.splitlines() if "812" in line]
    assert key in line and cell_len(line) <= 80
