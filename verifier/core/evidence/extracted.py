"""What text extraction yields: units (pages, sheets, sections) and a sheet's cells.

Extractors are generators, so that a large document streams from the extraction process
into the database without being held whole in memory. This module and the extractors
import nothing of the database: extraction runs in a process of its own, which should
start quickly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any


class ExtractionFailure(Exception):
    """The document cannot be read as what it claims to be; the message says why, in
    words for the user (the caller adds the file name)."""


@dataclass(frozen=True)
class Unit:
    number: int  # from 1, in document order
    kind: str  # "page", "sheet" or "section" (db.models.UnitKind)
    text: str
    name: str = ""
    anchor: str = ""
    has_text: bool = True
    rows: int = 0
    columns: int = 0

    def record(self) -> dict[str, Any]:
        return {"unit": asdict(self)}


@dataclass(frozen=True)
class Cell:
    sheet: int
    row: int
    column: int
    text: str

    def record(self) -> dict[str, Any]:
        return {"cell": [self.sheet, self.row, self.column, self.text]}


@dataclass(frozen=True)
class Finished:
    """The last thing an extraction yields: which library did it."""

    extractor: str

    def record(self) -> dict[str, Any]:
        return {"finished": self.extractor}


PAGE, SHEET, SECTION = "page", "sheet", "section"

Extracted = Unit | Cell | Finished
Extraction = Iterator[Extracted]


def from_record(record: dict[str, Any]) -> Extracted:
    if "unit" in record:
        return Unit(**record["unit"])
    if "cell" in record:
        sheet, row, column, text = record["cell"]
        return Cell(int(sheet), int(row), int(column), str(text))
    return Finished(str(record["finished"]))


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: by its byte-order mark, else strict UTF-8, else
    Windows-1256 (which decodes any bytes, so it is only ever the last resort)."""
    import codecs

    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise ExtractionFailure(
                f"broken UTF-8 after its byte-order mark ({error.reason})"
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise ExtractionFailure(f"broken UTF-16 ({error.reason})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1256"), "cp1256"
