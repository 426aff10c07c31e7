"""Running text extraction on an untrusted document, within limits.

Parsers of PDFs and workbooks can be made to loop, recurse or allocate without end by a
crafted file. So extraction runs in a child process (``python -m
verifier.core.evidence.worker``) with a ceiling on its memory (the address space) and on
its CPU time, and is stopped when it exceeds its wall-clock time. It writes what it
extracts to a file, one JSON record a line, which is read back as a stream: neither side
holds the whole text. Any failure becomes a :class:`DocumentError` naming the file and the
reason, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.core.evidence.extracted import Extracted, ExtractionFailure, from_record
from verifier.core.evidence.intake import DEFAULT_MAX_BYTES, DocumentError, Spooled
from verifier.core.evidence.sheet_text import DEFAULT_MAX_CELLS

EXIT_REFUSED = 3  # the worker read the document and gave a reason for refusing it
# The formats whose parsers run in a child process. CSV, HTML, text and Markdown are read
# by parsers whose time and memory grow with the input, which the size limit bounds; a
# PDF or a zipped workbook can expand without end (compressed streams, zip bombs, loops).
ISOLATED_FORMATS = frozenset({"pdf", "xlsx"})


@dataclass(frozen=True)
class Limits:
    """What storing one document may take. ``isolated`` False runs every extraction in
    this process (quicker to start, for trusted files), with only the size and cell
    limits; otherwise PDFs and workbooks are read in a child process within ``seconds``
    and ``memory_bytes``."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_cells: int = DEFAULT_MAX_CELLS
    seconds: float = 600.0
    memory_bytes: int = 4 << 30
    isolated: bool = True

    @classmethod
    def with_megabytes(cls, megabytes: int | None) -> Limits:
        return cls() if megabytes is None else cls(max_bytes=megabytes * 1024 * 1024)


def extract(path: Path, fmt: str, name: str, max_cells: int) -> Iterator[Extracted]:
    """The extraction of one format, in this process."""
    if fmt == "pdf":
        from verifier.core.evidence.pdf_text import extract_pdf

        return extract_pdf(path)
    if fmt == "xlsx":
        from verifier.core.evidence.sheet_text import extract_xlsx

        return extract_xlsx(path, max_cells)
    if fmt == "csv":
        from verifier.core.evidence.sheet_text import extract_csv

        return extract_csv(path, Path(name).stem, max_cells)
    from verifier.core.evidence import section_text

    if fmt == "html":
        return section_text.extract_html(path)
    if fmt == "markdown":
        return section_text.extract_markdown(path)
    return section_text.extract_plain(path)


def extract_to_file(spooled: Spooled, limits: Limits, shown_as: str) -> Path:
    """Extract the document's text to a file beside its copy (one JSON record a line;
    read it with :func:`read_extracted`); a DocumentError naming ``shown_as`` if it cannot
    be read within the limits."""
    output = spooled.path.with_name("extracted.jsonl")
    if not limits.isolated or spooled.format not in ISOLATED_FORMATS:
        try:
            refused = write_extraction(spooled, limits.max_cells, output)
        except (MemoryError, RecursionError) as error:
            refused = f"too complex to read ({type(error).__name__})"
        if refused is not None:
            raise DocumentError(f"{shown_as}: {refused}")
        return output
    errors = spooled.path.with_name("worker.log")
    command = [
        sys.executable, "-m", "verifier.core.evidence.worker", spooled.format,
        str(spooled.path), spooled.original_name, str(limits.max_cells), str(output),
    ]  # fmt: skip
    with errors.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            preexec_fn=_limit(limits),
        )
        try:
            returncode = process.wait(timeout=limits.seconds)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise DocumentError(
                f"{shown_as}: reading its text took longer than {limits.seconds:g} s; the "
                "document was not stored"
            ) from None
        except BaseException:  # interrupted: stop it and its forked copies, then go on
            _stop(process)
            raise
    if returncode == EXIT_REFUSED:
        first = next(_records(output), {})
        raise DocumentError(f"{shown_as}: {first.get('refused', 'refused by the text reader')}")
    if returncode != 0:
        raise DocumentError(f"{shown_as}: {_crash(returncode, errors, limits)}")
    return output


def write_extraction(spooled: Spooled, max_cells: int, output: Path) -> str | None:
    """Extract in this process into ``output``; the reason when the document is refused."""
    with output.open("w", encoding="utf-8") as handle:
        try:
            for extracted in extract(
                spooled.path, spooled.format, spooled.original_name, max_cells
            ):
                handle.write(json.dumps(extracted.record(), ensure_ascii=False) + "\n")
        except ExtractionFailure as failure:
            return str(failure)
    return None


def read_extracted(path: Path) -> Iterator[Extracted]:
    for record in _records(path):
        yield from_record(record)


def _records(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if isinstance(record, dict):
                yield record


# What a process that reached its address-space ceiling leaves in its error output.
_OUT_OF_MEMORY = ("MemoryError", "failed to map segment", "Cannot allocate memory")


def _crash(code: int, log: Path, limits: Limits) -> str:
    if code < 0:
        import signal

        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if name in ("SIGXCPU", "SIGKILL"):
            return (
                f"reading its text used more than the {limits.seconds:g} s allowed; the "
                "document was not stored"
            )
        return f"the text reader stopped ({name}); the document was not stored"
    tail = log.read_bytes()[-4000:].decode("utf-8", "replace") if log.exists() else ""
    if any(sign in tail for sign in _OUT_OF_MEMORY):
        return (
            f"reading its text needs more than the {limits.memory_bytes >> 20} MB of memory "
            "allowed; the document was not stored"
        )
    last = next((line for line in reversed(tail.splitlines()) if line.strip()), "")
    return f"the text reader failed ({last[:200] or f'exit status {code}'})"


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the extraction process and every process it forked (its own group)."""
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _limit(limits: Limits) -> Callable[[], None]:
    def apply() -> None:
        import resource

        os.setsid()  # its own process group: nothing it starts outlives it
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        cpu = int(limits.seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply
