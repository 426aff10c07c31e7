"""A lead's adjudication of a disagreement between a first and a second decision. The
verdict goes through the normal status change (``review.decisions.set_status``, with its
event) when it changes the item; the adjudication is an event of its own either way."""

from __future__ import annotations

from sqlmodel import Session

from db.models import QaAdjudication, Role
from db.types import utcnow
from verifier.core.errors import InvalidActionError, NotFoundError, PermissionDeniedError
from verifier.core.eventlog.append import record_event
from verifier.core.items import load_item
from verifier.core.people.roles import require_role
from verifier.core.qa.reviews import ItemQa, check_qa_status, item_qa
from verifier.core.review.decisions import set_status


def _disputed(session: Session, item_id: int, sample_id: int | None) -> ItemQa:
    views = [v for v in item_qa(session, item_id) if sample_id in (None, v.sample_id)]
    if not views:
        where = f"QA sample {sample_id}" if sample_id is not None else "any QA sample"
        raise NotFoundError(f"item {item_id} is not drawn in {where}")
    waiting = [v for v in views if v.awaiting_adjudication]
    if waiting:
        return waiting[-1]
    view = views[-1]
    if view.second is None:
        raise InvalidActionError(
            f"item {item_id} has no second decision yet (QA sample {view.sample_id})"
        )
    if view.adjudication is not None:
        verdict = view.adjudication
        raise InvalidActionError(
            f"item {item_id} was adjudicated {verdict.status} by {verdict.by} already "
            "(change its status with `verifier item set-status` if needed)"
        )
    raise InvalidActionError(
        f"the first and second decisions on item {item_id} agree "
        f"({view.first_status}): there is nothing to adjudicate"
    )


def adjudicate(
    session: Session,
    item_id: int,
    status: str,
    actor: str,
    reason: str,
    *,
    note: str = "",
    sample_id: int | None = None,
    expected_version: int | None = None,
) -> QaAdjudication:
    """Settle a disagreement: the item gets ``status`` through the normal status change (if it
    differs from its current one), and the verdict is recorded. Leads only, and a third
    person: neither the first nor the second reviewer."""
    check_qa_status(status)
    require_role(session, actor, Role.LEAD, "adjudicating a QA disagreement")
    reason = reason.strip()
    if not reason:
        raise InvalidActionError("an adjudication needs a reason")
    view = _disputed(session, item_id, sample_id)
    assert view.second is not None
    if actor in (view.first_reviewer, view.second.reviewer):
        raise PermissionDeniedError(
            f"{actor} made one of the two decisions on item {item_id}; another lead adjudicates"
        )
    item = load_item(session, item_id, expected_version)
    status_event = None
    if item.status != status:
        status_event = set_status(
            session, item_id, status, actor, note=note, reason=reason,
            expected_version=expected_version,
        )  # fmt: skip
    event = record_event(
        session,
        edition_id=item.edition_id,
        item_id=item_id,
        actor=actor,
        action="qa_adjudicate",
        old_status=item.status,
        new_status=item.status,
        note=note.strip(),
        reason=reason,
        payload={
            "sample_id": view.sample_id,
            "status": status,
            "first_status": view.first_status,
            "second_status": view.second.status,
            "status_event": status_event.id if status_event is not None else None,
        },
    )
    assert event.id is not None
    verdict = QaAdjudication(
        sample_id=view.sample_id,
        item_id=item_id,
        status=status,
        reason=reason,
        adjudicated_by=actor,
        decided_at=item.status_changed_at,
        event_id=event.id,
        status_event_id=status_event.id if status_event is not None else None,
        created_at=utcnow(),
    )
    session.add(verdict)
    session.flush()
    return verdict
