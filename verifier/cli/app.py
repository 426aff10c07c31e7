"""The ``verifier`` command's entry point. ``status``, a plain ``items`` listing and
``review`` start without the command line parser (each command's ``run_quick``); every
other command line, and any of theirs they do not take, goes to the parser and its command
tree (``tree.py``), loaded only then: importing it is a tenth of a second or more."""

from __future__ import annotations

import sys
from typing import Any

# What ``verifier.cli.app`` offered when it held the parser itself, found there on first use.
_TREE_NAMES = ("app", "VerifierGroup", "root")


def main() -> None:
    from verifier.cli.commands import items_list, review_cmds, status_cmds

    # The summary, a listing without filters and the review UI, started fast: see each
    # command's module.
    for run_quick in (status_cmds.run_quick, items_list.run_quick, review_cmds.run_quick):
        done = run_quick(sys.argv[1:])
        if done is not None:
            raise SystemExit(done)
    from verifier.cli.tree import app

    app()


def __getattr__(name: str) -> Any:
    if name in _TREE_NAMES:
        from verifier.cli import tree

        return getattr(tree, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
