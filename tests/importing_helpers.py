"""Small builders for import files in the encodings and formats sources come in."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

HEADER = [
    "city", "indicator", "value", "unit", "year", "source", "locator", "snippet", "extractor",
    "country", "language", "source_url", "extracted_at",
]  # fmt: skip


def row(
    city: str = "الرياض",
    indicator: str = "TRD-WATER",
    value: str = "٩٩٫١٪",
    unit: str = "",
    year: str = "2023",
    source: str = "yearbook-2023",
    locator: str = "p. 12",
    snippet: str = "piped water 99.1%",
    extractor: str = "omar",
    country: str = "SA",
    language: str = "en",
    source_url: str = "",
    extracted_at: str = "2026-09-14T10:22:05+03:00",
) -> list[str]:
    return [city, indicator, value, unit, year, source, locator, snippet, extractor, country,
            language, source_url, extracted_at]  # fmt: skip


def csv_text(rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", **kw: str) -> Path:
    path.write_bytes(csv_text(rows, **kw).encode(encoding))  # type: ignore[arg-type]
    return path


def write_jsonl(path: Path, rows: list[list[str]]) -> Path:
    lines = [json.dumps(dict(zip(HEADER, r, strict=True)), ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path


def rewrite_member(path: Path, member: str, transform: Callable[[bytes], bytes]) -> Path:
    """Rewrite one file inside a workbook (to build damaged or hostile ones)."""
    with zipfile.ZipFile(path) as source:
        contents = {info.filename: source.read(info) for info in source.infolist()}
    contents[member] = transform(contents[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in contents.items():
            target.writestr(name, data)
    return path
