"""Reviewer names: one spelling per person, and no name that looks like another's.

A name is NFKC-normalised (fullwidth ``ｒａｎｉａ`` is ``rania``) and refused when it holds
anything invisible or direction-changing: controls, format characters (bidi overrides,
zero-width spaces and joiners), blank letters such as U+3164, spaces. Two names are
confusable when their Unicode confusables skeletons (UTS #39, computed by ICU's spoof
checker) agree ignoring case: ``rаnia`` with a Cyrillic а is ``rania``, ``0mar`` is ``omar``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from verifier.core.errors import InvalidActionError

MAX_LENGTH = 63  # PostgreSQL's limit for a login name
# Letters and symbols that draw as nothing (they are not in the categories refused below).
# Combining marks are allowed (Arabic harakat, accents), except those that draw nothing.
_BLANK = frozenset("\u115f\u1160\u2800\u3164\uffa0\u180e\u034f\u17b4\u17b5\u180b\u180c\u180d")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


def normalise_name(raw: str) -> str:
    """The name as stored, or InvalidActionError saying which character is refused."""
    name = unicodedata.normalize("NFKC", raw).strip()
    if not name:
        raise InvalidActionError("a reviewer name cannot be empty")
    for position, char in enumerate(name, start=1):
        category = unicodedata.category(char)
        if (
            category in _REFUSED_CATEGORIES
            or char in _BLANK
            or 0xFE00 <= ord(char) <= 0xFE0F
            or 0xE0100 <= ord(char) <= 0xE01EF
        ):
            label = unicodedata.name(char, f"U+{ord(char):04X}")
            raise InvalidActionError(
                f"reviewer name {raw!a}: character {position} is U+{ord(char):04X} "
                f"{label}, which is invisible, a control or a space; names are visible "
                "characters only"
            )
    if len(name) > MAX_LENGTH:
        raise InvalidActionError(f"a reviewer name has at most {MAX_LENGTH} characters")
    return name


@lru_cache(maxsize=1)
def _checker() -> object:
    import icu

    return icu.SpoofChecker()


def skeleton(name: str) -> str:
    """The UTS #39 confusables skeleton of the normalised name, case-folded."""
    checker = _checker()
    folded: str = checker.getSkeleton(0, unicodedata.normalize("NFKC", name))  # type: ignore[attr-defined]
    return folded.casefold()


def confusable_with(name: str, others: Iterable[str]) -> str | None:
    """An existing name (other than ``name`` itself) that looks like ``name``, if any."""
    mine = skeleton(name)
    for other in others:
        if other != name and skeleton(other) == mine:
            return other
    return None


def close_matches(name: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """Registered names that ``name`` is probably a typo of, closest first."""
    from rapidfuzz import fuzz, process  # only when a name is unknown: not at every start

    choices = list(known)
    found = process.extract(
        name.casefold(),
        [c.casefold() for c in choices],
        scorer=fuzz.WRatio,
        limit=limit,
        score_cutoff=75,
    )
    return [choices[index] for _, _, index in found]
