"""Source documents stored in the workspace, named by the sha256 of their bytes.

A document is stored once whatever the number of sources naming it (``source.file_sha256``
is the link), in chunks so that neither storing nor reading needs the whole file in memory.
Its text is extracted once, when it is stored: one ``document_page`` per page (PDF), sheet
(XLSX, CSV) or section (HTML, text), and one ``document_cell`` per non-empty cell of a
sheet. Nothing here changes after it is written: the bytes define the document.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, LargeBinary, Text
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow
from db.vocab import check_in


class DocumentFormat(StrEnum):
    PDF = "pdf"
    XLSX = "xlsx"
    CSV = "csv"
    HTML = "html"
    TEXT = "text"
    MARKDOWN = "markdown"


class TextState(StrEnum):
    TEXT = "text"  # text was extracted
    NO_TEXT_LAYER = "no_text_layer"  # e.g. a scanned PDF: pages are pictures


class UnitKind(StrEnum):
    PAGE = "page"
    SHEET = "sheet"
    SECTION = "section"


class Document(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(check_in("format", DocumentFormat), name="format"),
        CheckConstraint(check_in("text_state", TextState), name="text_state"),
    )

    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_type=BigInteger)
    format: str = Field(max_length=16)
    media_type: str = Field(max_length=100)
    # The file name it was first stored from (for the record and for saving a copy).
    original_name: str = ""
    text_state: str = Field(max_length=16)
    unit_count: int  # pages, sheets or sections
    # What extracted the text ("pdfplumber 0.11.10"), so that a better extractor can tell.
    extractor: str = Field(default="", max_length=100)
    stored_by: str = Field(max_length=64)
    stored_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DocumentChunk(SQLModel, table=True):
    __tablename__ = "document_chunk"

    sha256: str = Field(foreign_key="document.sha256", primary_key=True, max_length=64)
    position: int = Field(primary_key=True)
    data: bytes = Field(sa_type=LargeBinary)


class DocumentPage(SQLModel, table=True):
    """A page, a sheet or a section, numbered from 1 in document order."""

    __tablename__ = "document_page"
    __table_args__ = (CheckConstraint(check_in("kind", UnitKind), name="kind"),)

    sha256: str = Field(foreign_key="document.sha256", primary_key=True, max_length=64)
    number: int = Field(primary_key=True)
    kind: str = Field(max_length=16)
    name: str = ""  # a sheet's name, a section's heading
    anchor: str = ""  # an HTML section's id, for URL fragments
    # Logical order: Arabic lines that came out of a PDF reversed are already turned back.
    text: str = Field(default="", sa_type=Text)
    has_text: bool = True
    # A sheet's extent: the last row and column holding a value.
    rows: int = 0
    columns: int = 0


class DocumentCell(SQLModel, table=True):
    """A non-empty cell of a sheet, as text (numbers as the sheet holds them)."""

    __tablename__ = "document_cell"

    sha256: str = Field(foreign_key="document.sha256", primary_key=True, max_length=64)
    sheet: int = Field(primary_key=True)
    row: int = Field(primary_key=True)
    column: int = Field(primary_key=True)
    text: str = Field(sa_type=Text)
