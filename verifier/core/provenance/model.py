"""The provenance of published values as plain data: what every output format renders.

A report holds, per published value, the publication, the value and each evidence item's
chain: its source document, its extraction, its city match, its review history and the
conflict it may have won. Items asked about that are not in the publication come with
the reasons why.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from db.models import MatchMethod


@dataclass(frozen=True)
class PublicationFacts:
    id: int
    number: int
    edition_code: str
    sha256: str
    created_by: str
    created_at: datetime
    note: str
    value_count: int
    # The stored content still hashes to ``sha256``.
    content_intact: bool
    # The QA figures the publication recorded (its document's ``qa``; docs/qa.md), if any.
    qa: dict[str, Any] | None = None
    # Its queryable rows (values, evidence, the publication row) say what the content says;
    # ``row_problems`` names where they do not.
    rows_intact: bool = True
    row_problems: tuple[str, ...] = ()

    @property
    def verified(self) -> bool:
        return self.content_intact and self.rows_intact


@dataclass(frozen=True)
class CityRef:
    id: str
    name_en: str
    name_ar: str
    country: str


@dataclass(frozen=True)
class IndicatorRef:
    id: int
    code: str
    name_en: str
    name_ar: str
    unit: str
    domain: str


@dataclass(frozen=True)
class SourceRecord:
    id: int
    key: str
    title: str
    publisher: str
    language: str
    url: str
    file_path: str
    file_sha256: str  # as recorded when the source was registered
    # "none" (no local copy), "ok", "stored" (the workspace holds the document), "missing",
    # "changed" or "unreadable"
    file_state: str
    file_sha256_now: str
    published_on: date | None
    retrieved_on: date | None


@dataclass(frozen=True)
class Extraction:
    extractor: str
    extracted_at: datetime | None
    batch_id: int
    file_name: str
    file_path: str
    file_sha256: str
    row_number: int
    imported_by: str
    imported_at: datetime | None


@dataclass(frozen=True)
class CityMatch:
    raw_label: str
    label_script: str
    country_hint: str
    city: CityRef | None
    suggested_city_id: str | None
    score: float | None
    band: str | None
    method: str | None
    confirmed_by: str | None  # None when the engine matched it (auto band)
    confirmed_at: datetime | None

    @property
    def confirmed(self) -> bool:
        return self.city is not None and self.method in {m.value for m in MatchMethod}

    @property
    def automatic(self) -> bool:
        return self.method == MatchMethod.AUTO.value


@dataclass(frozen=True)
class EventRecord:
    id: int
    seq: int | None
    at: datetime
    actor: str
    action: str
    old_status: str | None
    new_status: str | None
    note: str
    reason: str
    detail: str  # the payload, in words


@dataclass(frozen=True)
class EvidenceFacts:
    """The evidence check's stored result for an item, and whether it describes the
    document the item rests on (for a published item: the document its source named at the
    publication; otherwise the one it names now).

    The result is a cache keyed by the document's sha256: ``sha256`` is the document it was
    computed against (None: the source had no stored document then), ``document_sha256``
    the stored document it should describe (None: there is none). ``state`` is
    ``current`` (it describes that document, by the check in use), ``stale`` (``why`` says
    how it differs) or ``absent`` (never checked)."""

    state: str
    status: str | None = None
    page: int | None = None
    sha256: str | None = None
    document_sha256: str | None = None
    found_value: float | None = None
    score: float | None = None
    checked_by: str = ""
    checked_at: datetime | None = None
    method: str = ""
    why: str = ""

    @property
    def current(self) -> bool:
        return self.state == "current"


NOT_CHECKED = EvidenceFacts("absent", why="the evidence check has not been run on this item")


@dataclass(frozen=True)
class ItemChain:
    id: int
    edition_id: int
    indicator_id: int
    status: str
    value_text: str
    value_number: float | None
    unit_written: str
    value_normalized: float | None
    year: int
    locator: str
    snippet: str
    language: str
    url: str
    source: SourceRecord
    extraction: Extraction
    match: CityMatch
    events: tuple[EventRecord, ...]
    # The status event that made (or last kept) the item verified, for the published view.
    verified_by: EventRecord | None = None
    # Status or city changed after the publication the report is about.
    changed_after_publication: bool = False
    # The evidence check's result (what the check found in the stored document).
    evidence: EvidenceFacts = NOT_CHECKED


@dataclass(frozen=True)
class LosingItem:
    id: int
    value_text: str
    value_normalized: float | None
    source_title: str


@dataclass(frozen=True)
class ConflictOutcome:
    # "resolved" (a lead chose), "won"/"lost" (seen from one item), "open"
    state: str
    chosen_item_id: int | None
    resolved_by: str | None
    resolved_at: datetime | None
    reason: str
    losers: tuple[LosingItem, ...] = ()
    event_seq: int | None = None


@dataclass(frozen=True)
class ValueChain:
    city: CityRef
    indicator: IndicatorRef
    value: float
    unit: str
    year: int
    evidence: tuple[ItemChain, ...]
    conflict: ConflictOutcome | None


@dataclass(frozen=True)
class Reason:
    # status, city_match, missing_value, superseded, conflict_lost, conflict_open,
    # not_yet_published, no_publication, other_edition, eligible
    code: str
    text: str


@dataclass(frozen=True)
class UnpublishedItem:
    item: ItemChain
    indicator: IndicatorRef
    reasons: tuple[Reason, ...]
    conflict: ConflictOutcome | None
    # Numbers of other publications of the edition that do contain the item.
    published_in: tuple[int, ...] = ()


@dataclass(frozen=True)
class Selection:
    publication_id: int | None = None
    city: str | None = None
    indicator: str | None = None
    item_id: int | None = None


@dataclass(frozen=True)
class ProvenanceReport:
    edition_code: str
    edition_name: str
    generated_at: datetime
    selection: Selection
    publication: PublicationFacts | None
    values: tuple[ValueChain, ...] = ()
    unpublished: tuple[UnpublishedItem, ...] = field(default_factory=tuple)


class TextSink(Protocol):
    """Where a report is written: a text file, standard output, a buffer."""

    def write(self, text: str, /) -> Any: ...


class EvidenceStream:
    """A value's evidence chains, read from the database as they are written: how many
    there are is known first, the chains themselves can be read once."""

    def __init__(self, count: int, chains: Iterator[ItemChain]) -> None:
        self._count = count
        self._chains: Iterator[ItemChain] | None = chains

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[ItemChain]:
        if self._chains is None:
            raise RuntimeError("a streamed value's evidence can be read only once")
        chains, self._chains = self._chains, None
        return chains


@dataclass(frozen=True)
class StreamedValue:
    """A published value whose evidence is read while the report is written."""

    city: CityRef
    indicator: IndicatorRef
    value: float
    unit: str
    year: int
    evidence: EvidenceStream
    conflict: ConflictOutcome | None


@dataclass(frozen=True)
class ReportStream:
    """A report as every format writes it: ``head`` holds everything but the values (its
    ``values`` are empty when they are streamed), ``values`` the ``value_count`` values in
    report order, each read once."""

    head: ProvenanceReport
    value_count: int
    values: Iterable[ValueChain | StreamedValue]

    @classmethod
    def of(cls, report: ProvenanceReport) -> ReportStream:
        """A report built whole, to be written by the same code."""
        return cls(report, len(report.values), report.values)
