"""Messages worker threads send back to the UI (the database is never touched on the UI's
own thread)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

from verifier.core.eventlog.feed import Change
from verifier.core.review.itemview import ItemView
from verifier.core.review.progress import Counts, Dashboard
from verifier.core.review.queue import Page, QueueFilter, QueueRow
from verifier.presentation.itemrender import ShownItem

if TYPE_CHECKING:  # for the sprint screen, loaded after the first item
    from verifier.core.qa.figures import Figures
    from verifier.core.review.sprint_steering import SprintOverview


@dataclass
class PageLoaded(Message):
    page: Page
    request: int  # which request it answers: older answers are dropped
    kind: str  # "around", "after" or "before"


@dataclass
class OffsetCounted(Message):
    offset: int
    request: int


class StartedUp(Message):
    """The queue screen's first item, or the word that there is none, is drawn."""


@dataclass
class ItemLoaded(Message):
    shown: ShownItem


@dataclass
class CandidatesFound(Message):
    """``pending``, an item view shown without its city candidates, and the same with them."""

    pending: ItemView
    shown: ShownItem


@dataclass
class RowsRefreshed(Message):
    rows: list[QueueRow]


@dataclass
class ProgressCounted(Message):
    counts: Counts
    request: int
    qa: tuple[int, int] | None = None  # a blind review: (reviewed, drawn) instead of counts
    filter: QueueFilter | None = None  # what was counted


@dataclass
class DecisionSaved(Message):
    """A decision is committed. ``advance``: open the next item."""

    item_id: int
    rows: list[QueueRow]
    summary: str
    advance: bool = False
    focus_item: int | None = None  # after an undo: go back to this item
    prepared: ShownItem | None = None  # the next item, read after the commit
    moved: tuple[str, str] | None = None  # a plain status change: (old, new) status


@dataclass
class DecisionFailed(Message):
    """A decision was not saved; ``stale`` when someone else changed the item first."""

    item_id: int | None
    what: str
    error: str
    stale: bool = False
    severity: str = "error"


@dataclass
class DashboardLoaded(Message):
    board: Dashboard


@dataclass
class LoadFailed(Message):
    what: str  # "the queue", "item #12", ...
    error: str


@dataclass
class ProvenanceLoaded(Message):
    item_id: int
    report: Any  # core.provenance.model.ProvenanceReport


@dataclass
class ColleaguesChanged(Message):
    """Others committed these changes (oldest first) while this app was open."""

    changes: list[Change]


@dataclass
class SprintLoaded(Message):
    overview: SprintOverview
    figures: Figures
