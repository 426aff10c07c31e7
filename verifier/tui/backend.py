"""What the review UI asks of the workspace, as plain blocking calls for worker threads.

Each write is its own transaction, committed before the call returns, and goes through the
same domain functions as the command line (``review.decisions``, ``cities.decisions``),
so the review log is complete whichever way a decision was made; a deadlock or
serialisation failure is retried (``core.concurrency``). ``colleague_changes`` waits for
what others commit (LISTEN/NOTIFY on PostgreSQL, ``PRAGMA data_version`` on SQLite).
No Textual import here.

The matcher (and numpy with it) and the modules of the other screens are imported where
they are used: the review UI draws its first item without them, and builds the matcher
in a worker afterwards (``shown_item(..., candidates_now=False)``, ``with_candidates``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from db.models import Role
from db.notify import ChangeWaiter
from verifier.config import Settings
from verifier.core.concurrency import with_retries
from verifier.core.eventlog.feed import Change, changes_since, latest_seq
from verifier.core.people.identity import Identity, resolve_identity
from verifier.core.people.roles import roles_changed
from verifier.core.qa.blind import blind_view
from verifier.core.qa.reviews import blind_items, item_qa
from verifier.core.review import queue
from verifier.core.review.filter_choices import FilterChoices, filter_choices
from verifier.core.review.itemview import ItemView, load_item_view, with_candidates
from verifier.core.review.progress import Counts, Dashboard, scope_counts
from verifier.core.review.queue import Page, QueueFilter, QueueRow
from verifier.core.workspace import Workspace, resolve_edition
from verifier.presentation.item_qa import blind_notice, qa_section
from verifier.presentation.itemrender import Pane, ShownItem, shown_item
from verifier.tui.backend_qa import QaCalls

if TYPE_CHECKING:  # loaded where used: none of them serves the first item
    from verifier.core.cities.search import CityHit
    from verifier.core.evidence.passage import Passage
    from verifier.core.matching import Matcher


@dataclass(frozen=True)
class EditionInfo:
    id: int
    code: str
    name: str
    name_ar: str


class ReviewBackend(QaCalls):
    """One workspace, one edition, one reviewer (the QA and sprint calls: ``QaCalls``)."""

    def __init__(
        self, workspace: Workspace, edition: EditionInfo, identity: Identity, page_size: int
    ):
        self.workspace = workspace
        self.edition = edition
        self.identity = identity
        self.user = identity.name
        self.page_size = page_size
        self._matcher: Matcher | None = None
        self._matcher_lock = threading.Lock()
        self._seen_seq: int | None = None
        self._own_events: set[int] = set()  # written by this app: not a colleague's
        # Held from a write's start until its events are in _own_events, and while the
        # watcher reads the log: it never sees this app's commit before knowing it as own.
        self._own_lock = threading.Lock()
        self._blind: dict[int, str | None] | None = None

    @classmethod
    def open(
        cls, settings: Settings, db_url: str | None, user: str | None, edition: str | None
    ) -> ReviewBackend:
        """Open and check the workspace; raises VerifierError with what to do when it cannot."""
        workspace = Workspace(db_url or settings.db, lock_timeout=settings.lock_timeout)
        try:
            workspace.check_schema()
            with workspace.reading() as session:
                found = resolve_edition(session, edition or settings.edition)
                assert found.id is not None
                info = EditionInfo(found.id, found.code, found.name, found.name_ar)
            identity = resolve_identity(workspace, user or settings.user)
        except BaseException:
            workspace.close()
            raise
        return cls(workspace, info, identity, settings.page_size)

    def close(self) -> None:
        self.workspace.close()

    @property
    def read_only(self) -> bool:
        """Whether this reviewer only reads (an analyst): decisions, notes and cities are
        refused before anything is asked, not after the answer is typed."""
        return self.identity.role is Role.ANALYST

    def refresh_role(self) -> None:
        """Read this reviewer's role again (one read): a lead may have changed it since the
        UI opened. Called when the role is about to refuse something, or the workspace has
        just refused it, never per decision. If it cannot be read, the one known stays:
        the next write is checked by the domain, and in team mode by PostgreSQL, anyway."""
        roles_changed()  # the roles looked up so far may be another process's past
        try:
            self.identity = resolve_identity(self.workspace, self.identity.name)
        except Exception:  # a refresh that fails changes nothing
            return

    # Colleagues ------------------------------------------------------------------------

    def change_waiter(self) -> ChangeWaiter:
        """For the one thread that waits for colleagues (it must also close it)."""
        return ChangeWaiter(self.workspace.engine)

    def colleague_changes(
        self, waiter: ChangeWaiter, timeout: float, *, catch_up: bool = False
    ) -> list[Change]:
        """Wait up to ``timeout`` seconds for commits by others; what they changed since
        the last call, or since the first page was read (``page_around`` marks where the
        log stood then; without it, the first call only marks it). ``catch_up``: the
        waiter's first call, once the first item is drawn: start listening, then read what
        came since the mark without waiting."""
        if self._seen_seq is None:
            with self.workspace.reading() as session:
                self._seen_seq = latest_seq(session)
        changed = waiter.wait(0 if catch_up else timeout)
        if not changed and not catch_up:
            return []
        with self._own_lock, self.workspace.reading() as session:
            changes = changes_since(session, self.edition.id, self._seen_seq)
            if changes:
                self._seen_seq = changes[-1].seq
            return [c for c in changes if c.event_id not in self._own_events]

    def _write(
        self, work: Callable[[Any], Any], own: Callable[[Any], Iterable[int | None]] | None = None
    ) -> Any:
        """One decision: its own transaction, retried when that is safe. The ids of the
        events it wrote (``own`` of its result; by default the result's events) are noted
        as this app's under the lock the watcher reads under: read between the commit and
        the noting, this reviewer's decision would pass for a colleague's."""
        with self._own_lock:
            result = with_retries(self.workspace, work)
            ids = own(result) if own is not None else _event_ids(result)
            self._own_events.update(i for i in ids if i is not None)
        return result

    # Reading ---------------------------------------------------------------------------

    @property
    def matcher(self) -> Matcher:
        """The edition's matcher, built once: candidates for every item come from it."""
        from verifier.core.cities.automatic import edition_matcher

        with self._matcher_lock:
            if self._matcher is None:
                with self.workspace.reading() as session:
                    self._matcher = edition_matcher(session, self.edition.id)
            return self._matcher

    def forget_matcher(self) -> None:
        """After a city decision: the label may have become an alias, so rebuild."""
        with self._matcher_lock:
            self._matcher = None

    # Pages come back without counts (they may need a full scan): ``offset_of`` and
    # ``scope_counts`` fill them in afterwards, off the path to the first item shown.

    # Each page is read with the items QA samples give this reviewer (shown blind in it),
    # in one read session: on PostgreSQL a session costs round trips of its own.

    def page_around(self, flt: QueueFilter, item_id: int | None) -> Page:
        with self.workspace.reading() as session:
            if self._seen_seq is None:  # colleagues' changes are read from here on
                self._seen_seq = latest_seq(session)
            self._blind = blind_items(session, self.edition.id, self.user)
            return queue.page_around(
                session, self.edition.id, flt, item_id, self.page_size, counted=False
            )

    def page_after(self, flt: QueueFilter, after_id: int) -> Page:
        with self.workspace.reading() as session:
            self._blind = blind_items(session, self.edition.id, self.user)
            return queue.page_after(
                session, self.edition.id, flt, after_id, self.page_size, counted=False
            )

    def page_before(self, flt: QueueFilter, before_id: int) -> Page:
        with self.workspace.reading() as session:
            self._blind = blind_items(session, self.edition.id, self.user)
            return queue.page_before(
                session, self.edition.id, flt, before_id, self.page_size, counted=False
            )

    def offset_of(self, flt: QueueFilter, item_id: int) -> int:
        """How many filtered items come before ``item_id``."""
        with self.workspace.reading() as session:
            return queue.count_before(session, self.edition.id, flt, item_id)

    def locate(self, flt: QueueFilter, item_id: int) -> str:
        """Where item ``item_id`` is: "inside" the filter, "outside" it, or "missing"."""
        with self.workspace.reading() as session:
            found = queue.contains(session, self.edition.id, flt, item_id)
        return "missing" if found is None else "inside" if found else "outside"

    def rows(self, ids: list[int]) -> list[QueueRow]:
        with self.workspace.reading() as session:
            return queue.rows_by_id(session, self.edition.id, ids)

    def item_view(self, item_id: int) -> ItemView:
        matcher = self.matcher
        with self.workspace.reading() as session:
            return load_item_view(session, item_id, matcher)

    def passage(self, item_id: int, page: int | None = None) -> Passage:
        """The item's stored document at ``page``, else at its quote (the document pane)."""
        from verifier.core.evidence.passage import item_passage

        with self.workspace.reading() as session:
            return item_passage(session, item_id, page)

    def shown_item(
        self,
        item_id: int,
        width: int,
        bidi: bool,
        pane: Pane = "item",
        *,
        candidates_now: bool = True,
    ) -> ShownItem:
        """The item view, laid out for the panel (off the UI's thread). An item a QA sample
        gave this reviewer is shown blind: without its first decision.

        ``candidates_now=False``: if the matcher is not built yet, the item comes without
        its city candidates rather than wait for it (``with_candidates`` adds them)."""
        blind = item_id in self.blind
        now = candidates_now or self._matcher is not None
        matcher = self.matcher if now else None
        with self.workspace.reading() as session:  # one read session: fewer round trips
            view = load_item_view(session, item_id, matcher, candidates=now)
            facts = None if blind else item_qa(session, item_id)
        if blind:
            notice = blind_notice(self.blind.get(item_id))
            return shown_item(blind_view(view), width, bidi, pane, (notice,))
        extra = (qa_section(facts, bidi),) if facts else ()
        return shown_item(view, width, bidi, pane, extra)

    def with_candidates(self, shown: ShownItem) -> ShownItem:
        """``shown``, read without its city candidates, with them: laid out again as it was
        (the matcher is built here the first time)."""
        matcher = self.matcher
        with self.workspace.reading() as session:
            view = with_candidates(session, shown.view, matcher)
        return shown_item(view, shown.width, shown.bidi, shown.pane, shown.extra)

    def after_decision(
        self,
        changed: list[int],
        ahead: ShownItem | None,
        width: int,
        bidi: bool,
        pane: Pane = "item",
    ) -> tuple[list[QueueRow], ShownItem | None]:
        """The queue rows of the items a decision ``changed``, and ``ahead`` (an item read
        in advance) if it still shows the truth: same version, same layout, and none of its
        peers among the items changed. One statement: the item ahead's row is read with the
        others for its version (on PostgreSQL each read is a round trip or three)."""
        usable = (
            ahead is not None
            and (ahead.width, ahead.bidi, ahead.pane) == (width, bidi, pane)
            and not {sibling.id for sibling in ahead.view.siblings} & set(changed)
        )
        wanted = list(dict.fromkeys([*changed, *([ahead.view.id] if usable and ahead else [])]))
        rows = self.rows(wanted) if wanted else []
        kept = None
        if usable and ahead is not None:
            version = next((row.version for row in rows if row.id == ahead.view.id), None)
            kept = ahead if version == ahead.view.version else None
        return [row for row in rows if row.id in changed], kept

    def scope_counts(self, flt: QueueFilter) -> Counts:
        with self.workspace.reading() as session:
            return scope_counts(session, self.edition.id, flt)

    def dashboard(self) -> Dashboard:
        from verifier.core.publishing.dashboard import review_dashboard

        with self.workspace.reading() as session:
            return review_dashboard(session, self.edition.id)

    def filter_choices(self) -> FilterChoices:
        with self.workspace.reading() as session:
            return filter_choices(session, self.edition.id)

    def search_cities(self, text: str) -> list[CityHit]:
        from verifier.core.cities.search import search_cities

        return search_cities(self.matcher, text)

    # Deciding: each call is one committed transaction ---------------------------------------

    def set_status(
        self, item_id: int, status: str, version: int, note: str = "", reason: str = ""
    ) -> None:
        from verifier.core.review import decisions  # see deferred.py

        self._write(
            lambda session: decisions.set_status(
                session,
                item_id,
                status,
                self.user,
                note=note,
                reason=reason,
                expected_version=version,
            )
        )

    def add_note(self, item_id: int, note: str) -> None:
        from verifier.core.review import decisions

        self._write(lambda session: decisions.add_note(session, item_id, self.user, note))

    def set_city(self, item_id: int, city_id: str, version: int) -> None:
        from verifier.core.cities import decisions as city_decisions

        self._write(
            lambda session: city_decisions.set_item_city(
                session, item_id, city_id, self.user, expected_version=version
            )
        )
        self.forget_matcher()

    def confirm_label(self, item_id: int, city_id: str, version: int) -> list[int]:
        from verifier.core.cities import decisions as city_decisions

        events = self._write(
            lambda session: city_decisions.confirm_label(
                session, item_id, city_id, self.user, expected_version=version
            )
        )
        self.forget_matcher()
        return [e.item_id for e in events if e.item_id is not None]

    def undo(self) -> list[tuple[int, str]]:
        """Undo the reviewer's last decision; returns (item id, what was undone) pairs."""
        from verifier.core.review import decisions

        undos = self._write(
            lambda session: decisions.undo_last(session, self.edition.id, self.user)
        )
        done = [(e.item_id, str(e.payload.get("undone_action", ""))) for e in undos]
        self.forget_matcher()
        return [(item_id, action) for item_id, action in done if item_id is not None]


def _event_ids(events: Any) -> list[int | None]:
    """The ids of a write's event, or of its list of events."""
    return [event.id for event in (events if isinstance(events, list) else [events])]
