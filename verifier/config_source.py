"""Where the settings come from (the config file, ``VERIFIER_*`` variables), and a quick
read of the few plain settings a fast read-only command needs, without loading pydantic
(a quarter of a second of start-up).

The quick read gives up (None) on anything it is not sure to read as
``verifier.config.Settings`` does: a setting other than the plain ones, a value of the
wrong type or out of range, a file that does not parse, a variable given in two cases.
The caller then loads the full settings, which explain the problem."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "verifier"
DEFAULT_DB_URL = "sqlite:///verifier.db"
ENV_PREFIX = "VERIFIER_"

# Every field of Settings (a test holds the two lists together), and the ones read here.
SETTING_NAMES = (
    "db", "user", "edition", "bidi", "harakat", "lock_timeout", "screenshot_dir", "keymap",
    "anchor", "theme", "page_size", "import_max_bytes", "import_max_field_chars",
    "max_document_mb",
)  # fmt: skip
QUICK_DEFAULTS: dict[str, Any] = {
    "db": DEFAULT_DB_URL,
    "user": None,
    "edition": None,
    "bidi": "on",
    "harakat": "keep",
    "lock_timeout": 30.0,
}
_CHOICES = {"bidi": ("on", "off"), "harakat": ("keep", "remove")}
_MAX_LOCK_TIMEOUT = 86_400


def config_path() -> Path:
    """Where the config file is read from (it need not exist)."""
    explicit = os.environ.get("VERIFIER_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def quick_settings(overrides: dict[str, Any]) -> dict[str, Any] | None:
    """The plain settings (``QUICK_DEFAULTS``' names): defaults < config file < environment
    < ``overrides`` (None: not given); None when only the full settings can tell."""
    given = _from_file()
    environment = _from_environment()
    if given is None or environment is None:
        return None
    given |= environment
    given |= {key: value for key, value in overrides.items() if value is not None}
    if any(name not in QUICK_DEFAULTS for name in given):
        return None
    values = QUICK_DEFAULTS | given
    checked = {name: _checked(name, value) for name, value in values.items()}
    return None if any(v is _INVALID for v in checked.values()) else checked


_INVALID = object()


def _checked(name: str, value: Any) -> Any:
    if name == "lock_timeout":
        if isinstance(value, bool):
            return _INVALID
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            return _INVALID
        return seconds if 0 <= seconds <= _MAX_LOCK_TIMEOUT else _INVALID
    if value is None and QUICK_DEFAULTS[name] is None:
        return None
    if not isinstance(value, str) or (name in _CHOICES and value not in _CHOICES[name]):
        return _INVALID
    return value


def _from_file() -> dict[str, Any] | None:
    path = config_path()
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError):
        return None
    known = {name.lower(): name for name in SETTING_NAMES}
    found: dict[str, Any] = {}
    for key, value in data.items():
        if key.lower() in known:
            if key != known[key.lower()]:
                return None  # a case the full settings may read otherwise
            found[key] = value
    return found


def _from_environment() -> dict[str, Any] | None:
    found: dict[str, Any] = {}
    for key, value in os.environ.items():
        name = key.lower().removeprefix(ENV_PREFIX.lower())
        if key.upper().startswith(ENV_PREFIX) and name in SETTING_NAMES:
            if name in found:
                return None  # the same setting in two cases
            found[name] = value
    return found
