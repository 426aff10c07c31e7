"""Values as Arabic and English sources write them."""

from __future__ import annotations

import pytest

from verifier.core.numbers import ValueParseError, parse_value


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("95.3", 95.3, ""),
        ("٩٥٫٣", 95.3, ""),  # Arabic-Indic digits, Arabic decimal separator
        ("١٬٢٣٤٬٥٦٧", 1234567, ""),  # Arabic thousands separator
        ("۱۲۳", 123, ""),  # Persian digits
        ("1,234,567.5", 1234567.5, ""),
        ("45%", 45, "%"),
        ("45 %", 45, "%"),
        ("٤٥٪", 45, "%"),
        ("%45", 45, "%"),  # percent written first, as in some Arabic text
        ("٪٤٥", 45, "%"),
        ("45 Mbps", 45, "Mbps"),
        ("٤٥ ميغابت/ث", 45, "ميغابت/ث"),
        ("1.2 million", 1_200_000, ""),
        ("٣٫٤ مليون", 3_400_000, ""),
        ("2 مليار", 2e9, ""),
        ("-3.2", -3.2, ""),
        ("−3.2", -3.2, ""),  # U+2212 minus sign
        ("\u061c-٣٫٢", -3.2, ""),  # CLDR Arabic minus: ALM then hyphen
        ("\u200f٩٥٫٣\u200f", 95.3, ""),  # bidi marks from copy and paste
        ("12,5", 12.5, ""),  # a lone comma before other than 3 digits is a decimal comma
    ],
)
def test_values_as_sources_write_them(text: str, number: float, unit: str) -> None:
    parsed = parse_value(text)
    assert parsed.number == pytest.approx(number)
    assert parsed.unit == unit


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),  # no-break space groups thousands
        ("1.234,5", 1234.5),
        ("1.234", 1234),  # a dot before three digits groups thousands
        ("26.5", 26.5),  # a lone dot before other than three digits is a decimal point
        ("٢٦٫٥", 26.5),  # Arabic separators say which is which, whatever the language
    ],
)
def test_french_sources_use_a_decimal_comma(text: str, number: float) -> None:
    assert parse_value(text, decimal_comma=True).number == pytest.approx(number)


@pytest.mark.parametrize("text", ["", "n/a", "N/A", "-", "—", "..", "غير متوفر", "غير متاح"])
def test_missing_is_none_never_zero(text: str) -> None:
    parsed = parse_value(text)
    assert parsed.number is None
    assert parsed.missing


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("10-15", "range"),
        ("١٠–١٥", "range"),
        ("between 10 and 15", "range"),
        ("~40", "bound or an approximation"),
        ("<5", "bound or an approximation"),
        ("أكثر من ٩٠", "bound or an approximation"),
        ("high", "no number"),
        ("(3.2)", "parentheses"),
        ("1,23,4", "thousands separators"),
        ("12 and 14 %", "several numbers"),
    ],
)
def test_ambiguous_values_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueParseError, match=reason):
        parse_value(text)
