"""Small real documents for the evidence tests, made on the spot.

PDFs come from fpdf2 with text shaping and DejaVu Sans (shipped with matplotlib), so their
Arabic text layer is what a real PDF producer writes: shaped glyphs, read back by
pdfplumber in visual order.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from fpdf import FPDF

FONT = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"

ARABIC_PAGES = [
    ["التقرير السنوي لقطاع الاتصالات", "الصفحة الأولى: مقدمة"],
    [
        "جدول ٣-٢: مؤشرات الاتصالات في المدن",
        "سرعة الإنترنت الثابت في الرياض 25 Mbps في عام (2022)",
        "نسبة التغطية ٨٨٫٢ ٪ في جدة",
        "Riyadh الرياض city",
    ],
    ["الصفحة الثالثة: ملاحظات", "fixed broadband في الدمام"],
]
ENGLISH_PAGES = [
    ["Annual Telecommunications Report 2023", "Page one: introduction"],
    ["Table 3.1: Broadband indicators", "Riyadh fixed broadband speed 25.4 Mbps", "Jeddah 88.2%"],
]


def _pdf() -> FPDF:
    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=12)
    pdf.set_text_shaping(True)
    return pdf


def make_pdf(path: Path, pages: list[list[str]], *, align: str = "R") -> Path:
    pdf = _pdf()
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT", align=align)
    pdf.output(str(path))
    return path


def make_encrypted_pdf(path: Path) -> Path:
    pdf = _pdf()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.cell(0, 10, "Confidential figures")
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: Path, pages: int = 2) -> Path:
    """Pages that are pictures only, as a scanner without OCR produces."""
    from PIL import Image, ImageDraw

    picture = path.with_suffix(".png")
    image = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(image).rectangle((20, 20, 380, 60), fill=0)
    image.save(picture)
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.image(str(picture), x=10, y=10, w=180)
    pdf.output(str(path))
    picture.unlink()
    return path


def make_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    intro = book.active
    assert intro is not None
    intro.title = "Notes"
    intro["A1"] = "Telecommunications indicators 2023"
    sheet = book.create_sheet("Broadband")
    sheet.append(["city", "المدينة", "speed (Mbps)", "coverage"])
    for row in range(2, 16):
        sheet.append([f"City {row}", f"مدينة {row}", 10 + row / 10, row / 100])
    sheet["A10"] = "Riyadh"
    sheet["B10"] = "الرياض"
    sheet["C10"] = 25.4
    sheet["D10"] = 0.882
    sheet["D10"].number_format = "0.0%"
    book.save(path)
    return path
