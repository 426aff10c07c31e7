"""Typed access to one JSON object of a publication, with errors that name the exact field.

Paths in messages look like ``indicators[3].direction`` so the lead can find the spot in the
export. Booleans are rejected where numbers are expected (JSON ``true`` is not a weight).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, NoReturn

from verifier.core.scoring.errors import SnapshotFormatError

_MISSING = object()


class FieldReader:
    def __init__(self, data: dict[str, Any], path: str) -> None:
        self._data = data
        self._path = path

    @classmethod
    def root(cls, doc: Any) -> FieldReader:
        if not isinstance(doc, dict):
            raise SnapshotFormatError(
                f"snapshot: the document must be a JSON object, not {_kind(doc)}"
            )
        return cls(doc, "")

    def fail(self, key: str, problem: str) -> NoReturn:
        raise SnapshotFormatError(f"snapshot: {self._where(key)} {problem}")

    def child(self, key: str) -> FieldReader:
        value = self._get(key)
        if not isinstance(value, dict):
            self.fail(key, f"must be an object, not {_kind(value)}")
        return FieldReader(value, self._where(key))

    def items(self, key: str, non_empty: bool = False) -> Iterator[FieldReader]:
        value = self._get(key)
        if not isinstance(value, list):
            self.fail(key, f"must be a list, not {_kind(value)}")
        if non_empty and not value:
            self.fail(key, "must not be empty")
        for index, item in enumerate(value):
            where = f"{self._where(key)}[{index}]"
            if not isinstance(item, dict):
                raise SnapshotFormatError(f"snapshot: {where} must be an object, not {_kind(item)}")
            yield FieldReader(item, where)

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            self.fail(key, f"must be a string, not {_kind(value)}")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self._data.get(key)
        if value is not None and not isinstance(value, str):
            self.fail(key, f"must be a string or null, not {_kind(value)}")
        return value

    def integer(self, key: str) -> int:
        value = self._get(key)
        if not _is_integer(value):
            self.fail(key, f"must be an integer, not {_kind(value)}")
        return int(value)

    def optional_integer(self, key: str) -> int | None:
        value = self._data.get(key)
        if value is None:
            return None
        if not _is_integer(value):
            self.fail(key, f"must be an integer or null, not {_kind(value)}")
        return int(value)

    def number(self, key: str) -> float:
        value = self._get(key)
        if not _is_number(value):
            self.fail(key, f"must be a number, not {_kind(value)}")
        return float(value)

    def optional_number(self, key: str) -> float | None:
        value = self._data.get(key)
        if value is None:
            return None
        if not _is_number(value) or not math.isfinite(value):
            self.fail(key, f"must be a finite number or null, not {_kind(value)}")
        return float(value)

    def integer_list(self, key: str) -> tuple[int, ...]:
        value = self._get(key)
        if not isinstance(value, list) or not all(_is_integer(item) for item in value):
            self.fail(key, "must be a list of integer ids")
        return tuple(int(item) for item in value)

    def reference(self, key: str, known: set[str], what: str) -> str:
        code = self.text(key)
        if code not in known:
            self.fail(key, f"names {what} {code!r}, which the document does not define")
        return code

    def weights(self, key: str, known: set[str], what: str) -> dict[str, float]:
        value = self._get(key)
        if not isinstance(value, dict):
            self.fail(key, f"must be an object of {what} code -> weight, not {_kind(value)}")
        weights: dict[str, float] = {}
        for code, weight in value.items():
            where = f"{key}.{code}"
            if code not in known:
                self.fail(where, f"is not a {what} of this edition")
            if not _is_number(weight) or not math.isfinite(weight) or weight < 0:
                self.fail(where, f"must be a finite number >= 0, not {weight!r}")
            weights[code] = float(weight)
        return weights

    def _get(self, key: str) -> Any:
        value = self._data.get(key, _MISSING)
        if value is _MISSING:
            self.fail(key, "is missing")
        return value

    def _where(self, key: str) -> str:
        return f"{self._path}.{key}" if self._path else key


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return f"the string {value!r}"[:60]
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"
