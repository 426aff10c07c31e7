"""The number parser's edges that mutation testing found unchecked.

Each refusal is checked with its whole message (what the reviewer reads), and each reading
rule at its edge: group widths of exactly 1 and 3 digits before the first separator, the
apostrophe as a group separator, a scale word followed by a unit of several words, a scale
word written with a full stop, and a scale word before the number (not a scale there).
"""

from __future__ import annotations

import pytest

from verifier.core.numbers import (
    ParsedValue,
    ValueParseError,
    is_plain_number,
    normalise_numeric_text,
    parse_value,
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5\u200b0", "'5\u200b0' has an invisible character inside the number"),
        ("~40", "'~40' is a bound or an approximation, not a value"),
        ("(3.2)", "'(3.2)' is in parentheses (negative? a note?): write it plainly"),
        ("10-15", "'10-15' is a range, not a single value"),
        ("high", "'high' contains no number"),
        ("45 and 50", "'45 and 50' contains several numbers"),
        ("1,23,4", "'1,23,4' has misplaced thousands separators"),
        ("1234,567", "'1234,567' has misplaced thousands separators"),
        ("1,23,456", "'1,23,456' has misplaced thousands separators"),  # lakh grouping
        ("1,2345.6", "'1,2345.6' has misplaced thousands separators"),
        ("1,234.5.6", "'1,234.5.6' is not a well-formed number"),
        ("%45 Mbps", "'%45 Mbps' has text on both sides of the number"),
        ("rate % 45", "'rate % 45' has text beside the percent sign"),  # % ending a side
        ("1,234.5", "'1,234.5' is not a well-formed number"),  # under decimal_comma below
        ("1.23.4", "'1.23.4' has misplaced thousands separators"),  # the same
        ("45% of homes", "'45% of homes' has text beside the percent sign"),
        ("45 % X", "'45 % X' has text beside the percent sign"),
        ("city 45 Mbps", "'city 45 Mbps' has text on both sides of the number"),
        ("9" * 400, f"'{'9' * 400}' is too large to be a value"),
        ("9" * 300 + " bn", f"'{'9' * 300} bn' is too large to be a value"),  # after scaling
    ],
)
def test_each_refusal_says_why_in_full(text: str, message: str) -> None:
    decimal_comma = text in ("1,234.5", "1.23.4")
    with pytest.raises(ValueParseError) as refused:
        parse_value(text, decimal_comma=decimal_comma)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("1'234'567", 1234567.0, ""),  # apostrophes group thousands (Swiss style)
        ("123,456", 123456.0, ""),  # three digits before the first group separator
        ("1,234", 1234.0, ""),  # one digit before it
        ("12,345.5", 12345.5, ""),
        ("+7", 7.0, ""),
        ("3 million cubic metres", 3e6, "cubic metres"),  # the unit keeps all its words
        ("3 bn.", 3e9, ""),  # a scale word with a full stop
        ("2 Million", 2e6, ""),  # scale words in any case
        ("million 3", 3.0, "million"),  # before the number it is not a scale
        (" n/a ", None, ""),  # spaces around a "no data" word
        ("N.A.", None, ""),
        ("45 %", 45.0, "%"),
    ],
)
def test_reading_rules_at_their_edges(text: str, number: float | None, unit: str) -> None:
    assert parse_value(text) == ParsedValue(number, unit)


def test_a_plain_number_under_decimal_comma_still_goes_through_the_conventions() -> None:
    # The fast path is only for decimal-point sources: "1.234" is 1234 in a French source.
    assert parse_value("1.234", decimal_comma=True) == ParsedValue(1234.0, "")
    assert parse_value("0,250", decimal_comma=True) == ParsedValue(0.25, "")
    assert parse_value("0,250") == ParsedValue(250.0, "")
    assert parse_value("-12", decimal_comma=True) == ParsedValue(-12.0, "")


def test_plain_numbers_are_recognised_exactly() -> None:
    assert is_plain_number("-12.5")
    assert is_plain_number("7")
    assert not is_plain_number("12.")
    assert not is_plain_number("1,234")
    assert not is_plain_number(" 12")


def test_normalising_maps_digits_and_separators_and_trims() -> None:
    assert normalise_numeric_text(" \u200f١٬٢٣٤٫٥\u066a ") == "1,234.5%"
    assert normalise_numeric_text("۱۲\u2212٣") == "12-3"
    assert normalise_numeric_text("\uff14\uff15") == "45"  # fullwidth digits, by NFKC
