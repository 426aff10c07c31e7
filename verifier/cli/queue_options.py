"""The review queue's filters as command-line options, declared once for every command that
selects items (``verifier items``, ``verifier sprint create``).

``@queue_filter_options()`` adds the options to a command's signature and hands them to it
as one ``filters`` argument; ``queue_filter`` turns that into the domain's ``QueueFilter``.
Each option may be repeated or given comma-separated: ``--status unverified,flagged``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from verifier.cli.context import CliState

if TYPE_CHECKING:
    from verifier.core.review.filters import QueueFilter

_Command = TypeVar("_Command", bound=Callable[..., Any])


@dataclass(frozen=True)
class FilterOptions:
    """The filter options as given on the command line, before they are checked."""

    status: list[str]
    indicator: list[str]
    domain: list[str]
    city: list[str]
    country: list[str]
    source: list[str]
    batch: list[str]
    script: list[str]
    band: list[str]
    year: list[str]
    reviewer: list[str]
    evidence: list[str]
    search: str
    assigned_to: str | None = None
    mine: bool = False


def _option(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


_SELECTION = (
    _option("status", list[str], typer.Option(
        [], "--status", help="unverified, verified, rejected or flagged.")),
    _option("indicator", list[str], typer.Option(
        [], "--indicator", help="Indicator code, e.g. TRD-WATER.")),
    _option("domain", list[str], typer.Option([], "--domain", help="Domain code.")),
    _option("city", list[str], typer.Option(
        [], "--city", help="City id, e.g. sa-riyadh; '-' for no city yet.")),
    _option("country", list[str], typer.Option(
        [], "--country", help="ISO country code of the city (or the hint).")),
    _option("source", list[str], typer.Option([], "--source", help="Source key.")),
    _option("batch", list[str], typer.Option([], "--batch", help="Import batch id.")),
    _option("script", list[str], typer.Option(
        [], "--script", help="Script of the raw label: arab, latn, mixed, other.")),
    _option("band", list[str], typer.Option(
        [], "--band", help="Match band: auto, review, none, unmatched.")),
    _option("year", list[str], typer.Option([], "--year", help="Reference year.")),
    _option("reviewer", list[str], typer.Option(
        [], "--reviewer", help="Who last changed the status.")),
    _option("evidence", list[str], typer.Option(
        [], "--evidence", help="The evidence check's result: value_differs, snippet_not_found, "
        "page_mismatch, match, no_text, no_document, or unchecked.")),
    _option("search", str, typer.Option(
        "", "--search", "-s", help="Words in the label, snippet, source or city (either script).")),
)  # fmt: skip
_ASSIGNMENT = (
    _option("assigned_to", str | None, typer.Option(
        None, "--assigned-to", help="Items the current sprint assigns to this reviewer.")),
    _option("mine", bool, typer.Option(
        False, "--mine", help="Items the current sprint assigns to you.")),
)  # fmt: skip


def queue_filter_options(*, assignment: bool = True) -> Callable[[_Command], _Command]:
    """Add the queue's filter options to a command, which receives them as ``filters``.

    ``assignment`` adds ``--assigned-to`` and ``--mine`` (a sprint's scope cannot depend on
    the current sprint, so ``sprint create`` leaves them out).
    """
    added = _SELECTION + (_ASSIGNMENT if assignment else ())

    def decorate(command: _Command) -> _Command:
        signature = inspect.signature(command, eval_str=True)
        # The options take the place of the ``filters`` parameter, as keyword-only ones.
        own = list(signature.parameters.values())
        at = [p.name for p in own].index("filters")
        before = own[:at]
        after = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own[at + 1 :]]

        @functools.wraps(command)
        def with_filters(*args: Any, **kwargs: Any) -> Any:
            given = {p.name: kwargs.pop(p.name) for p in added}
            return command(*args, filters=FilterOptions(**given), **kwargs)

        with_filters.__signature__ = signature.replace(parameters=[*before, *added, *after])  # type: ignore[attr-defined]
        return with_filters  # type: ignore[return-value]

    return decorate


def _values(given: list[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in given for part in value.split(",") if part.strip())


def queue_filter(cli: CliState, given: FilterOptions) -> QueueFilter:
    """The filter the options describe; a wrong value is reported against its option."""
    from verifier.core.errors import InvalidActionError
    from verifier.core.review.filters import QueueFilter

    def numbers(values: tuple[str, ...], option: str) -> tuple[int, ...]:
        try:
            return tuple(int(v) for v in values)
        except ValueError:
            raise typer.BadParameter("expects whole numbers", param_hint=option) from None

    if given.mine and given.assigned_to:
        raise typer.BadParameter("give --mine or --assigned-to, not both")
    try:
        return QueueFilter(
            statuses=_values(given.status),
            indicators=_values(given.indicator),
            domains=_values(given.domain),
            cities=_values(given.city),
            countries=tuple(c.upper() for c in _values(given.country)),
            sources=_values(given.source),
            batches=numbers(_values(given.batch), "--batch"),
            scripts=_values(given.script),
            bands=_values(given.band),
            years=numbers(_values(given.year), "--year"),
            reviewers=_values(given.reviewer),
            evidence=_values(given.evidence),
            assigned_to=cli.user if given.mine else given.assigned_to,
            search=given.search.strip(),
        )
    except InvalidActionError as error:
        raise typer.BadParameter(str(error)) from None
