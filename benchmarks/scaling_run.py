"""bench_scaling's commands: one child process timed by GNU time (wall and CPU seconds,
peak resident memory), the ``verifier`` command line on a workspace, and a PostgreSQL URL
scoped to a schema of its own."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
# The benchmark's script: its hidden options run the steps that need a process of their own.
SCRIPT = Path(__file__).with_name("bench_scaling.py")
VERIFIER = [sys.executable, "-m", "verifier"]
TIME = "/usr/bin/time"  # GNU time: the child's maximum resident set size
LEAD = "bench"


class Child(NamedTuple):
    seconds: float  # wall, from the shell
    cpu: float  # user + system seconds of the child
    peak: int  # MB, maximum resident set size
    err: str

    def rate(self, count: int, unit: str) -> str:
        """``count`` per second, by the clock and by the CPU the child had (the second does
        not grow with the machine's load), and the child's peak memory."""
        return (
            f"{count / self.seconds:,.0f} {unit}/s ({count / self.cpu:,.0f} by CPU), {self.peak} MB"
        )

    def took(self) -> str:
        return f"{self.seconds:.2f} s ({self.cpu:.2f} s CPU), {self.peak} MB"


def run_child(args: list[str], stdout: int | None = subprocess.DEVNULL) -> Child:
    """Run one command; its wall and CPU seconds, peak RSS and stderr.

    The peak is the child's "Maximum resident set size" as ``/usr/bin/time`` reports it.
    Not wait4's figure for a child of this process: Linux carries the forking process's
    resident size into the child's maximum at exec, so every child would seem at least as
    large as this benchmark."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        timed = [TIME, "-f", "%M %U %S", "-o", rss.name, *args]
        started = time.perf_counter()
        child = subprocess.run(timed, stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT)
        seconds = time.perf_counter() - started
        err = child.stderr.decode(errors="replace")
        if child.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {err.strip()[-400:]}")
        peak_kb, user, system = rss.read().strip().splitlines()[-1].split()
    return Child(seconds, max(float(user) + float(system), 0.01), int(peak_kb) // 1024, err)


def pg_url(base: str, schema: str, create: bool) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base).set(drivername="postgresql+psycopg")
    if create:
        admin = create_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        admin.dispose()
    scoped = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False)


def cli(url: str, *args: str) -> list[str]:
    return [*VERIFIER, "--db", url, "--user", LEAD, *args]
