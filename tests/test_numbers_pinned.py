"""The number parser, rule by rule: separators by convention, every scale word with its own
factor, every refusal pattern on its own, and a round trip over every supported way of
writing a number (digits of three scripts, both separator conventions, scale words, units)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verifier.core.numbers import SCALES, ValueParseError, parse_value


@pytest.mark.parametrize("decimal_comma", [True, False])
def test_arabic_separators_mean_the_same_under_either_convention(decimal_comma: bool) -> None:
    # U+066C groups thousands and U+066B is the decimal point, whatever the source's language.
    assert parse_value("١٬٢٣٤", decimal_comma=decimal_comma).number == 1234
    assert parse_value("٢٫٥٠٠", decimal_comma=decimal_comma).number == 2.5


@pytest.mark.parametrize(
    ("text", "decimal_point", "decimal_comma"),
    [
        ("1,234", 1234.0, 1.234),
        ("1.234", 1.234, 1234.0),
        ("2,500", 2500.0, 2.5),
        ("2.500", 2.5, 2500.0),
        ("1,234.5", 1234.5, None),  # a decimal-comma source cannot write this
        ("1.234,5", None, 1234.5),
    ],
)
def test_latin_separators_follow_the_sources_convention(
    text: str, decimal_point: float | None, decimal_comma: float | None
) -> None:
    for comma, expected in ((False, decimal_point), (True, decimal_comma)):
        if expected is None:
            with pytest.raises(ValueParseError, match="well-formed"):
                parse_value(text, decimal_comma=comma)
        else:
            assert parse_value(text, decimal_comma=comma).number == expected


@pytest.mark.parametrize(
    ("word", "factor"),
    [
        ("thousand", 1e3), ("k", 1e3), ("ألف", 1e3), ("آلاف", 1e3),
        ("million", 1e6), ("مليون", 1e6), ("ملايين", 1e6),
        ("billion", 1e9), ("bn", 1e9), ("milliard", 1e9), ("مليار", 1e9), ("مليارات", 1e9),
    ],
)  # fmt: skip
def test_every_scale_word_has_its_factor(word: str, factor: float) -> None:
    assert SCALES[word] == factor
    assert parse_value(f"3 {word}").number == 3 * factor
    assert parse_value(f"2.5 {word} Mbps") == parse_value("1 Mbps").__class__(2.5 * factor, "Mbps")


@pytest.mark.parametrize(
    "text",
    [
        "about 40", "approx. 40", "approximately 40", "around 40", "حوالي ٤٠", "حوالى ٤٠",
        "نحو ٤٠", "قرابة ٤٠", "ما يقارب ٤٠", "أقل من ٤٠", "اقل من ٤٠", "أكثر من ٤٠",
        "اكثر من ٤٠", "less than 40", "more than 40", "at least 40", "up to 40", "over 40",
        "under 40", "nearly 40", "almost 40", "plus de 40", "moins de 40", "environ 40",
        "~40", "≈40", "<40", ">40", "≤40", "≥40", "±40",
    ],
)  # fmt: skip
def test_each_bound_or_approximation_is_refused(text: str) -> None:
    with pytest.raises(ValueParseError, match="bound or an approximation"):
        parse_value(text)


@pytest.mark.parametrize(
    "text",
    ["10 to 15", "10-15", "10 – 15", "١٠ إلى ١٥", "10 الى 15", "10 à 15", "10~15",
     "between 10 and 15", "بين ١٠ و ١٥", "ما بين 10 و 15", "entre 10 et 15"],
)  # fmt: skip
def test_each_range_is_refused(text: str) -> None:
    with pytest.raises(ValueParseError, match="range"):
        parse_value(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("45% of homes", "text beside the percent sign"),
        ("city 45 Mbps", "text on both sides"),
        ("45 and 50", "several numbers"),
        ("high", "no number"),
        ("5\u200b0", "invisible character inside"),
        ("9" * 400, "too large"),
    ],
)
def test_text_beside_the_number_is_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueParseError, match=reason):
        parse_value(text)


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_THOUSANDS, ARABIC_DECIMAL = "\u066c", "\u066b"


def grouped(integer: int, separator: str) -> str:
    return f"{integer:,}".replace(",", separator)


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, bool, float, str]:
    """(text, decimal_comma, expected number, expected unit) for a number as sources write it."""
    integer = draw(st.integers(0, 9_999_999))
    cents = draw(st.integers(1, 99))
    convention = draw(st.sampled_from(["point", "comma", "arabic"]))
    if convention == "point":
        body, decimal_comma = f"{grouped(integer, ',')}.{cents:02d}", False
    elif convention == "comma":
        body, decimal_comma = f"{grouped(integer, '.')},{cents:02d}", True
    else:
        body = grouped(integer, ARABIC_THOUSANDS) + ARABIC_DECIMAL + f"{cents:02d}"
        decimal_comma = draw(st.booleans())
    script = draw(st.sampled_from([None, ARABIC_INDIC, PERSIAN]))
    if script is not None:
        body = body.translate(script)
    word, factor = draw(st.sampled_from([("", 1.0), *SCALES.items()]))
    unit = draw(st.sampled_from(["", "Mbps", "USD", "ميغابت/ث"]))
    negative = draw(st.booleans())
    text = ("-" if negative else "") + body + (f" {word}" if word else "")
    text += f" {unit}" if unit else ""
    expected = (integer + cents / 100) * factor * (-1 if negative else 1)
    return text, decimal_comma, expected, unit


@given(written_numbers())
def test_a_number_written_any_supported_way_parses_back_to_itself(
    case: tuple[str, bool, float, str],
) -> None:
    text, decimal_comma, expected, unit = case
    parsed = parse_value(text, decimal_comma=decimal_comma)
    assert parsed.number == pytest.approx(expected, rel=1e-12)
    assert parsed.unit == unit


@given(st.integers(0, 999_999), st.integers(0, 999_999), st.sampled_from([" and ", " / ", " ; "]))
def test_two_numbers_are_never_read_as_one(first: int, second: int, between: str) -> None:
    with pytest.raises(ValueParseError):
        parse_value(f"{first}{between}{second}")
