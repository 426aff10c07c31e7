"""Writing a long report to standard output as it is made, and saying so loudly when it
stops part-way: what was already printed is then incomplete."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer

BUFFER_CHARS = 1 << 16


class EchoWriter:
    """Text to standard output in pieces of about BUFFER_CHARS (each echo flushes)."""

    def __init__(self) -> None:
        self.pending: list[str] = []
        self.size = 0
        self.started = False

    def write(self, text: str, /) -> int:
        self.pending.append(text)
        self.size += len(text)
        if self.size >= BUFFER_CHARS:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.started = True
            typer.echo("".join(self.pending), nl=False)
            self.pending, self.size = [], 0


class LineWriter:
    """Text handed to ``show`` a line at a time (without its newline)."""

    def __init__(self, show: Callable[[str], None]) -> None:
        self.show = show
        self.rest = ""
        self.started = False

    def write(self, text: str, /) -> int:
        lines = (self.rest + text).split("\n")
        self.rest = lines.pop()
        for line in lines:
            self.started = True
            for part in line.splitlines() or [""]:
                self.show(part)
        return len(text)

    def flush(self) -> None:
        if self.rest:
            self.started = True
            for part in self.rest.splitlines():
                self.show(part)
            self.rest = ""


@contextmanager
def streamed_stdout(writer: EchoWriter | LineWriter) -> Iterator[EchoWriter | LineWriter]:
    """``writer``, flushed at the end. When the report fails after part of it was printed,
    standard error says the output is incomplete before the error itself is shown (and the
    command exits non-zero)."""
    try:
        yield writer
    except BaseException:
        if writer.started:
            typer.secho(
                "error: the report stopped part-way; the output printed above is INCOMPLETE "
                "(not a whole document) and must not be used",
                fg="red",
                err=True,
            )
        raise
    writer.flush()
