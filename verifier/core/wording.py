"""How a count reads in a message: "1 item", "2 items", never "1 items" or "item(s)"."""

from __future__ import annotations


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` and the noun agreeing with it, thousands separated: ``count(1, "item")``
    is "1 item", ``count(1200, "batch", "batches")`` is "1,200 batches"."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def agree(number: int, singular: str, plural: str | None = None) -> str:
    """The word alone, agreeing with ``number``: a noun ("of 1 item") or a verb ("has", "have")."""
    return singular if number == 1 else plural or singular + "s"


def percent(share: float | None) -> str:
    """A share as every screen, table and report writes it: one decimal and the sign
    against the number (0.063 is "6.3%", 1 is "100.0%"); "—" when there is none. The one
    percentage format of the dashboard, the command line and the reports."""
    return "—" if share is None else f"{share:.1%}"


def percent_interval(low: float, high: float) -> str:
    """An interval of shares: "0.0%–27.8%"."""
    return f"{percent(low)}–{percent(high)}"


def rate(number: int, seconds: float, noun: str, plural: str | None = None) -> str:
    """How many a second, agreeing as :func:`count` does: "12,802 rows/s"; under ten a
    second, one decimal ("2.5 rows/s", "0.9 rows/s"), and "1 row/s" only for one."""
    per_second = number / seconds if seconds > 0 else 0.0
    figure = f"{per_second:,.0f}" if per_second >= 10 else f"{per_second:.1f}".removesuffix(".0")
    return f"{figure} {agree(1 if figure == '1' else 2, noun, plural)}/s"
