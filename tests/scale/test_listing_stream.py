"""Long listings stream: ``verifier items --limit 0`` reads, notes and writes the queue a
chunk at a time, in every format, and writes what the whole list would have given."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tests.scale.generated import fill
from verifier.cli import streaming
from verifier.cli.app import app
from verifier.cli.output import OutputFormat, emit
from verifier.cli.streaming import emit_stream
from verifier.core.review import queue
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace
from verifier.presentation.table_fit import Mode

COUNT = 2_500
runner = CliRunner()


@pytest.fixture(scope="module")
def listed(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("listing")
    url = f"sqlite:///{folder / 'workspace.db'}"
    workspace = Workspace(url)
    workspace.initialise()
    fill(workspace, folder, COUNT)
    with workspace.session() as session:
        set_status(session, 1_500, "flagged", "omar", note="see page 3")
        set_status(session, 2_400, "rejected", "sara", reason="the 2019 value")
    workspace.close()
    return url


def _run(url: str, *args: str) -> str:
    result = runner.invoke(app, ["--db", url, "--user", "sara", "items", "--limit", "0", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_and_json_list_every_item_in_order(listed: str) -> None:
    lines = _run(listed, "--format", "csv").splitlines()
    assert lines[0].startswith("id,status,city_id,city,raw_label")
    assert [int(line.split(",")[0]) for line in lines[1:]] == list(range(1, COUNT + 1))
    assert ",flagged," in lines[1_500] and lines[1_500].endswith(",see page 3")
    data = json.loads(_run(listed, "--format", "json"))
    assert [row["id"] for row in data] == list(range(1, COUNT + 1))
    assert data[2_399]["status"] == "rejected" and data[2_399]["note"] == "the 2019 value"


def test_piped_table_form_is_one_line_per_item(listed: str) -> None:
    lines = _run(listed).splitlines()
    assert lines[0].split("\t")[:3] == ["id", "status", "city"]
    assert len(lines) == COUNT + 1
    assert [int(line.split("\t")[0]) for line in lines[1:]] == list(range(1, COUNT + 1))


def _rows(count: int) -> list[tuple[object, ...]]:
    return [(n, "unverified", f"الرياض {n}", 1.5 * n, None) for n in range(1, count + 1)]


COLUMNS = ["id", "status", "city", "value", "note"]


@pytest.mark.parametrize("fmt", [OutputFormat.CSV, OutputFormat.JSON])
def test_a_stream_writes_the_text_the_whole_list_would(
    fmt: OutputFormat, capsys: pytest.CaptureFixture[str]
) -> None:
    console = Console(file=io.StringIO())
    for count in (3, streaming.CHUNK - 1, streaming.CHUNK, 2 * streaming.CHUNK + 7):
        emit(console, fmt, "t", COLUMNS, _rows(count))
        whole = capsys.readouterr().out
        assert emit_stream(console, fmt, "t", COLUMNS, iter(_rows(count))) == count
        assert capsys.readouterr().out == whole


def test_a_terminal_table_is_drawn_chunk_by_chunk_under_one_header() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100, color_system=None)
    produced = 0
    produced_at_first_write: list[int] = []

    class Watching(io.StringIO):
        def write(self, text: str) -> int:
            if not produced_at_first_write:
                produced_at_first_write.append(produced)
            return super().write(text)

    console.file = Watching()

    def rows() -> Iterator[tuple[object, ...]]:
        nonlocal produced
        for row in _rows(3 * streaming.CHUNK + 5):
            produced += 1
            yield row

    assert emit_stream(console, OutputFormat.TABLE, "Items", COLUMNS, rows()) == produced
    text = console.file.getvalue()  # type: ignore[attr-defined]
    # The first chunk was drawn before the rest was read.
    assert produced_at_first_write == [streaming.CHUNK]
    assert text.count("Items") == 1 and text.count(" status ") == 1
    lines = [line for line in text.splitlines() if line.strip()[:1].isdigit()]
    assert [int(line.split()[0]) for line in lines] == list(range(1, 3 * streaming.CHUNK + 6))
    assert all(len(line) <= 100 for line in text.splitlines())


def test_the_queue_is_read_a_chunk_at_a_time(listed: str) -> None:
    workspace = Workspace(listed)
    with workspace.reading() as session:
        chunks = [
            len(rows) for rows in queue.iter_values(session, 1, queue.QueueFilter(), None, 300)
        ]
        limited = [len(r) for r in queue.iter_values(session, 1, queue.QueueFilter(), 650, 300)]
        flagged = queue.QueueFilter(statuses=("flagged",))
        only = [r.id for rows in queue.iter_values(session, 1, flagged) for r in rows]
    workspace.close()
    assert chunks == [300] * 8 + [100]
    assert limited == [300, 300, 50]
    assert only == [1_500]


def test_a_limited_listing_says_how_many_there_are(listed: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", listed, "--user", "sara", "items", "--limit", "40"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 41
    assert f"40 of {COUNT:,} shown" in result.stderr


CELLS: list[object] = [None, "", 0, 7, 123_456, 1.5, 2e-7, "unverified", "Riyadh SA", "الرياض",
                       "مدينة الرياض الكبرى", "? Ar Riyāḑ", "東京都 港区", "a\u0301b", "x  y ",
                       "[@click=app.quit]x[/]", "\x1b]0;x\x07", "=HYPERLINK(1)", "≠ value*",
                       "a rather long source title that wraps", "٣٫٥", "(قوسان)", "9880000.0", "16560000.0 units"]  # fmt: skip


@pytest.mark.parametrize("bidi", [True, False])
def test_rows_past_the_first_chunk_are_drawn_as_the_table_draws_them(bidi: bool) -> None:
    import random

    chooser = random.Random(7)
    columns = ["id", "status", "city", "value", "note"]
    written = 0
    for extra in (0, 1, 30) * 5:
        widths = [chooser.randint(2, 14) for _ in columns]
        width_total = sum(widths) + 2 * (len(widths) - 1) + extra  # the table fits
        numeric = [chooser.random() < 0.3 for _ in columns]
        modes = [chooser.choice(list(Mode)) for _ in columns]  # kept, cut or wrapped
        shape = streaming._Shape(columns, widths, modes, numeric)
        rows = [[chooser.choice(CELLS) for _ in columns] for _ in range(60)]
        drawn = Console(file=io.StringIO(), force_terminal=True, width=width_total,
                        color_system=None)  # fmt: skip
        drawn.print(streaming._table(None, shape, rows, bidi))
        quick = Console(file=io.StringIO(), force_terminal=True, width=width_total,
                        color_system=None)  # fmt: skip
        streaming._print_rows(quick, shape, rows, bidi)
        lines = [streaming._line(quick, row, shape, bidi) for row in rows]
        written += sum(line is not None for line in lines)
        assert quick.file.getvalue() == drawn.file.getvalue(), (widths, numeric)  # type: ignore[attr-defined]
    assert written > 800  # nearly every row, narrow columns included, is written directly
