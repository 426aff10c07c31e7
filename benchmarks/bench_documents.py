"""Time storing source documents in the workspace: a generated 300-page PDF (Arabic and
English pages with tables), a 20,000-row workbook, and searching the stored text.

The PDF is made with fpdf2 and text shaping (HarfBuzz), as a real producer writes Arabic:
shaped glyphs that pdfplumber reads back in visual order, so the Arabic repair runs on
every Arabic line. Storing is timed end to end (hashing, the isolated extraction process,
the rows in one transaction); searching is a loop of folded searches over the whole
document, as the evidence check does when a locator does not help.

    .venv/bin/python benchmarks/bench_documents.py [--pages 300] [--db URL]

By default a fresh SQLite workspace in a temporary folder; --db an empty PostgreSQL
database or schema (e.g. postgresql://…?options=-csearch_path%3Dbench).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.core.evidence.search import load_text  # noqa: E402
from verifier.core.evidence.store import store_document  # noqa: E402
from verifier.core.workspace import Workspace  # noqa: E402

TARGET_SECONDS = 30.0
CITIES = [
    ("Riyadh", "الرياض"), ("Jeddah", "جدة"), ("Cairo", "القاهرة"), ("Amman", "عمان"),
    ("Rabat", "الرباط"), ("Tunis", "تونس"), ("Doha", "الدوحة"), ("Muscat", "مسقط"),
]  # fmt: skip


def make_pdf(path: Path, pages: int) -> None:
    import matplotlib
    from fpdf import FPDF

    font = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(font))
    pdf.set_font("dejavu", size=9)
    pdf.set_text_shaping(True)
    for page in range(1, pages + 1):
        pdf.add_page()
        arabic = page % 2 == 0
        title = f"جدول {page}-١: مؤشرات الاتصالات" if arabic else f"Table {page}.1: Indicators"
        pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT", align="R" if arabic else "L")
        for row in range(40):
            english, name = CITIES[(page + row) % len(CITIES)]
            value = f"{(page * 37 + row * 11) % 1000 / 10:.1f}"
            if arabic:
                line = f"سرعة الإنترنت في {name} {value} ميغابت في الثانية عام 2023"
            else:
                line = f"{english}: fixed broadband speed {value} Mbps in 2023"
            pdf.cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT", align="R" if arabic else "L")
    pdf.output(str(path))


def make_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Broadband")
    sheet.append(["city", "المدينة", "year", "speed", "coverage"])
    for row in range(rows):
        english, name = CITIES[row % len(CITIES)]
        sheet.append([english, name, 2000 + row % 24, row % 997 / 10, row % 100 / 100])
    book.save(path)


def _cpu() -> float:
    """CPU seconds used so far by this process and the extraction processes it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_store(workspace: Workspace, path: Path) -> tuple[float, float, str, int]:
    """Wall and CPU seconds (all processes) to store ``path``, its sha256 and units."""
    start, cpu = time.perf_counter(), _cpu()
    with workspace.session() as session:
        stored = store_document(session, path, "bench")
    return time.perf_counter() - start, _cpu() - cpu, stored.sha256, stored.unit_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--db", help="an empty workspace database (default: temporary SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        workspace = Workspace(url)
        workspace.initialise()
        pdf, xlsx = Path(folder) / "report.pdf", Path(folder) / "indicators.xlsx"
        made = time.perf_counter()
        make_pdf(pdf, args.pages)
        make_xlsx(xlsx, args.rows)
        print(f"generated the documents in {time.perf_counter() - made:.1f} s")
        print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")

        seconds, cpu, sha256, pages = timed_store(workspace, pdf)
        size = pdf.stat().st_size / 1e6
        verdict = "met" if seconds < TARGET_SECONDS else "NOT met"
        print(f"PDF, {pages} pages, {size:.1f} MB: stored and extracted in {seconds:.1f} s wall, "
              f"{cpu:.1f} s CPU over {os.cpu_count()} cores (target < {TARGET_SECONDS:.0f} s: "
              f"{verdict} at this load)")  # fmt: skip
        again, _, _, _ = timed_store(workspace, pdf)
        print(f"the same PDF again (found by its sha256): {again * 1000:.0f} ms")

        seconds, cpu, _, _ = timed_store(workspace, xlsx)
        print(f"XLSX, {args.rows:,} rows x 5 columns: stored in {seconds:.1f} s ({cpu:.1f} s CPU)")

        with workspace.reading() as session:
            start = time.perf_counter()
            text = load_text(session, sha256)
            for number in text.numbers:
                text.folded(number)
            loaded = time.perf_counter() - start
        print(f"reading and folding the PDF's text: {loaded:.2f} s")
        phrases = [f"{(n * 37) % 1000 / 10:.1f} Mbps" for n in range(200)]
        phrases += [f"في {name} {(n * 37) % 1000 / 10:.1f}" for n, (_, name) in
                    zip(range(200), CITIES * 25, strict=False)]  # fmt: skip
        start = time.perf_counter()
        found = sum(1 for phrase in phrases if text.search(phrase, limit=1))
        searched = time.perf_counter() - start
        print(f"{len(phrases)} whole-document searches: {searched:.2f} s "
              f"({len(phrases) / searched:.0f}/s, {found} found)")  # fmt: skip
        workspace.close()


if __name__ == "__main__":
    main()
