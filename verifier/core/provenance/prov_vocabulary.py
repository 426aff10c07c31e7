"""The project's PROV vocabulary: the ``verifier:`` namespace, safe local names, and the
rules every attribute follows (no nulls, dates typed as xsd:date)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from prov.constants import XSD_DATE
from prov.model import Literal, Namespace, ProvDocument

NAMESPACE_PREFIX = "verifier"
NAMESPACE_URI = "https://verifier.invalid/ns#"
V = Namespace(NAMESPACE_PREFIX, NAMESPACE_URI)
MATCHER = V["agent/matcher"]


def local(text: object) -> str:
    """A safe local part of a qualified name (percent-encoded like a URI path segment)."""
    return quote(str(text), safe="-._~")


def new_document() -> ProvDocument:
    document = ProvDocument()
    document.add_namespace(V)
    return document


def clean(attributes: dict[Any, Any]) -> dict[Any, Any]:
    """Attributes with a value (PROV has no null), dates typed as xsd:date."""
    kept: dict[Any, Any] = {}
    for name, value in attributes.items():
        if value is None or value == "":
            continue
        if isinstance(value, date) and not isinstance(value, datetime):
            value = Literal(value.isoformat(), XSD_DATE)
        kept[name] = value
    return kept


def qa_attributes(qa: dict[str, Any] | None) -> dict[Any, Any]:
    """The publication's recorded QA figures as attributes (numbers only)."""
    if not qa:
        return {}
    low, high = (qa.get("error_ci") or [None, None])[:2]
    return {
        V["qaErrorRate"]: qa.get("error_rate"),
        V["qaErrorLow"]: low,
        V["qaErrorHigh"]: high,
        V["qaAgreement"]: qa.get("agreement"),
        V["qaKappa"]: qa.get("kappa"),
        V["qaReviewed"]: qa.get("reviewed"),
        V["qaItemsCovered"]: qa.get("items_covered"),
        V["qaMaxErrorRate"]: qa.get("max_error_rate"),
    }
