"""Which migration is the newest, read without loading SQLAlchemy or Alembic: checking a
workspace's schema is the first thing every command does, so it must cost nothing."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

_REVISION = re.compile(r"^revision\b[^=]*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=]*=(.*)$", re.MULTILINE)


@cache
def head_revision() -> str:
    """The newest migration: the one no other names as its ``down_revision``. Read from the
    migration files' two assignments; anything unusual (several heads, a file the pattern
    does not read) is left to Alembic, which explains it."""
    revisions: set[str] = set()
    below: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        named = _REVISION.search(source)
        down = _DOWN_REVISION.search(source)
        if named is None or down is None:
            continue
        revisions.add(named.group(1))
        below.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    heads = revisions - below
    if len(heads) == 1:
        return heads.pop()
    return _alembic_head()


def _alembic_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None, "no migrations found"
    return head
