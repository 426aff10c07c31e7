"""Test schemas left by a killed run are dropped by the next one, and only those: a live run's
schemas, and names without an owner tag, are kept (tests/pg_schemas.py)."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from tests.conftest import _pg_url, _require_pg
from tests.pg_schemas import SchemaOwner

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).parent.parent

# A run killed outright: it claims a tag, makes a schema, says its name, and is killed
# (SIGKILL: no fixture teardown, no atexit) while its lock connection is still open.
KILLED_RUN = """
import os, signal, sys
from sqlalchemy.engine import make_url
from tests.pg_schemas import SchemaOwner
owner = SchemaOwner(make_url(sys.argv[1]))
name = owner.schema_name()
owner.execute(f'CREATE SCHEMA "{name}"')
print(name, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture
def base(pg_reason: str | None) -> URL:
    _require_pg(pg_reason)
    return make_url(_pg_url()).set(drivername="postgresql+psycopg")


@pytest.fixture
def owner(base: URL) -> Iterator[SchemaOwner]:
    made = SchemaOwner(base)
    yield made
    made.close()


def _schemas(owner: SchemaOwner, *names: str) -> set[str]:
    found = owner._holder.execute(
        text("SELECT nspname FROM pg_namespace WHERE nspname = ANY(:n)"), {"n": list(names)}
    )
    return set(found.scalars())


def _sweep_once_released(owner: SchemaOwner, name: str) -> set[str]:
    """What a sweep drops once the server has ended the dead owner's session, which it does
    a moment after the connection closes, not at once."""
    dropped: set[str] = set()
    for _ in range(100):
        dropped |= set(owner.sweep())
        if name in dropped:
            break
        time.sleep(0.05)
    return dropped


def test_the_schemas_of_a_killed_run_are_swept(owner: SchemaOwner) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, owner.base.render_as_string(hide_password=False)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == -9, done.stderr
    left = done.stdout.strip()
    assert left.startswith("t_o") and _schemas(owner, left) == {left}
    assert left in _sweep_once_released(owner, left)
    assert _schemas(owner, left) == set()


def test_a_live_runs_schemas_are_kept_until_it_is_gone(owner: SchemaOwner, base: URL) -> None:
    other = SchemaOwner(base)  # another engineer's run, alive
    schema, template = other.schema_name(), other.schema_name("empty")
    assert template == f"tmpl_o{other.tag}_empty"
    for name in (schema, template):
        other.execute(f'CREATE SCHEMA "{name}"')
    try:
        assert not {schema, template} & set(owner.sweep())
        assert _schemas(owner, schema, template) == {schema, template}
    finally:
        other.close()  # gone, without dropping what it made
    assert {schema, template} <= _sweep_once_released(owner, schema)
    assert _schemas(owner, schema, template) == set()


def _roles(owner: SchemaOwner, *names: str) -> set[str]:
    found = owner._holder.execute(
        text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:n)"), {"n": list(names)}
    )
    return set(found.scalars())


def test_a_gone_runs_team_roles_are_swept_and_a_live_runs_kept(
    owner: SchemaOwner, base: URL
) -> None:
    """Roles belong to the whole server: a killed run's test team would stay for good."""
    other = SchemaOwner(base)
    suffix = other.role_suffix()
    assert suffix.startswith(f"o{other.tag}_")
    group, login = f"vt_{suffix}_lead", f"lead_{suffix}"
    schema = other.schema_name()
    other.execute(f'CREATE SCHEMA "{schema}"')
    other.execute(f'CREATE ROLE "{group}" NOLOGIN')
    other.execute(f'CREATE ROLE "{login}" LOGIN IN ROLE "{group}"')
    other.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{group}"')
    try:
        assert not {group, login} & set(owner.sweep())
        assert _roles(owner, group, login) == {group, login}
    finally:
        other.close()
    assert {schema, group, login} <= _sweep_once_released(owner, login)
    assert _roles(owner, group, login) == set()


def test_roles_without_an_owner_tag_are_never_swept(owner: SchemaOwner) -> None:
    """A team of another project on the same server, or of a run before tags."""
    tag = uuid.uuid4().hex[:8]
    unowned = (f"vt{tag}_lead", f"lead_{tag}", f"verifier_test_{tag}_owner")
    for name in unowned:
        owner.execute(f'CREATE ROLE "{name}" NOLOGIN')
    try:
        assert not set(unowned) & set(owner.sweep())
        assert _roles(owner, *unowned) == set(unowned)
    finally:
        for name in unowned:
            owner.execute(f'DROP ROLE "{name}"')


def test_a_run_never_sweeps_its_own_schemas(owner: SchemaOwner) -> None:
    name = owner.schema_name()
    owner.execute(f'CREATE SCHEMA "{name}"')
    try:
        assert name not in owner.sweep()
    finally:
        owner.execute(f'DROP SCHEMA "{name}" CASCADE')


def test_names_without_an_owner_tag_are_never_swept(owner: SchemaOwner) -> None:
    """Schemas named before owners were recorded may belong to a run still going."""
    tag = uuid.uuid4().hex
    unowned = (f"t_{tag[:12]}", f"tmpl_{tag[:8]}_empty", f"t_scale_{tag[:12]}")
    for name in unowned:
        owner.execute(f'CREATE SCHEMA "{name}"')
    try:
        assert not set(unowned) & set(owner.sweep())
        assert _schemas(owner, *unowned) == set(unowned)
    finally:
        for name in unowned:
            owner.execute(f'DROP SCHEMA "{name}" CASCADE')
