"""Speed run for ``verifier match``: a batch through the real command line, process start-up
included, against a bare ``rapidfuzz.process.cdist`` over the same names; and, to show where
the time goes, the same steps timed one by one in a fresh process."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from matching_devset import speed_gazetteer

# Runs the command line, registering ``match`` first if the command tree does not have it yet.
_LAUNCHER = (
    "from verifier.cli.app import app\n"
    "from verifier.cli.commands import match_cmd\n"
    "if not any(c.name == 'match' for c in app.registered_commands):\n"
    "    match_cmd.register(app)\n"
    "app(prog_name='verifier')\n"
)

# The command's steps, timed: start-up is the imports the command line needs.
_PHASES = """
import json, sys, time
clock = time.perf_counter
started = clock()
from verifier.cli.app import app
from verifier.cli.commands import match_cmd
from verifier.core.matching import Matcher, load_gazetteer_csv, read_queries_csv
from verifier.core.matching import write_results_csv
imported = clock()
queries = read_queries_csv(sys.argv[1])
entries = load_gazetteer_csv(sys.argv[2])
read = clock()
matcher = Matcher.from_entries(entries)
built = clock()
results = matcher.match_many([(q.name, q.country) for q in queries], top=5, explain=False)
matched = clock()
write_results_csv(sys.argv[3], [(q.query_id, r) for q, r in zip(queries, results)], 5)
written = clock()
print(json.dumps({
    "start-up (imports)": imported - started,
    "reading the files": read - imported,
    "index build": built - read,
    "matching": matched - built,
    "writing": written - matched,
}))
"""


@dataclass(frozen=True)
class SpeedFigures:
    queries: int
    cities: int
    names: int
    cli_seconds: float
    cdist_seconds: float
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.cli_seconds / self.cdist_seconds


def _sample_queries(names: list[str], count: int, seed: int) -> list[str]:
    """Real names, a third of them with one letter dropped or doubled, as labels come."""
    rng = random.Random(seed)
    queries = []
    for name in rng.sample(names, count):
        if rng.random() < 1 / 3 and len(name) > 4:
            cut = rng.randrange(1, len(name) - 1)
            name = (
                name[:cut] + name[cut + 1 :]
                if rng.random() < 0.5
                else name[:cut] + name[cut] + name[cut:]
            )
        queries.append(name)
    return queries


def run(count: int = 1500, seed: int = 7, workdir: Path | None = None) -> SpeedFigures:
    from rapidfuzz import process

    entries = speed_gazetteer()
    names = [n for e in entries for n in (e.name_en, e.name_ar, *e.aliases) if n]
    queries = _sample_queries(names, count, seed)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        folder = Path(tmp)
        gazetteer, query_file, output = folder / "gaz.csv", folder / "q.csv", folder / "r.csv"
        with gazetteer.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "name_en", "name_ar", "country", "aliases"])
            for e in entries:
                writer.writerow([e.city_id, e.name_en, e.name_ar, e.country, "|".join(e.aliases)])
        with query_file.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["query_id", "name", "country"])
            writer.writerows([f"q{i}", q, ""] for i, q in enumerate(queries))
        command = [sys.executable, "-c", _LAUNCHER, "match", "--gazetteer", str(gazetteer)]
        command += ["--input", str(query_file), "--output", str(output)]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        cli_seconds = time.perf_counter() - started
        started = time.perf_counter()
        process.cdist(queries, names, workers=-1)
        cdist_seconds = time.perf_counter() - started
        steps = [sys.executable, "-c", _PHASES, str(query_file), str(gazetteer), str(output)]
        timed = subprocess.run(steps, check=True, capture_output=True, text=True)
        phases = json.loads(timed.stdout.strip().splitlines()[-1])
    return SpeedFigures(count, len(entries), len(names), cli_seconds, cdist_seconds, phases)
