"""The output-safety policy's quick ways for common cells give exactly what the general way
gives: printable ASCII laid out, a formula's first character, flat JSON objects."""

from __future__ import annotations

import itertools
import unicodedata

from tests.safety.hostile import BIDI, C1, CSI, FORMULAS, MARKUP, OSC, hostile
from verifier.core.safe_output import JsonObjects, Memo, json_text, json_value, would_be_formula
from verifier.presentation.display import layout, shown

HOSTILE_VALUES = [
    "",
    "plain",
    "  two  spaces  ",
    "الرياض",
    "Ar Riyāḑ",
    MARKUP,
    OSC,
    CSI,
    C1,
    BIDI,
    *FORMULAS,
    hostile("value"),
    'a "quote" and \\ a backslash',
    "\u2028\u2029\ud800",
    "tab\tand\nnewline",
]


def test_printable_ascii_is_shown_as_the_layout_shows_it() -> None:
    printable = [chr(c) for c in range(0x20, 0x7F)]
    texts = ["".join(p) for p in itertools.product(printable, " ", printable)]
    texts += [" a  b ", "   ", "=1", " =1", "[b]x[/b]", *HOSTILE_VALUES]
    for text in texts:
        for bidi in (True, False):
            assert shown(text, bidi=bidi) == layout(text, bidi=bidi).text, repr(text)


def test_a_visible_ascii_first_character_is_a_formula_only_when_it_is_a_sign() -> None:
    for code in range(0x21, 0x7F):
        first = chr(code)
        assert would_be_formula(first + "1") == (first in "=+-@")
        # The rule the quick answer stands for: a visible character, compared folded.
        assert unicodedata.category(first)[0] not in "ZC"
        assert (unicodedata.normalize("NFKC", first) in "=+-@") == (first in "=+-@")
    for text in (" =1", "\u200e=1", "\u00a0+1", "\uff1d1", "\t=1", "\u3164-1"):
        assert would_be_formula(text), repr(text)


def test_flat_json_objects_are_written_as_json_text_writes_them() -> None:
    values: list[object] = [*HOSTILE_VALUES, None, True, False, 0, 1, -7, 10**30, 1.5,
                            float("nan"), float("inf"), [1, OSC], {"k": C1}]  # fmt: skip
    for keys in (["id", "status", "note"], ["a", "a"], [], [OSC, "é"], ["x"]):
        objects = JsonObjects(keys)
        for row in itertools.product(values, repeat=min(len(keys), 2)):
            full = [*row, *([None] * (len(keys) - len(row)))]
            expected = json_text(json_value(dict(zip(keys, full, strict=True))), default=str)
            assert objects.text(full) == expected, full


def test_a_memo_holds_at_most_its_limit() -> None:
    made: list[str] = []

    def make(text: str) -> str:
        made.append(text)
        return text.upper()

    memo = Memo(make, limit=2)
    assert [memo[t] for t in ("a", "b", "a", "c", "c", "b")] == ["A", "B", "A", "C", "C", "B"]
    assert len(memo) == 2 and made == ["a", "b", "c", "c"]
