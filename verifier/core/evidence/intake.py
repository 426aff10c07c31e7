"""Taking a document in: a regular file, within the size limit, copied once.

The copy goes to a private temporary file while its sha256 is computed, in fixed-size
blocks: memory stays small whatever the file, and the bytes that are extracted and stored
are exactly the bytes that were hashed, even if the original changes meanwhile. A FIFO, a
device or a directory is refused before anything is read from it (opening a FIFO would
wait for a writer).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from verifier.core.errors import InputFileError
from verifier.core.scratch import ScratchFolder

# The formats stored (db.models.DocumentFormat has the same values; this module is also
# imported by the extraction process, which does not load the database layer).
PDF, XLSX, CSV, HTML, TEXT, MARKDOWN = "pdf", "xlsx", "csv", "html", "text", "markdown"

BLOCK = 1 << 20  # 1 MiB: the read size, and the size of a stored chunk
DEFAULT_MAX_BYTES = 200 * 1024 * 1024

_EXTENSIONS = {
    ".pdf": PDF,
    ".xlsx": XLSX,
    ".xlsm": XLSX,
    ".csv": CSV,
    ".tsv": CSV,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".txt": TEXT,
    ".text": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
}
MEDIA_TYPES = {
    PDF: "application/pdf",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv",
    HTML: "text/html",
    TEXT: "text/plain",
    MARKDOWN: "text/markdown",
}


class DocumentError(InputFileError):
    """A document that cannot be stored; the message names the file and the reason."""


@dataclass(frozen=True)
class Spooled:
    """A private copy of a document: where it is, its sha256, size and format."""

    path: Path
    sha256: str
    size: int
    format: str
    original_name: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _open_regular(path: Path) -> int:
    """A descriptor on ``path`` if it is a regular file; a DocumentError otherwise."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DocumentError(f"{path}: no such file") from None
    except OSError as error:
        raise DocumentError(f"{path}: cannot read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(f"{path}: not a regular file ({_kind(info.st_mode)}); give a file")
    try:
        # Non-blocking: if the path was swapped for a FIFO since the check, opening it
        # still returns at once, and the check on the descriptor below refuses it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise DocumentError(f"{path}: cannot read ({error.strerror})") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise DocumentError(f"{path}: not a regular file; give a file")
    os.set_blocking(descriptor, True)
    return descriptor


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def sha256_of(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, int]:
    """The sha256 and size of a regular file, read in blocks, refused over ``max_bytes``."""
    descriptor = _open_regular(path)
    digest, size = hashlib.sha256(), 0
    with os.fdopen(descriptor, "rb") as handle:
        while block := handle.read(BLOCK):
            size += len(block)
            if size > max_bytes:
                raise _too_large(path, max_bytes)
            digest.update(block)
    return digest.hexdigest(), size


def _too_large(path: Path, max_bytes: int) -> DocumentError:
    return DocumentError(
        f"{path}: larger than the {megabytes(max_bytes)} limit for a stored document "
        "(raise it with the max_document_mb setting)"
    )


@contextmanager
def spooled(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Spooled]:
    """A private copy of ``path`` for the length of the block, removed afterwards."""
    descriptor = _open_regular(path)
    digest, size, head = hashlib.sha256(), 0, b""
    folder = ScratchFolder("verifier-doc-")  # left by a killed process: removed by the next
    try:
        # The copy keeps a plain form of the extension: some readers go by it.
        suffix = path.suffix.lower() if path.suffix[1:].isalnum() else ""
        copy = folder.path / f"document{suffix[:10]}"
        with os.fdopen(descriptor, "rb") as source, copy.open("wb") as target:
            while block := source.read(BLOCK):
                size += len(block)
                if size > max_bytes:
                    raise _too_large(path, max_bytes)
                if len(head) < 8192:
                    head += block[: 8192 - len(head)]
                digest.update(block)
                target.write(block)
        if size == 0:
            raise DocumentError(f"{path}: the file is empty")
        fmt = detect_format(path, head)
        yield Spooled(copy, digest.hexdigest(), size, fmt, path.name)
    finally:
        folder.remove()


def detect_format(path: Path, head: bytes) -> str:
    """The format from the first bytes where they tell (PDF, a zip), else the extension."""
    suffix = path.suffix.lower()
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        if suffix in (".xlsx", ".xlsm"):
            return XLSX
        raise DocumentError(
            f"{path}: a zip archive, not a workbook this verifier reads (give an .xlsx file)"
        )
    if suffix == ".pdf":
        raise DocumentError(f"{path}: not a PDF (it has no PDF header); the file is damaged")
    if suffix in (".xlsx", ".xlsm"):
        raise DocumentError(f"{path}: not an XLSX workbook (it is not a zip archive)")
    if suffix == ".xls":
        raise DocumentError(f"{path}: old-style .xls workbooks are not read; save it as .xlsx")
    fmt = _EXTENSIONS.get(suffix)
    if fmt is not None:
        return fmt
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return HTML
    supported = ", ".join(sorted(_EXTENSIONS))
    raise DocumentError(f"{path}: unsupported kind of document (supported: {supported})")
