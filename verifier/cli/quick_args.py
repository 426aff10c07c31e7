"""A command line of global options, one command and a few options of its own, read
without the command line parser, whose first use of a typed option loads pydantic (a
quarter of a second or more): how ``status`` and a plain ``items`` listing start fast."""

from __future__ import annotations

GLOBAL_OPTIONS = {"--db": "db", "--user": "user", "--edition": "edition", "-e": "edition"}


def command_of(argv: list[str]) -> str | None:
    """The command word after the global options, or None when there is none or the global
    options are not ones this module reads (the parser handles those)."""
    words = list(argv)
    while words and words[0].startswith("-"):
        name, _ = _option(words, GLOBAL_OPTIONS)
        if name is None:
            return None
    return words[0] if words else None


def split(
    argv: list[str], command: str, known: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]] | None:
    """``[global options] COMMAND [options]`` as (global options, the command's options),
    each by name with its value as given; None for anything else (help, another command,
    an unknown or malformed option, text that is not UTF-8), which the parser handles and
    explains."""
    overrides: dict[str, str] = {}
    given: dict[str, str] = {}
    words = list(argv)
    try:
        "".join(words).encode("utf-8")
    except UnicodeEncodeError:
        return None
    while words and words[0] != command:
        name, value = _option(words, GLOBAL_OPTIONS)
        if name is None:
            return None
        overrides[name] = value
    if not words:
        return None
    words.pop(0)
    while words:
        name, value = _option(words, known)
        if name is None:
            return None
        given[name] = value
    return overrides, given


def _option(words: list[str], known: dict[str, str]) -> tuple[str | None, str]:
    """Take ``--name value`` or ``--name=value`` off the front of ``words``."""
    first = words.pop(0)
    flag, equals, value = first.partition("=")
    if flag not in known or (equals and not flag.startswith("--")):
        return None, ""
    if not equals:
        if not words or (words[0].startswith("-") and not words[0].lstrip("-").isdigit()):
            return None, ""
        value = words.pop(0)
    return known[flag], value
