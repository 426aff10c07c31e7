"""What the checks against the log share: counting what disagrees, naming up to a limit,
and a one-line summary of what is named."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Select
from sqlmodel import Session

NAMED = 50  # disagreements named; the rest are counted


class Disagreement(Protocol):
    def describe(self) -> str: ...


D = TypeVar("D", bound=Disagreement)


@dataclass
class NamedFindings(Generic[D]):
    """Disagreements found: all counted, ``limit`` named (None: all)."""

    disagreeing: int = 0
    named: list[D] = field(default_factory=list)
    limit: int | None = NAMED

    @property
    def intact(self) -> bool:
        return self.disagreeing == 0

    def found(self, disagreement: D) -> None:
        self.disagreeing += 1
        if self.limit is None or len(self.named) < self.limit:
            self.named.append(disagreement)

    def summary(self, shown: int = 10) -> str:
        lines = [d.describe() for d in self.named[:shown]]
        if self.disagreeing > shown:
            lines.append(f"… and {self.disagreeing - shown} more")
        return "; ".join(lines)


def stream_named(
    session: Session, query: Select[Any], names: Sequence[str], batch: int
) -> Iterator[tuple[dict[str, Any], tuple[Any, ...]]]:
    """Each row of ``query``, streamed (a server-side cursor on PostgreSQL) ``batch`` rows at a
    time: its first columns as a dict keyed by ``names``, and the columns after them."""
    width = len(names)
    streamed = query.execution_options(stream_results=True, yield_per=batch)
    for values in session.connection().execute(streamed):
        yield dict(zip(names, values[:width], strict=True)), tuple(values[width:])
