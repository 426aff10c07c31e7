"""What the matcher keeps while it scores: the forms a query is looked up by, and the best
hit found so far for each city."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from verifier.core.matching.forms import NameForm


@dataclass(frozen=True)
class QueryForm:
    """A form to look up for a query: one of its own readings, or a spelling its exonym
    group lends it (then only cities of the group's country may use it)."""

    form: NameForm
    exonym_country: str | None = None
    via: str = ""
    # How closely the query matched the listed spelling that lent this form (1: the same).
    similarity: float = 1.0


class Hit(NamedTuple):
    """The best match found so far for one city: its score and what produced it."""

    score: float
    record_id: int
    query_form: QueryForm | None  # None: the whole label is one of the city's names
    name_form: NameForm | None  # the record's form, or one word of it (partial.py)
    # The learned transliteration similarity of the pair (0-100), when it was computed, and
    # what blending it in changed in the score (rescoring.py).
    learned: float | None = None
    learned_delta: float = 0.0

    @property
    def cross_script(self) -> bool:
        return (
            self.query_form is not None
            and self.name_form is not None
            and self.query_form.form.script != self.name_form.script
        )
