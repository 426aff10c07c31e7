"""The ``verifier`` command's entry point. ``status``, a plain ``items`` listing and
``review`` start without the command line parser (each command's ``run_quick``); every
other command line, and any of theirs they do not take, goes to the parser and its command
tree (``tree.py``), loaded only then: importing it is a tenth of a second or more."""

from __future__ import annotations

import importlib
import sys
from typing import Any

from verifier.cli.quick_args import command_of

# What ``verifier.cli.app`` offered when it held the parser itself, found there on first use.
_TREE_NAMES = ("app", "VerifierGroup", "root")
# The summary, a listing without filters and the review UI, started fast: see the
# ``run_quick`` of each command's module (only the one named is loaded).
QUICK_COMMANDS = {
    "status": "verifier.cli.commands.status_cmds",
    "items": "verifier.cli.commands.items_list",
    "review": "verifier.cli.commands.review_cmds",
}


def main() -> None:
    quick = QUICK_COMMANDS.get(command_of(sys.argv[1:]) or "")
    if quick is not None:
        done = importlib.import_module(quick).run_quick(sys.argv[1:])
        if done is not None:
            raise SystemExit(done)
    from verifier.cli.tree import app

    app()


def __getattr__(name: str) -> Any:
    if name in _TREE_NAMES:
        from verifier.cli import tree

        return getattr(tree, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
