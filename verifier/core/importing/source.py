"""The import file as a stream of bytes, and what one quick pass over it tells.

Nothing here holds the file whole. ``inspect_file`` reads it once in blocks: its SHA-256,
its text encoding (by BOM, else strict UTF-8, else Windows-1256) and whether any control
character could be in it. The readers then read it a second time, row by row, through a
``Bytes`` source that refuses to read past the size limit, however the file grows.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from verifier.core.errors import InputFileError
from verifier.core.importing.limits import ImportLimits, has_breaking_characters

BLOCK = 1 << 20
ENCODING_FALLBACK = "cp1256"
LINES_NAMED = 10
# Two or more non-ASCII characters in a row that decoded as UTF-8: Windows-1256 text
# essentially never forms them by accident, so the file is UTF-8.
_UTF8_TEXT = re.compile("[^\x00-\x7f\udc80-\udcff]{2,}")
_UNDECODED = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    size: int
    encoding: str = ""  # of a text file ("" for XLSX)
    scan: bool = True  # whether a control character may be in the text


def check_size(path: Path, size: int, limits: ImportLimits, what: str = "the file") -> None:
    if size > limits.max_bytes:
        raise InputFileError(
            f"{path}: {what} is {size:,} bytes; the limit is {limits.max_bytes:,} "
            "(setting import_max_bytes). Nothing was imported."
        )


@dataclass(frozen=True)
class FileSource:
    """Where the file's bytes come from: the file at ``path``, or ``data`` already read."""

    path: Path
    limits: ImportLimits
    data: bytes | None = None

    @classmethod
    def of(cls, path: Path, limits: ImportLimits) -> FileSource:
        """``path``, once checked to be a regular file within the size limit."""
        try:
            status = path.stat()
        except FileNotFoundError:
            raise InputFileError(f"{path}: no such file") from None
        except OSError as error:
            raise InputFileError(f"{path}: cannot read ({error.strerror})") from None
        if not stat.S_ISREG(status.st_mode):
            raise InputFileError(f"{path}: not a regular file")
        check_size(path, status.st_size, limits)
        return cls(path, limits)

    def open(self) -> Bytes:
        """The bytes in order, never more than the size limit."""
        return Bytes(self.path, self.open_seekable(), self.limits)

    def open_seekable(self) -> BinaryIO:
        if self.data is not None:
            check_size(self.path, len(self.data), self.limits)
            return io.BytesIO(self.data)
        try:
            return self.path.open("rb")
        except OSError as error:
            raise InputFileError(f"{self.path}: cannot read ({error.strerror})") from None


class Bytes(io.RawIOBase):
    """A file read through a size limit: past ``max_bytes`` it raises, so a file that grows
    while it is read is never read further than the limit. Counts what it read."""

    def __init__(self, path: Path, inner: BinaryIO, limits: ImportLimits) -> None:
        self.path, self.inner, self.limits = path, inner, limits
        self.consumed = 0
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self.inner.read(len(buffer))
        except OSError as error:
            raise InputFileError(f"{self.path}: cannot read ({error.strerror})") from None
        size = len(data)
        self.consumed += size
        self.digest.update(data)
        check_size(self.path, self.consumed, self.limits)
        buffer[:size] = data
        return size

    def close(self) -> None:
        self.inner.close()
        super().close()


def inspect_file(path: Path, opener: FileSource, fmt: str, encoding: str | None) -> FileFacts:
    """One pass over the file: its digest, and for text its encoding and control scan."""
    digest = hashlib.sha256()
    size = 0
    decoder = None
    used = ""
    scan = False
    with opener.open() as source:
        first = source.read(BLOCK)
        if fmt != "xlsx":
            used, first = _encoding_of(path, first, encoding)
            decoder = codecs.getincrementaldecoder(used)("strict")
        block = first
        while block:
            digest.update(block)
            size += len(block)
            if decoder is not None:
                try:
                    text = decoder.decode(block)
                except UnicodeDecodeError:
                    return _undecodable(path, opener, used, encoding)
                scan = scan or has_breaking_characters(text)
            block = source.read(BLOCK)
        if decoder is not None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return _undecodable(path, opener, used, encoding)
    return FileFacts(digest.hexdigest(), size, used, scan)


def _encoding_of(path: Path, start: bytes, encoding: str | None) -> tuple[str, bytes]:
    """The encoding to try, and the block with a UTF-8 BOM kept for the digest."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputFileError(f"{path}: unknown encoding '{encoding}'") from None
        return encoding, start
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", start
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", start
    return "utf-8", start


def _undecodable(path: Path, opener: FileSource, used: str, explicit: str | None) -> FileFacts:
    """The file is not valid in the encoding tried: refused with its lines named, or (for
    a file with no UTF-8 text at all and no encoding given) read as Windows-1256."""
    utf8 = codecs.lookup(used).name == "utf-8" or (used == "utf-8-sig" and not explicit)
    if not utf8:
        line, reason = _first_bad_line(opener, used)
        named = "UTF-16" if used == "utf-16" and not explicit else used
        tail = "" if not explicit else " Pass the file's real encoding with --encoding."
        raise InputFileError(
            f"{path}: line {line} is not valid {named} ({reason}); nothing was imported.{tail}"
        )
    bad, total, has_utf8 = _broken_utf8_lines(opener, skip_bom=used == "utf-8-sig")
    if explicit or used == "utf-8-sig" or has_utf8:
        _refuse_broken_utf8(path, bad, total, used if explicit else "utf-8")
    digest = hashlib.sha256()
    size = 0
    with opener.open() as source:
        while block := source.read(BLOCK):
            digest.update(block)
            size += len(block)
    return FileFacts(digest.hexdigest(), size, ENCODING_FALLBACK, True)


def _broken_utf8_lines(opener: FileSource, *, skip_bom: bool) -> tuple[list[int], int, bool]:
    """(the first broken lines' numbers, how many are broken, whether any UTF-8 text)."""
    bad: list[int] = []
    total = 0
    has_utf8 = False
    with opener.open() as source:
        for number, line in enumerate(io.BufferedReader(source, BLOCK), start=1):
            if number == 1 and skip_bom and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
            text = line.decode("utf-8", errors="surrogateescape")
            has_utf8 = has_utf8 or _UTF8_TEXT.search(text) is not None
            if _UNDECODED.search(text) is not None:
                total += 1
                if len(bad) < LINES_NAMED:
                    bad.append(number)
    return bad, total, has_utf8


def _refuse_broken_utf8(path: Path, bad: list[int], total: int, encoding: str) -> None:
    named = ", ".join(str(n) for n in bad)
    more = f" and {total - LINES_NAMED:,} more" if total > LINES_NAMED else ""
    which = "line" if total == 1 else "lines"
    raise InputFileError(
        f"{path}: the file is {encoding.upper()} except {which} {named}{more}, which "
        f"{'is' if total == 1 else 'are'} not; nothing was imported. Save the file "
        "again as UTF-8, or give its one real encoding with --encoding."
    )


def _first_bad_line(opener: FileSource, encoding: str) -> tuple[int, str]:
    """The line (counted in decoded text) where decoding fails, and why."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    lines = 1
    with opener.open() as source:
        while True:
            block = source.read(BLOCK)
            try:
                lines += decoder.decode(block, final=not block).count("\n")
            except UnicodeDecodeError as error:
                partial = error.object[: error.start]
                done = decoder.__class__(errors="replace").decode(bytes(partial), final=True)
                return lines + done.count("\n"), error.reason
            if not block:
                return lines, "unexpected end of data"
