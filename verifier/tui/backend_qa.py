"""What the QA and sprint screens ask of the workspace: blind second reviews, a lead's
adjudication, and the sprint board. Mixed into ``ReviewBackend``, which provides the
workspace, the edition, the reviewer and the write path. No Textual import here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from verifier.core.qa.blind import blind_view
from verifier.core.qa.reviews import blind_items, record_second_review
from verifier.core.review import queue
from verifier.core.review.itemview import ItemView
from verifier.core.review.queue import QueueFilter
from verifier.core.workspace import Workspace

if TYPE_CHECKING:  # the others are loaded where used: none of them serves the first item
    from verifier.core.qa.figures import Figures
    from verifier.core.review.sprint_steering import SprintOverview
    from verifier.tui.backend import EditionInfo


class QaCalls:
    """The QA and sprint calls of ``ReviewBackend``."""

    # Provided by ReviewBackend.
    workspace: Workspace
    edition: EditionInfo
    user: str
    _blind: dict[int, str | None] | None

    def _write(
        self, work: Callable[[Any], Any], own: Callable[[Any], Iterable[int | None]] | None = None
    ) -> Any:
        raise NotImplementedError

    def item_view(self, item_id: int) -> ItemView:
        raise NotImplementedError

    # Blind second reviews and adjudication ---------------------------------------------

    @property
    def blind(self) -> dict[int, str | None]:
        """Items QA samples gave this reviewer (blind), with their own second decision."""
        if self._blind is None:
            self.refresh_blind()
        assert self._blind is not None
        return self._blind

    def refresh_blind(self) -> None:
        with self.workspace.reading() as session:
            self._blind = blind_items(session, self.edition.id, self.user)

    def qa_reviewed(self, flt: QueueFilter) -> tuple[int, int]:
        """(reviewed by me, drawn for me) within the blind queue's filter."""
        with self.workspace.reading() as session:
            ids = set(queue.item_ids(session, self.edition.id, flt))
        self.refresh_blind()
        mine = {i: s for i, s in self.blind.items() if i in ids}
        return sum(1 for s in mine.values() if s is not None), len(mine)

    def blind_item_view(self, item_id: int) -> ItemView:
        """The item without its first decision (for the provenance screen)."""
        return blind_view(self.item_view(item_id))

    def qa_review(self, item_id: int, status: str, note: str = "", reason: str = "") -> None:
        self._write(
            lambda session: record_second_review(
                session, item_id, status, self.user, note=note, reason=reason
            ),
            own=lambda review: [review.event_id],
        )
        self.refresh_blind()

    def adjudicate(self, item_id: int, status: str, reason: str, version: int) -> None:
        from verifier.core.qa.adjudication import adjudicate

        self._write(
            lambda session: adjudicate(
                session, item_id, status, self.user, reason, expected_version=version
            ),
            own=lambda verdict: [verdict.event_id, verdict.status_event_id],
        )

    # Sprints --------------------------------------------------------------------------

    def sprint_names(self) -> list[str]:
        from verifier.core.review.sprints import current_sprint_line, list_sprints

        with self.workspace.reading() as session:
            current = current_sprint_line(session, self.edition.id)
            names = [line.name for line in list_sprints(session, self.edition.id)]
        if current is not None:
            names.remove(current.name)
            names.insert(0, current.name)
        return names

    def sprint_board(self, name: str) -> tuple[SprintOverview, Figures]:
        from verifier.core.qa.sprint import sprint_figures
        from verifier.core.review.sprint_steering import sprint_overview

        with self.workspace.reading() as session:
            overview = sprint_overview(session, self.edition.id, name)
            return overview, sprint_figures(session, self.edition.id, overview.sprint.id)

    def reassign(
        self, sprint: str, from_reviewer: str, to: list[str], split: str
    ) -> dict[str, int]:
        from verifier.core.review.sprint_reassign import reassign_remaining
        from verifier.core.review.sprints import SplitStrategy

        with self.workspace.session() as session:
            return reassign_remaining(
                session, self.edition.id, sprint, from_reviewer, to, self.user,
                SplitStrategy(split),
            )  # fmt: skip
