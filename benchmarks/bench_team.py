"""Team mode under load, against the real PostgreSQL: 12 reviewer logins deciding at once.

What it does:
  1. creates a fresh schema and ``team init`` roles with a unique prefix, one lead and
     N = 12 assistant logins; the lead loads fixtures/las2024 and imports its items;
  2. runs 12 processes, one per login, each deciding items through the domain layer
     (``review.decisions.set_status`` in ``core.concurrency.with_retries``) for a bounded
     time; about 20 % of the picks come from a small shared set of items, so reviewers
     race on them;
  3. does the same again through a TCP proxy of its own, on loopback only, that delays
     every chunk by 10 ms each way (a server ~20 ms away);
  4. counts the round trips of one decision through the proxy;
  5. checks: no lost update (each item's status and decider equal its latest status event),
     ``audit verify`` intact, no traceback shown;
  6. drops everything it created.

It prints decisions per second, p50/p95/p99 latency of a decision, stale items (reported,
never overwritten), retries, lost updates, the audit result and tracebacks. Target: p95 under
150 ms through the proxy. Usage:

    .venv/bin/python benchmarks/bench_team.py [--seconds 60] [--logins 12] [--pg URL]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import statistics
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
DELAY = 0.010  # seconds, each way
RACE_SHARE = 0.20
HOT_ITEMS = 40
ROUND_TRIP_ITEMS = 25  # decided one by one at the end, to count round trips


# --- the proxy ------------------------------------------------------------------------------


class DelayProxy:
    """Forwards 127.0.0.1:<port> to the server, delaying each chunk by ``delay`` seconds in
    each direction (order kept). Counts the client's request bursts: a burst starts when
    the client sends after the server last answered, i.e. one round trip."""

    def __init__(self, target: tuple[str, int], delay: float) -> None:
        self.target, self.delay = target, delay
        self.bursts = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self.port = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> DelayProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host, port = self.target
        assert host in ("127.0.0.1", "localhost", "::1"), "loopback only"
        up_reader, up_writer = await asyncio.open_connection(host, port)
        state = {"answered": True}

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter, up: bool) -> None:
            queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

            async def deliver() -> None:
                while True:
                    due, data = await queue.get()
                    if not data:
                        dst.close()
                        return
                    wait = due - self._loop.time()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    dst.write(data)
                    await dst.drain()

            task = asyncio.ensure_future(deliver())
            try:
                while True:
                    data = await src.read(65536)
                    if up and data and state["answered"]:
                        self.bursts += 1
                        state["answered"] = False
                    if not up and data:
                        state["answered"] = True
                    await queue.put((self._loop.time() + self.delay, data))
                    if not data:
                        break
            except ConnectionError:
                await queue.put((0.0, b""))
            await task

        await asyncio.gather(
            pump(reader, up_writer, True), pump(up_reader, writer, False), return_exceptions=True
        )


# --- the reviewers ---------------------------------------------------------------------------


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    decided: int = 0
    stale: int = 0
    refused: int = 0
    tracebacks: list[str] = field(default_factory=list)


def reviewer(
    url: str,
    login: str,
    own: list[int],
    hot: list[int],
    seconds: float,
    seed: int,
    results: multiprocessing.Queue,
) -> None:
    from verifier.core.concurrency import is_stale, with_retries
    from verifier.core.errors import VerifierError
    from verifier.core.review import decisions
    from verifier.core.workspace import Workspace

    rng = random.Random(seed)
    outcome = Outcome()
    workspace = Workspace(url)
    cycle = {
        "unverified": "verified",
        "verified": "flagged",
        "flagged": "verified",
        "rejected": "verified",
    }
    deadline = time.monotonic() + seconds
    position = 0
    while time.monotonic() < deadline:
        if rng.random() < RACE_SHARE:
            item_id = rng.choice(hot)
        else:
            item_id = own[position % len(own)]
            position += 1

        def decide(session: object, item_id: int = item_id) -> None:
            from db.models import Item

            item = session.get(Item, item_id)  # type: ignore[attr-defined]
            decisions.set_status(
                session,  # type: ignore[arg-type]
                item_id,
                cycle[item.status],
                login,
                note="checked against the source",
                reason="second look",
                expected_version=item.version,
            )

        started = time.perf_counter()
        try:
            with_retries(workspace, decide)
            outcome.decided += 1
        except Exception as error:
            if is_stale(error):
                outcome.stale += 1
            elif isinstance(error, VerifierError):
                outcome.refused += 1
            else:
                outcome.tracebacks.append(traceback.format_exc(limit=3))
        outcome.latencies.append(time.perf_counter() - started)
    workspace.close()
    results.put(outcome)


# --- set-up and checks -----------------------------------------------------------------------


def build(admin_url: str, prefix: str, logins: int) -> tuple[str, list[str], list[int]]:
    from verifier.core.editions import load_edition
    from verifier.core.importing import ImportOptions, import_file
    from verifier.core.people.team import add_team_reviewer, init_team
    from verifier.core.workspace import Workspace

    admin = Workspace(admin_url)
    admin.initialise()
    init_team(admin, prefix)
    lead = f"{prefix}_rania"
    names = [f"{prefix}_r{n:02d}" for n in range(1, logins + 1)]
    add_team_reviewer(admin, lead, "lead", "")
    for name in names:
        add_team_reviewer(admin, name, "assistant", "")
    admin.close()
    lead_ws = Workspace(as_login(admin_url, lead))
    load_edition(lead_ws, ROOT / "fixtures" / "las2024", lead)
    for path in sorted((ROOT / "fixtures" / "las2024" / "items").iterdir()):
        import_file(lead_ws, path, ImportOptions(lead))
    with lead_ws.reading() as session:
        ids = list(session.execute(text("SELECT id FROM item ORDER BY id")).scalars())
    lead_ws.close()
    return lead, names, ids


def as_login(url: str, login: str, port: int | None = None) -> str:
    target = make_url(url).set(username=login)
    if port is not None:
        target = target.set(port=port, host="127.0.0.1")
    return target.render_as_string(hide_password=False)


def check(url: str) -> tuple[int, bool]:
    """(lost updates, audit intact)."""
    from verifier.core.audit import verify_audit
    from verifier.core.workspace import Workspace

    workspace = Workspace(url)
    with workspace.reading() as session:
        lost = session.execute(
            text(
                """
                SELECT count(*) FROM item i
                LEFT JOIN LATERAL (
                    SELECT new_status, actor FROM review_event e
                    WHERE e.item_id = i.id AND e.new_status IS DISTINCT FROM e.old_status
                    ORDER BY e.seq DESC LIMIT 1
                ) last ON true
                WHERE coalesce(last.new_status, 'unverified') <> i.status
                   OR (last.actor IS NOT NULL AND last.actor <> i.status_changed_by)
                """
            )
        ).scalar_one()
        intact = verify_audit(session).intact
    workspace.close()
    return int(lost), intact


def run_phase(name: str, urls: list[tuple[str, str]], ids: list[int], seconds: float) -> Outcome:
    hot = ids[:HOT_ITEMS]
    rest = ids[HOT_ITEMS:]
    shares = [rest[n :: len(urls)] for n in range(len(urls))]
    results: multiprocessing.Queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(
            target=reviewer, args=(url, login, shares[n], hot, seconds, n, results)
        )
        for n, (url, login) in enumerate(urls)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join(30)
    elapsed = time.perf_counter() - started
    total = Outcome()
    for outcome in outcomes:
        total.latencies += outcome.latencies
        total.decided += outcome.decided
        total.stale += outcome.stale
        total.refused += outcome.refused
        total.tracebacks += outcome.tracebacks
    lat = sorted(total.latencies)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
    rate = total.decided / elapsed
    print(
        f"{name}: {rate:,.1f} decisions/s ({total.decided:,} in {elapsed:.0f} s); latency "
        f"p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms; "
        f"stale (reported) {total.stale}, refused {total.refused}, "
        f"tracebacks {len(total.tracebacks)}"
    )
    for shown in total.tracebacks[:3]:
        print(shown)
    return total


def count_round_trips(
    admin_url: str, login: str, ids: list[int], proxy: DelayProxy
) -> tuple[float, float]:
    """Round trips per decision, and the median latency of one reviewer alone."""
    from sqlmodel import Session

    from verifier.core.concurrency import with_retries
    from verifier.core.review import decisions
    from verifier.core.workspace import Workspace

    def flag(session: Session, item_id: int) -> None:
        decisions.set_status(session, item_id, "flagged", login, note="n", reason="r")

    workspace = Workspace(as_login(admin_url, login, proxy.port))
    for item_id in ids[:2]:  # warm the connection and the role cache
        with_retries(workspace, partial(flag, item_id=item_id))
    before = proxy.bursts
    alone = []
    for item_id in ids[2:]:
        started = time.perf_counter()
        with_retries(workspace, partial(flag, item_id=item_id))
        alone.append(time.perf_counter() - started)
    trips = (proxy.bursts - before) / len(ids[2:])
    workspace.close()
    return trips, statistics.median(alone)


def drop(admin_url: str, schema: str, prefix: str, lead: str, names: list[str]) -> None:
    engine = create_engine(make_url(admin_url).set(drivername="postgresql+psycopg"))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        for role in [
            lead,
            *names,
            *(f"{prefix}_{k}" for k in ("lead", "assistant", "analyst", "owner")),
        ]:
            if connection.execute(
                text("SELECT count(*) FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).scalar_one():
                connection.execute(text(f'DROP OWNED BY "{role}" CASCADE'))
                connection.execute(text(f'DROP ROLE "{role}"'))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--logins", type=int, default=12)
    parser.add_argument("--pg", default=os.environ.get("VERIFIER_TEST_PG", DEFAULT_PG))
    args = parser.parse_args()
    base = make_url(args.pg).set(drivername="postgresql")
    assert base.host in ("127.0.0.1", "localhost", "::1", None), "loopback servers only"
    suffix = uuid.uuid4().hex[:8]
    schema, prefix = f"bench_team_{suffix}", f"vb{suffix}"
    engine = create_engine(base.set(drivername="postgresql+psycopg"))
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    admin_url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )
    print(f"load before: {os.getloadavg()[0]:.2f} (1 min), {multiprocessing.cpu_count()} cores")
    lead, names = "", list[str]()
    proxy = DelayProxy((base.host or "127.0.0.1", base.port or 5432), DELAY).start()
    try:
        started = time.perf_counter()
        lead, names, ids = build(admin_url, prefix, args.logins)
        print(
            f"set-up: {len(names)} assistant logins, {len(ids):,} items "
            f"({time.perf_counter() - started:.0f} s)"
        )
        # The round-trip count needs undecided items: keep them out of the load phases.
        raced, counted = ids[:-ROUND_TRIP_ITEMS], ids[-ROUND_TRIP_ITEMS:]
        direct = [(as_login(admin_url, n), n) for n in names]
        run_phase("direct (loopback)", direct, raced, args.seconds)
        proxied = [(as_login(admin_url, n, proxy.port), n) for n in names]
        run_phase(
            f"through the proxy ({DELAY * 1000:.0f} ms each way)", proxied, raced, args.seconds
        )
        trips, alone = count_round_trips(admin_url, names[0], counted, proxy)
        print(
            f"round trips per decision (counted by the proxy): {trips:.1f}; one reviewer "
            f"alone through the proxy: p50 {alone * 1000:.0f} ms"
        )
        lost, intact = check(as_login(admin_url, lead))
        print(f"lost updates: {lost}; audit verify: {'intact' if intact else 'BROKEN'}")
        print(f"load after: {os.getloadavg()[0]:.2f} (1 min)")
    finally:
        proxy.stop()
        drop(args.pg, schema, prefix, lead, names)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
