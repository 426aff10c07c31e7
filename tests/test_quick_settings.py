"""The quick read of the plain settings (for ``status``) agrees with the full settings on
every source, and gives way to them whenever it is not sure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from verifier.config import Settings, load_settings
from verifier.config_source import QUICK_DEFAULTS, SETTING_NAMES, quick_settings


def _full(overrides: dict[str, object]) -> dict[str, object]:
    settings = load_settings(**overrides)
    return {name: getattr(settings, name) for name in QUICK_DEFAULTS}


def test_the_setting_names_are_the_settings_fields() -> None:
    assert set(SETTING_NAMES) == set(Settings.model_fields)
    for name, default in QUICK_DEFAULTS.items():
        assert Settings.model_fields[name].default == default


@pytest.mark.parametrize(
    ("toml", "env", "overrides"),
    [
        ("", {}, {}),
        ('db = "from-file.db"\nedition = "las"\nbidi = "off"\n', {}, {}),
        ('db = "from-file.db"\n', {"VERIFIER_DB": "from-env.db"}, {}),
        ('db = "from-file.db"\n', {"VERIFIER_DB": "from-env.db"}, {"db": "given.db"}),
        ("", {"verifier_edition": "lower", "VERIFIER_HARAKAT": "remove"}, {"edition": None}),
        ("lock_timeout = 5\n[other]\nx = 1\n", {"VERIFIER_LOCK_TIMEOUT": "2.5"}, {}),
        ("", {"VERIFIER_EDITION": ""}, {"user": "sara"}),
        ("", {"VERIFIER_NOT_A_SETTING": "x"}, {}),
    ],
)
def test_the_quick_read_agrees_with_the_full_settings(
    toml: str, env: dict[str, str], overrides: dict[str, object],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("VERIFIER_CONFIG", str(config))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert quick_settings(overrides) == _full(overrides)


@pytest.mark.parametrize(
    ("toml", "env"),
    [
        ("page_size = 5\n", {}),  # a setting it does not read: the full ones check it
        ("", {"VERIFIER_THEME": "nord"}),
        ('bidi = "sideways"\n', {}),
        ("", {"VERIFIER_LOCK_TIMEOUT": "forever"}),
        ("", {"VERIFIER_LOCK_TIMEOUT": "-1"}),
        ("db = 3\n", {}),
        ('DB = "upper.db"\n', {}),
        ("db = [unclosed\n", {}),
    ],
)
def test_the_quick_read_gives_way_when_unsure(
    toml: str, env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("VERIFIER_CONFIG", str(config))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert quick_settings({}) is None


def test_a_variable_in_two_cases_gives_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "environ", {"VERIFIER_DB": "a.db", "verifier_db": "b.db"})
    assert quick_settings({}) is None


@pytest.mark.parametrize(
    "url",
    [
        "x.db", "~/a b.db", "sqlite:///verifier.db", "sqlite:////tmp/a+b.db",
        "postgresql://postgres@127.0.0.1:5432/test", "postgres://u@h/db",
        "postgresql://u:p%40ss@h/db?options=-csearch_path%3Dbench",
        "postgresql+psycopg://u:pw@h:5/d?options=-csearch_path=x&sslmode=disable",
        "postgresql://u@/db?host=/var/run/postgresql", "postgresql://U@Host/D%20b",
        "postgresql://u@h/db?b=1&a=2&b=0", "postgresql://h", "postgresql:///db",
    ],
)  # fmt: skip
def test_a_url_read_directly_is_shown_as_the_engine_shows_it(url: str) -> None:
    from db.direct import parse
    from db.engine import describe_url

    target = parse(url)
    assert target is not None
    assert target.display == describe_url(url)


@pytest.mark.parametrize(
    "url",
    ["sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=ro", "/tmp/a%b.db",
     "mysql://u@h/db", "postgresql://u@[::1]/db", "postgresql://u@h/db?x="],
)  # fmt: skip
def test_an_unusual_url_is_left_to_the_engine(url: str) -> None:
    from db.direct import parse

    assert parse(url) is None
