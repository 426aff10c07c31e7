"""Pure-Python work split across forked copies of the process, in one place.

Validating a large import and analysing a large gazetteer are Python code that one core
runs. On Linux a forked copy inherits the data instead of receiving it, so only the tasks
and the results cross between processes. Two shapes are offered:

- ``forked_map``: a function over many tasks, results in task order;
- ``forked_stream``: the same over a stream of tasks, taken as workers are free (import
  validation, chunk by chunk as the file is read);
- ``beside``: one other piece of work in a single copy while this process does its own
  (matcher builds and batches).

Fork without exec is only dependable on Linux, and only while no other Python thread runs
(one holding a lock at the fork would leave it locked in the copy). ``worthwhile`` is the
one gate for both shapes; where it says no, or forking fails, the caller's process does
all of the work itself, with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NoReturn, TypeVar

_Task = TypeVar("_Task")
_Result = TypeVar("_Result")
_Own = TypeVar("_Own")
_Other = TypeVar("_Other")

MAX_PROCESSES = 4

# The function a forked pool's workers run: set just before the pool forks, so that the
# workers inherit it (and everything it refers to) instead of receiving it pickled.
_inherited: Callable[[Any], Any] | None = None


def worthwhile(size: int, threshold: int) -> bool:
    """Whether ``size`` items of work are worth a fork (at least ``threshold``), and this
    process may fork."""
    return (
        size >= threshold
        and sys.platform.startswith("linux")
        and len(os.sched_getaffinity(0)) >= 2
        and threading.active_count() == 1
    )


def processes() -> int:
    """How many worker processes ``forked_map`` uses: one per CPU, at most four."""
    return min(len(os.sched_getaffinity(0)), MAX_PROCESSES)


def forked_map(
    work: Callable[[_Task], _Result], tasks: Sequence[_Task], *, parallel: bool
) -> Iterator[_Result]:
    """``work(task)`` for each task, yielded in task order as results arrive.

    With ``parallel`` (decide it with :func:`worthwhile`), forked worker processes run the
    tasks; otherwise, this process runs them one by one.
    """
    global _inherited
    if not parallel:
        yield from map(work, tasks)
        return
    _inherited = work
    try:
        with multiprocessing.get_context("fork").Pool(processes()) as pool:
            yield from pool.imap(_run_inherited, tasks)
    finally:
        _inherited = None


def forked_stream(
    work: Callable[[_Task], _Result], tasks: Iterable[_Task], *, parallel: bool
) -> Iterator[tuple[_Task, _Result]]:
    """(task, ``work(task)``) for each task of an iterator, in task order.

    Unlike ``forked_map`` the tasks are taken only as workers are free for them (a few
    ahead of the results), so a stream of tasks is never read into memory whole. The
    tasks are sent to the workers (pickled); the function is inherited.
    """
    global _inherited
    if not parallel:
        for task in tasks:
            yield task, work(task)
        return
    _inherited = work
    try:
        with multiprocessing.get_context("fork").Pool(processes()) as pool:
            ahead = processes() + 1
            pending: deque[tuple[_Task, Any]] = deque()
            for task in tasks:
                pending.append((task, pool.apply_async(_run_inherited, (task,))))
                if len(pending) >= ahead:
                    done, result = pending.popleft()
                    yield done, result.get()
            while pending:
                done, result = pending.popleft()
                yield done, result.get()
    finally:
        _inherited = None


def _run_inherited(task: Any) -> Any:
    assert _inherited is not None, "set before the pool forks"
    return _inherited(task)


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
