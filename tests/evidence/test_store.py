"""Documents stored in the workspace: each format, the Arabic PDF path, deduplication,
and the documents that must be refused or marked, on what the database holds."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pdfplumber
import pytest
from sqlmodel import func, select

from db.models import Document, DocumentCell, DocumentChunk, DocumentPage
from tests.evidence.documents import (
    ARABIC_PAGES,
    ENGLISH_PAGES,
    make_encrypted_pdf,
    make_pdf,
    make_scanned_pdf,
    make_xlsx,
)
from verifier.core.evidence.extraction import Limits
from verifier.core.evidence.folding import fold, fold_query
from verifier.core.evidence.intake import DocumentError
from verifier.core.evidence.locators import CellRef
from verifier.core.evidence.reading import (
    document_bytes,
    document_info,
    page_text,
    pages_around,
    save_copy,
    sheet_number,
    sheet_region,
)
from verifier.core.evidence.store import Stored, store_document
from verifier.core.workspace import Workspace

QUICK = Limits(isolated=False)


def store(workspace: Workspace, path: Path, limits: Limits | None = None) -> Stored:
    with workspace.session() as session:
        return store_document(session, path, "layla", limits)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_arabic_pdf_is_stored_with_its_text_in_logical_order(
    any_workspace: Workspace, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "report-ar.pdf", ARABIC_PAGES)
    with pdfplumber.open(pdf) as raw:  # what the extractor gives: lines reversed
        assert "ضايرلا" in raw.pages[1].extract_text()
    result = store(any_workspace, pdf)  # in the isolated extraction process
    assert (result.created, result.format, result.unit_count, result.text_state) == (
        True, "pdf", 3, "text",
    )  # fmt: skip
    with any_workspace.reading() as session:
        page = page_text(session, result.sha256, 2)
        info = document_info(session, result.sha256)
        stored = b"".join(document_bytes(session, result.sha256))
    assert page.text.splitlines() == [
        "جدول ٣-٢: مؤشرات الاتصالات في المدن",
        "سرعة الإنترنت الثابت في الرياض 25 Mbps في عام (2022)",
        "نسبة التغطية ٨٨٫٢ ٪ في جدة",
        "Riyadh الرياض city",
    ]
    assert page.label == "page 2 of 3"
    assert stored == pdf.read_bytes()
    assert info is not None
    assert (info.size, info.stored_size, info.original_name) == (len(stored), len(stored), pdf.name)
    assert info.extractor.startswith("pdfplumber ")
    assert [p.has_text for p in info.pages] == [True, True, True]


def test_an_english_pdf_keeps_its_text_as_written(workspace: Workspace, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "report-en.pdf", ENGLISH_PAGES, align="L")
    result = store(workspace, pdf, QUICK)
    with workspace.reading() as session:
        around = pages_around(session, result.sha256, 1)
    assert [p.number for p in around] == [1, 2]
    assert "Riyadh fixed broadband speed 25.4 Mbps" in around[1].text


def test_the_same_bytes_are_stored_once(any_workspace: Workspace, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    first = tmp_path / "a" / "notes.txt"
    first.write_text("Riyadh 25.4 Mbps\n" * 100_000, encoding="utf-8")  # 1.7 MB: two chunks
    second = tmp_path / "copy.txt"
    second.write_bytes(first.read_bytes())
    one, two = store(any_workspace, first), store(any_workspace, second)
    assert (one.created, two.created, one.sha256) == (True, False, two.sha256)
    with any_workspace.reading() as session:
        assert session.exec(select(func.count()).select_from(Document)).one() == 1
        chunks = session.exec(select(func.count()).where(DocumentChunk.sha256 == one.sha256)).one()
        assert chunks == 2
        assert b"".join(document_bytes(session, one.sha256)) == first.read_bytes()
        copy = save_copy(session, one.sha256, tmp_path)
    assert copy.name == "notes.txt" and copy.read_bytes() == first.read_bytes()


def test_an_xlsx_is_stored_per_sheet_and_cell(workspace: Workspace, tmp_path: Path) -> None:
    result = store(workspace, make_xlsx(tmp_path / "indicators.xlsx"))  # isolated process
    assert (result.format, result.unit_count, result.text_state) == ("xlsx", 2, "text")
    with workspace.reading() as session:
        number = sheet_number(session, result.sha256, " broadband ")
        assert number == 2
        region = sheet_region(session, result.sha256, 2, CellRef(4, 10), rows=1, columns=2)
        cell = session.get(DocumentCell, (result.sha256, 2, 10, 3))
        sheet = page_text(session, result.sha256, 2)
    assert (region.top, region.left, region.bottom, region.right) == (9, 2, 11, 4)
    assert region.cell(10, 4) == "88.2%"  # as the sheet shows it
    assert region.grid[1] == ("الرياض", "25.4", "88.2%")
    assert cell is not None and cell.text == "25.4"
    assert sheet.name == "Broadband" and "Riyadh\tالرياض\t25.4\t88.2%" in sheet.text


def test_numbers_read_as_their_format_shows_them(workspace: Workspace, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([49.0, 0.5, 1234.5, 0.1 + 0.2, 7])
    for cell, fmt in zip(sheet[1], ["0.0", "0%", "#,##0.00", "General", "0"], strict=True):
        cell.number_format = fmt
    path = tmp_path / "formats.xlsx"
    book.save(path)
    result = store(workspace, path, QUICK)
    with workspace.reading() as session:
        region = sheet_region(session, result.sha256, 1, CellRef(1, 1), rows=0, columns=4)
    assert region.grid == (("49.0", "50%", "1234.50", "0.3", "7"),)


def test_vowel_marks_placed_as_glyphs_do_not_split_words(
    workspace: Workspace, tmp_path: Path
) -> None:
    pdf = make_pdf(
        tmp_path / "marks.pdf", [["نشرت المَدِينَة المُنَوَّرَة 564 مجموعة", "في صَنْعَاء 69.5% عام 2021"]]
    )
    result = store(workspace, pdf, QUICK)
    with workspace.reading() as session:
        text = page_text(session, result.sha256, 1).text
    # Marks drawn as glyphs of their own are left out; words stay whole, search finds them.
    assert text.splitlines()[1] == "في صنعاء 69.5% عام 2021"
    assert fold(text).text == fold_query("نشرت المَدِينَة المُنَوَّرَة 564 مجموعة في صَنْعَاء 69.5% عام 2021")


def test_a_region_at_the_corner_of_a_sheet_is_clipped(workspace: Workspace, tmp_path: Path) -> None:
    result = store(workspace, make_xlsx(tmp_path / "indicators.xlsx"), QUICK)
    with workspace.reading() as session:
        region = sheet_region(session, result.sha256, 2, CellRef(1, 1), rows=3, columns=3)
    assert (region.top, region.left, region.bottom, region.right) == (1, 1, 4, 4)
    assert region.grid[0][0] == "city"


def test_a_csv_is_one_sheet(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "speeds.csv"
    path.write_text("city;المدينة;speed\nRiyadh;الرياض;25,4\nJeddah;جدة;٢٢٫١\n", encoding="utf-8")
    result = store(workspace, path)
    with workspace.reading() as session:
        info = document_info(session, result.sha256)
        region = sheet_region(session, result.sha256, 1, CellRef(3, 3))
    assert info is not None and info.unit == "sheet"
    assert [(p.name, p.rows, p.columns) for p in info.pages] == [("speeds", 3, 3)]
    assert region.cell(2, 3) == "25,4" and region.cell(3, 2) == "جدة"


def test_a_cp1256_csv_is_read(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes("المدينة,القيمة\nالرياض,25\n".encode("cp1256"))
    result = store(workspace, path)
    with workspace.reading() as session:
        assert "الرياض\t25" in page_text(session, result.sha256, 1).text


def test_html_is_cut_into_sections_by_a_real_parser(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "stats.html"
    path.write_text(
        "<!doctype html><html><head><title>Stats</title><style>p{color:red}</style></head>"
        "<body><p>Intro <b>text</b></p><script>var x = 'hidden';</script>"
        "<h2 id='broadband'>Broadband</h2><p>Riyadh<br>25.4 Mbps</p>"
        "<table id='t31'><tr><th>city</th><th>speed</th></tr><tr><td>Jeddah</td><td>22.1</td></tr>"
        "</table><h2>الاتصالات</h2><p>نسبة التغطية ٨٨٫٢ ٪<p>unclosed",
        encoding="utf-8",
    )
    result = store(workspace, path)
    with workspace.reading() as session:
        info = document_info(session, result.sha256)
        intro = page_text(session, result.sha256, 1)
        broadband = page_text(session, result.sha256, 2)
        arabic = page_text(session, result.sha256, 3)
    assert info is not None
    assert [(p.name, p.anchor) for p in info.pages] == [
        ("Stats", ""), ("Broadband", "broadband t31"), ("الاتصالات", ""),
    ]  # fmt: skip
    assert broadband.text.splitlines() == ["Broadband", "Riyadh", "25.4 Mbps", "city\tspeed",
                                           "Jeddah\t22.1"]  # fmt: skip
    assert intro.text == "Intro text"
    assert arabic.text.splitlines() == ["الاتصالات", "نسبة التغطية ٨٨٫٢ ٪", "unclosed"]


def test_markdown_and_plain_text_sections(workspace: Workspace, tmp_path: Path) -> None:
    markdown = tmp_path / "notes.md"
    markdown.write_text(
        "Preface\n\n# Fixed broadband\nRiyadh 25.4\n\n```\n# not a heading\n```\n"
        "Mobile data\n===\nJeddah 22.1\n",
        encoding="utf-8",
    )
    text = tmp_path / "yearbook.txt"
    text.write_text("page one\n\fpage two: Riyadh 25.4\n", encoding="utf-8")
    md, txt = store(workspace, markdown), store(workspace, text)
    with workspace.reading() as session:
        sections = document_info(session, md.sha256)
        pages = document_info(session, txt.sha256)
        second = page_text(session, md.sha256, 2)
    assert sections is not None and pages is not None
    assert [(p.name, p.anchor) for p in sections.pages] == [
        ("", ""), ("Fixed broadband", "fixed-broadband"), ("Mobile data", "mobile-data"),
    ]  # fmt: skip
    assert "# not a heading" in second.text
    assert [p.chars for p in pages.pages] == [8, 21]


def test_a_scanned_pdf_is_stored_without_a_text_layer(
    any_workspace: Workspace, tmp_path: Path
) -> None:
    result = store(any_workspace, make_scanned_pdf(tmp_path / "scan.pdf"))
    assert (result.created, result.text_state, result.unit_count) == (True, "no_text_layer", 2)
    with any_workspace.reading() as session:
        pages = session.exec(select(DocumentPage).where(DocumentPage.sha256 == result.sha256)).all()
    assert [(p.has_text, p.text) for p in pages] == [(False, ""), (False, "")]


@pytest.mark.parametrize("isolated", [True, False])
def test_an_encrypted_pdf_is_refused(workspace: Workspace, tmp_path: Path, isolated: bool) -> None:
    path = make_encrypted_pdf(tmp_path / "secret.pdf")
    with pytest.raises(DocumentError, match=r"secret\.pdf: the PDF is encrypted"):
        store(workspace, path, Limits(isolated=isolated))
    _nothing_stored(workspace)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda data: data[: len(data) // 2], "damaged or truncated"),
        (lambda data: b"%PDF-1.7\n" + bytes(range(256)) * 20, "damaged or truncated"),
    ],
    ids=["truncated", "corrupt"],
)
def test_a_damaged_pdf_is_refused(workspace: Workspace, tmp_path: Path, damage, reason) -> None:  # type: ignore[no-untyped-def]
    good = make_pdf(tmp_path / "good.pdf", ENGLISH_PAGES, align="L")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(damage(good.read_bytes()))
    with pytest.raises(DocumentError, match=f"bad.pdf: not a readable PDF .*{reason}"):
        store(workspace, bad)
    _nothing_stored(workspace)


def test_a_pdf_name_without_a_pdf_inside_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_text("<html>not a pdf</html>")
    with pytest.raises(DocumentError, match=r"report\.pdf: not a PDF"):
        store(workspace, path)


def test_over_the_size_limit_is_refused_before_reading_on(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * (3 * 1024 * 1024))
    with pytest.raises(DocumentError, match=r"big.txt: larger than the 2.0 MB limit"):
        store(workspace, path, Limits.with_megabytes(2))
    assert Limits().max_bytes == 200 * 1024 * 1024
    _nothing_stored(workspace)


def test_a_fifo_is_refused_without_waiting(workspace: Workspace, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)  # opening it to read would wait for a writer for ever
    with pytest.raises(DocumentError, match=r"pipe\.pdf: not a regular file \(a named pipe\)"):
        store(workspace, fifo)


@pytest.mark.parametrize(
    ("path", "kind"), [(Path("/dev/zero"), "a device"), (Path("/"), "a folder")]
)
def test_devices_and_folders_are_refused(workspace: Workspace, path: Path, kind: str) -> None:
    with pytest.raises(DocumentError, match=f"not a regular file \\({kind}\\)"):
        store(workspace, path)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.pdf", b"", "the file is empty"),
        ("slides.pptx", b"PK\x03\x04rest", "a zip archive, not a workbook"),
        ("table.xlsx", b"plain text", "not an XLSX workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "save it as .xlsx"),
        ("image.png", b"\x89PNG\r\n", "unsupported kind of document"),
    ],
)
def test_unsupported_or_empty_files_are_refused(
    workspace: Workspace, tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=reason):
        store(workspace, path)


def test_an_extraction_over_its_time_is_stopped(workspace: Workspace, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "slow.pdf", ENGLISH_PAGES, align="L")
    with pytest.raises(DocumentError, match=r"slow\.pdf: reading its text took longer than"):
        store(workspace, pdf, Limits(seconds=0.001))
    _nothing_stored(workspace)


def test_an_extraction_over_its_memory_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "heavy.pdf", ENGLISH_PAGES, align="L")
    with pytest.raises(
        DocumentError,
        match=r"heavy\.pdf: reading its text needs more than the 64 MB of memory allowed",
    ):
        store(workspace, pdf, Limits(memory_bytes=64 * 1024 * 1024))
    _nothing_stored(workspace)


def test_a_workbook_over_the_cell_limit_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="more than 20 filled cells"):
        store(workspace, make_xlsx(tmp_path / "wide.xlsx"), Limits(max_cells=20))


def _nothing_stored(workspace: Workspace) -> None:
    with workspace.reading() as session:
        for model in (Document, DocumentChunk, DocumentPage, DocumentCell):
            assert session.exec(select(func.count()).select_from(model)).one() == 0


def test_a_long_pdf_is_read_in_parallel_and_kept_in_order(
    workspace: Workspace, tmp_path: Path
) -> None:
    pages = [[f"الصفحة رقم {n} من التقرير", f"Page {n}: value {n}.5"] for n in range(1, 32)]
    pages[24] = ["في"]  # too short to say its order: it follows the pages before it
    result = store(workspace, make_pdf(tmp_path / "long.pdf", pages), QUICK)
    assert result.unit_count == 31
    with workspace.reading() as session:
        texts = [page_text(session, result.sha256, n).text for n in range(1, 32)]
    assert texts[0].splitlines() == ["الصفحة رقم 1 من التقرير", "Page 1: value 1.5"]
    assert texts[30].splitlines() == ["الصفحة رقم 31 من التقرير", "Page 31: value 31.5"]
    assert texts[24] == "في"
