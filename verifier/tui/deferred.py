"""What the review UI's first item does not need, loaded once it is shown.

The matcher (numpy, rapidfuzz and the edition's gazetteer) gives the item view its city
candidates; the other modules serve keys pressed later (p, m's search, d, s, ctrl+f).
Loading them before the first item took a fifth or more of the start-up. Now the first
item comes without its candidates, and a worker builds the matcher, adds them, then
imports the rest here, so that those keys answer as fast as before.
``tests/tui/test_first_item.py`` checks that none of these is loaded before the first item
is drawn.
"""

from __future__ import annotations

import importlib

from verifier.tui.backend import ReviewBackend

# The matcher and what imports it, the decisions (v, r, f, m, a, u), then the modules of
# screens and panes opened later (the document pane, e; the provenance, p; dashboard, d;
# sprint, s; filters, ctrl+f) and of a lead's adjudication.
DEFERRED = (
    "numpy",
    "verifier.core.matching",
    "verifier.core.cities.automatic",
    "verifier.core.cities.search",
    "verifier.core.review.decisions",
    "verifier.core.cities.decisions",
    "verifier.core.evidence.passage",
    "verifier.presentation.evidence_pane",
    "verifier.core.publishing.dashboard",
    "verifier.core.qa.adjudication",
    "verifier.core.qa.figures",
    "verifier.core.review.sprint_steering",
    "verifier.core.review.sprint_reassign",
    "verifier.tui.screens.provenance_screen",
    "verifier.tui.screens.dashboard_screen",
    "verifier.tui.screens.sprint_screen",
    "verifier.tui.screens.filter_dialog",
)


def load_deferred(backend: ReviewBackend) -> None:
    """Build the edition's matcher and import the modules above (in a worker thread)."""
    backend.matcher  # noqa: B018  (built on first use)
    for name in DEFERRED:
        importlib.import_module(name)
