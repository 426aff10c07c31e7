"""JSONL reading: one object per line, each line a row that is read or refused on its own.

A line is refused, never the whole file, when it is not JSON, not an object, nested deeper
than the limit, holds a key twice, or holds a value that breaks a cell (too long, a control
character). Objects and arrays inside a line are kept as their JSON text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from verifier.core.importing.limits import ImportLimits, cell_problem, quoted, row_problem
from verifier.core.importing.rawrows import RawRow, cell_text

# Strings (skipped whole, so brackets inside them do not count) and brackets.
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class _LineRefused(ValueError):
    """Raised while parsing a line; the message is the reason."""


def read_line(number: int, line: str, limits: ImportLimits, *, scan: bool = True) -> RawRow:
    """One line as a row: its cells as text, or the reason it is refused."""
    kept = {"line": line}
    if _too_deep(line, limits.max_json_depth):
        return RawRow(number, {}, _depth_reason(limits), kept)
    try:
        record = json.loads(line, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        return RawRow(number, {}, f"invalid JSON ({error.msg})", kept)
    except _LineRefused as error:
        return RawRow(number, {}, str(error), kept)
    except (ValueError, RecursionError) as error:  # e.g. an integer too long to convert
        return RawRow(number, {}, f"invalid JSON ({error})", kept)
    if not isinstance(record, dict):
        return RawRow(number, {}, f"a line must be a JSON object, got {_json_type(record)}", kept)
    cells: dict[str, str] = {}
    structured: list[str] = []
    for key, value in record.items():
        if isinstance(value, dict | list):
            structured.append(key)
            cells[key] = json.dumps(value, ensure_ascii=False)
        else:
            cells[key] = cell_text(value)
    # A "\u0000" escape is plain ASCII in the file: the file-wide scan cannot see it.
    scan = scan or "\\u" in line
    problem = _key_problem(record, limits) or row_problem(cells, limits, scan=scan)
    return RawRow(number, cells, problem, record, structured=tuple(structured))


def _key_problem(record: dict[str, Any], limits: ImportLimits) -> str:
    for key in record:
        problem = cell_problem(f"key {quoted(key)}", key, limits)
        if problem:
            return problem
    return ""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            raise _LineRefused(f"key {quoted(key)} appears twice in one object")
        record[key] = value
    return record


def _no_constant(name: str) -> Any:
    raise _LineRefused(f"{name} is not a JSON value")


def _too_deep(line: str, limit: int) -> bool:
    if line.count("[") + line.count("{") <= limit:
        return False  # the common case: not even enough brackets
    depth = 0
    for token in _STRUCTURE.finditer(line):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif bracket in ("]", "}"):
            depth -= 1
    return False


def _depth_reason(limits: ImportLimits) -> str:
    return f"the line is nested more than {limits.max_json_depth} levels deep"


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    return "a number"
