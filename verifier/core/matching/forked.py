"""Pure-Python work of a large build or batch split with a forked copy of the process.

Analysing tens of thousands of gazetteer names and scoring thousands of labels is Python
code that one core runs. For large inputs the process forks: the copy does one part (it
inherits the data instead of receiving it) and sends its result back pickled, while this
process does the other, as importing does with rows. Fork without exec is only dependable
on Linux, and only while no other Python thread runs (one holding a lock at the fork would
leave it locked in the copy); elsewhere, or when forking fails, the caller does all of the
work itself.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import NoReturn, TypeVar

_Own = TypeVar("_Own")
_Other = TypeVar("_Other")


def worthwhile(size: int, threshold: int) -> bool:
    """Whether ``size`` items of work are worth a fork (at least ``threshold``), and this
    process may fork."""
    return (
        size >= threshold
        and sys.platform.startswith("linux")
        and len(os.sched_getaffinity(0)) >= 2
        and threading.active_count() == 1
    )


def beside(own: Callable[[], _Own], other: Callable[[], _Other]) -> tuple[_Own, _Other | None]:
    """``own()`` here while a forked copy of the process runs ``other()``: both results,
    the copy's unpickled, or None in its place if the copy could not be made or failed (the
    caller then does that part itself)."""
    read_end, write_end = os.pipe()
    try:
        worker = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return own(), None
    if worker == 0:
        _send(other, read_end, write_end)
    os.close(write_end)
    finished = False
    try:
        mine = own()
        with os.fdopen(read_end, "rb") as pipe:
            read_end = -1
            try:
                theirs: _Other | None = pickle.load(pipe)
            except (EOFError, pickle.UnpicklingError):  # the copy failed
                theirs = None
        finished = True
    finally:
        if read_end >= 0:
            os.close(read_end)
        if not finished:  # interrupted or failed here: the copy's work is not wanted
            os.kill(worker, signal.SIGKILL)
        os.waitpid(worker, 0)
    return mine, theirs


def _send(work: Callable[[], object], read_end: int, write_end: int) -> NoReturn:
    """In the copy: run ``work``, write its pickled result to the pipe and exit at once,
    whatever happens, so that the caller's code never goes on running here."""
    status = 1
    try:
        os.close(read_end)
        result = work()
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    finally:
        os._exit(status)
