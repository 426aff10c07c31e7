"""The queue screen's decisions: verify, reject, flag, note, change the city, confirm a label
for all its items, undo. Each one runs in a worker thread as one committed transaction; the
next item opens only once the decision is saved."""

from __future__ import annotations

from rich.text import Text

from verifier.core.review.item_peers import SAME_LABEL_COUNTED
from verifier.core.review.itemview import ItemView
from verifier.core.review.queue import DECIDED, QueueFilter, QueueRow
from verifier.core.wording import count
from verifier.tui.screens.confirm_dialog import ConfirmDialog
from verifier.tui.screens.decision_writer import DecisionWriter, Outcome
from verifier.tui.screens.match_dialog import MatchDialog
from verifier.tui.screens.text_prompt import TextPrompt


def _label_items(view: ItemView) -> str:
    """The items with this label, counted as far as they are: "the 1 item", "all 3 items"."""
    number = view.same_label_count
    if number >= SAME_LABEL_COUNTED:
        return f"all {number:,}+ items"
    return "the 1 item" if number == 1 else f"all {count(number, 'item')}"


_DOING = {"verified": "Verifying", "rejected": "Rejecting", "flagged": "Flagging"}


class DecisionActions(DecisionWriter):
    """Decision actions of the queue screen (which provides the rows and the item view)."""

    filter: QueueFilter

    # Provided by the queue screen.
    def current_row(self) -> QueueRow | None:
        raise NotImplementedError

    def current_view(self) -> ItemView | None:
        raise NotImplementedError

    def next_item_id(self) -> int | None:
        raise NotImplementedError

    def _ready_row(self) -> QueueRow | None:
        """The row to decide on, unless a decision is still being saved."""
        if self.pending:
            self.app.bell()
            return None
        row = self.current_row()
        if row is None:
            self.app.bell()
        return row

    # Status ---------------------------------------------------------------------------

    def action_verify(self) -> None:
        self._decide("verified")

    def action_reject(self) -> None:
        self._decide("rejected")

    def action_flag(self) -> None:
        self._decide("flagged")

    def _decide(self, status: str) -> None:
        if self._refuse_if_read_only(_DOING[status]):
            return
        row = self._ready_row()
        if row is None:
            return
        if row.id in self.backend.blind:
            self._decide_blind(row, status)
            return
        if self.filter.qa_disputed:
            self._adjudicate(row, status)
            return
        if row.status == status:
            self.app.notify(f"Item #{row.id} is already {status}.", severity="warning")
            return
        overriding = row.status in DECIDED
        if status == "verified" and not overriding:
            self._save_status(row, status, note="", reason="")
            return
        title, explanation = self._question(row, status, overriding)

        def answered(text: str | None) -> None:
            if text is None:
                return
            if status == "flagged" and not overriding:
                self._save_status(row, status, note=text, reason="")
            else:
                self._save_status(row, status, note="", reason=text)

        self.app.push_screen(TextPrompt(title, explanation), answered)

    def _question(self, row: QueueRow, status: str, overriding: bool) -> tuple[str, Text]:
        asks = {
            "rejected": (f"Reject item #{row.id}", "Why is the value wrong or unusable?"),
            "flagged": (f"Flag item #{row.id}", "What is missing or unclear?"),
            "verified": (f"Verify item #{row.id}", "Why does it now check out?"),
        }
        title, question = asks[status]
        explanation = Text(question)
        if overriding:
            who = row.status_changed_by or "someone"  # laid out by the dialog
            explanation = Text.assemble(
                (f"It was {row.status} by ", "yellow"),
                (who, "bold yellow"),
                (". Changing a decision needs a reason, kept in the history. ", "yellow"),
                question,
            )
        return title, explanation

    # QA: a blind second decision, and a lead's adjudication ----------------------------------

    def _decide_blind(self, row: QueueRow, status: str) -> None:
        """The same keys record this reviewer's own second decision; the item is unchanged."""
        before = self.backend.blind.get(row.id)
        if before == status:
            self.app.notify(f"Your second decision on item #{row.id} is already {status}.")
            return
        asks = {
            "rejected": "Why is the value wrong or unusable?",
            "flagged": "What is missing or unclear?",
            "verified": "Why does it now check out?",
        }
        question = asks[status]
        if before is not None:
            question = f"You decided it {before}; changing that needs a reason. {question}"
        elif status == "verified":
            self._save_second(row, status, note="", reason="")
            return

        def answered(text: str | None) -> None:
            if text is None:
                return
            if status == "flagged" and before is None:
                self._save_second(row, status, note=text, reason="")
            else:
                self._save_second(row, status, note="", reason=text)

        title = f"Second review of item #{row.id}: {status}"
        self.app.push_screen(TextPrompt(title, question), answered)

    def _save_second(self, row: QueueRow, status: str, note: str, reason: str) -> None:
        def save() -> Outcome:
            self.backend.qa_review(row.id, status, note=note, reason=reason)
            return Outcome([row.id], f"Second decision on item #{row.id}: {status}.")

        self._write(
            "saving the second decision", row.id, save, advance=True, prepare=self.next_item_id()
        )

    def _adjudicate(self, row: QueueRow, status: str) -> None:
        """A lead settles a disagreement: the status goes through the normal change."""

        def answered(text: str | None) -> None:
            if text is None:
                return

            def save() -> Outcome:
                self.backend.adjudicate(row.id, status, text, row.version)
                return Outcome([row.id], f"Item #{row.id} adjudicated: {status}.")

            self._write("adjudicating", row.id, save, advance=True, prepare=self.next_item_id())

        explanation = "Why is this the right decision? It is kept in the audit trail."
        self.app.push_screen(TextPrompt(f"Adjudicate item #{row.id}: {status}", explanation),
                             answered)  # fmt: skip

    def _refuse_if_read_only(self, doing: str) -> bool:
        """An analyst reads only: say so before a question is asked or a dialog opens."""
        if not self.backend.read_only:
            return False
        self.backend.refresh_role()  # promoted since the UI opened?
        if not self.backend.read_only:
            return False
        user = self.backend.user
        self.app.notify(
            f"{doing} needs the assistant role; '{user}' is an analyst and only reads.",
            severity="warning",
            markup=False,  # the name is data
        )
        return True

    def _refuse_if_blind(self) -> bool:
        row = self.current_row()
        if row is not None and row.id in self.backend.blind:
            self.app.notify(
                "A blind second review leaves the item as it is: record what you find with "
                "v, r or f (a reason or note says what is wrong).",
                severity="warning",
            )
            return True
        return False

    def _save_status(self, row: QueueRow, status: str, note: str, reason: str) -> None:
        def save() -> Outcome:
            self.backend.set_status(row.id, status, row.version, note=note, reason=reason)
            # Decided on row.version, so the status it had is row.status, exactly.
            return Outcome([row.id], moved=(row.status, status))

        self._write("saving the decision", row.id, save, advance=True, prepare=self.next_item_id())

    # Notes and cities ---------------------------------------------------------------------

    def action_note(self) -> None:
        if self._refuse_if_read_only("Adding a note"):
            return
        row = self._ready_row()
        if row is None:
            return

        def answered(text: str | None) -> None:
            if text:
                self._write(
                    "saving the note",
                    row.id,
                    lambda: self._note(row.id, text),
                    advance=False,
                )

        self.app.push_screen(TextPrompt(f"Note on item #{row.id}", "Your note:"), answered)

    def _note(self, item_id: int, text: str) -> Outcome:
        self.backend.add_note(item_id, text)
        return Outcome([item_id], f"Note added to item #{item_id}.")

    def _loaded_view(self) -> ItemView | None:
        row = self._ready_row()
        view = self.current_view()
        if row is None:
            return None
        if view is None or view.id != row.id:
            self.app.notify("The item is still loading; try again in a moment.")
            return None
        return view

    def _candidates_ready(self, view: ItemView) -> bool:
        """The city dialog lists the candidates: not before they are found."""
        if view.candidates_pending:
            self.app.notify("The city candidates are still being found; try again in a moment.")
        return not view.candidates_pending

    def action_match(self) -> None:
        if self._refuse_if_read_only("Changing the city") or self._refuse_if_blind():
            return
        view = self._loaded_view()
        if view is None or not self._candidates_ready(view):
            return
        version = self.current_row().version if self.current_row() else view.version  # type: ignore[union-attr]

        def chosen(city_id: str | None) -> None:
            if city_id is None:
                return

            def save() -> Outcome:
                self.backend.set_city(view.id, city_id, version)
                return Outcome([view.id], f"Item #{view.id} is now {city_id}.")

            self._write("changing the city", view.id, save, advance=False)

        dialog = MatchDialog(self.backend, view, self._bidi(), "City for")
        self.app.push_screen(dialog, chosen)

    def action_confirm_label(self) -> None:
        if self._refuse_if_read_only("Confirming a city") or self._refuse_if_blind():
            return
        view = self._loaded_view()
        if view is None:
            return
        city_id = view.city_id or view.suggested_city_id
        if city_id is not None:
            self._confirm_for_label(view, city_id)
            return

        if not self._candidates_ready(view):
            return

        def chosen(picked: str | None) -> None:
            if picked is not None:
                self._confirm_for_label(view, picked)

        dialog = MatchDialog(self.backend, view, self._bidi(), "City for every item labelled")
        self.app.push_screen(dialog, chosen)

    def _confirm_for_label(self, view: ItemView, city_id: str) -> None:
        row = self.current_row()
        version = row.version if row is not None and row.id == view.id else view.version
        question = Text.assemble(
            "Set the city ",
            (city_id, "bold"),
            f" for {_label_items(view)} labelled ",
            (view.raw_label, "bold yellow"),  # in logical order: the dialog lays it out
            f" (country hint {view.country_hint or 'none'})? Undo reverts them together.",
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            def save() -> Outcome:
                changed = self.backend.confirm_label(view.id, city_id, version)
                confirmed = count(len(changed), "item")
                return Outcome(changed, f"City {city_id} confirmed for {confirmed}.")

            self._write("confirming the label", view.id, save, advance=False)

        self.app.push_screen(ConfirmDialog("Same label, same city", question), answered)

    # Undo ------------------------------------------------------------------------------

    def action_undo(self) -> None:
        if self.pending:
            self.app.bell()
            return
        if self.filter.qa_for:
            # Undo reverts the reviewer's last status or city decision, which here would be
            # one on an item outside this queue, changed unseen.
            self.app.notify(
                "u does not undo a second review: to change your second decision, decide "
                "again with v, r or f (a reason is asked). Your other decisions are undone "
                "from the normal queue.",
                severity="warning",
            )
            return

        def undo() -> Outcome:
            undone = self.backend.undo()
            ids = [item_id for item_id, _ in undone]
            kinds = sorted({action or "decision" for _, action in undone})
            what = " and ".join(kinds)
            where = f"item #{ids[0]}" if len(ids) == 1 else f"{len(ids):,} items"
            return Outcome(ids, f"Undone: your last {what} decision on {where}.", ids[0])

        self._write("undoing", None, undo, advance=False)
