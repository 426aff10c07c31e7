"""What a blind second reviewer may see of an item: everything but the first decision.

``blind_view`` masks the first decision in an item view: its status, who set it and when,
the review history, a lead's conflict resolution (which would tell that the item was
verified) and who confirmed the city.
"""

from __future__ import annotations

from dataclasses import replace

from verifier.core.review.itemview import ItemView

HIDDEN = "hidden"  # the status shown in place of the first decision
NOTICE = (
    "Blind second review: the first decision (its status, who made it, its notes and the "
    "item's history) stays hidden while the item is in your second review."
)


def blind_view(view: ItemView) -> ItemView:
    return replace(
        view,
        status=HIDDEN,
        status_changed_by=None,
        status_changed_at=None,
        match_confirmed_by=None,
        events=[],
        resolution=None,
    )
