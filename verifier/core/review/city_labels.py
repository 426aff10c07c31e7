"""How the queue names an item's city (its matched city, else the raw label), from the
fields themselves: a listing read through the driver has no QueueRow."""

from __future__ import annotations


def city_label(
    city_id: str | None, raw_label: str, name_en: str, name_ar: str, country: str
) -> str:
    """``QueueRow.city_with_country`` from the fields themselves (a listing's rows)."""
    shown = city_name(city_id, raw_label, name_en, name_ar)
    return f"{shown} {country}" if city_id is not None and country else shown


def city_name(city_id: str | None, raw_label: str, name_en: str, name_ar: str) -> str:
    """``QueueRow.city_shown`` from the fields themselves."""
    if city_id is None:
        return raw_label
    return name_en or name_ar or city_id
