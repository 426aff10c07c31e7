"""What the walk covers: every command, how it is run, and in which formats.

``COVERED`` names every command of the ``verifier`` command tree with the arguments it is
run with over the hostile workspace and, for a command with ``--format``, the formats it is
walked in. The walk test compares it with the tree itself: a command or a ``--format``
choice added without an entry here fails the test until it is covered. How the bytes it
writes are judged is ``output_checks.py``'s.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import typer

from tests.safety.hostile import MARKUP, hostile
from verifier.core.text import clean_display

LEAD, OMAR, SARA = "layla", "omar", "sara"
# Sprint names are stored cleaned of controls; commands find a sprint by its stored name.
SPRINT = clean_display(hostile("sprint name").replace(",", ";")).strip()
H = hostile("argument", 1)  # what a user may type as a note, a reason, a title or a name


@dataclass(frozen=True)
class Call:
    """One run of a command: who runs it, its arguments (``{out}`` is a fresh folder for
    the files it writes, ``{in}`` the folder of the hostile input files), and literal text
    its standard output must show (proof that the data got through, as text)."""

    user: str
    args: tuple[str, ...]
    shows: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cover:
    calls: tuple[Call, ...]
    # Every choice of --format, each walked with every call (to stdout and with -o FILE
    # when the command writes files); None for a command without an output --format.
    formats: tuple[str, ...] | None = None
    # Why the command is not run here, and which test covers it instead.
    elsewhere: str = ""
    # The command's --format names what it reads, not what it writes.
    input_format: bool = False
    # Formats the command offers but refuses (walked all the same: the refusal is output).
    refused: tuple[str, ...] = ()


def _c(user: str, *args: str, shows: tuple[str, ...] = ()) -> Call:
    return Call(user, args, shows)


TABLE_CSV_JSON = ("table", "csv", "json")

# In the order they run: readers first, then the commands that change the workspace.
COVERED: dict[str, Cover] = {
    "status": Cover(
        (
            _c(SARA, "status", "--cities", "0"),
            _c(H, "status"),  # who is acting: an unknown, hostile name is quoted back
            _c(SARA, "--edition", H, "status"),
            _c(SARA, "--edition", "x\udc9b", "status"),  # bytes that are not UTF-8
        )
    ),
    "batches": Cover((_c(SARA, "batches"),), TABLE_CSV_JSON),
    "rejects": Cover(
        (_c(SARA, "rejects", shows=("rejected label",)), _c(SARA, "rejects", "--duplicates")),
        TABLE_CSV_JSON,
    ),
    "cities": Cover(
        (_c(SARA, "cities", shows=(MARKUP,)), _c(SARA, "cities", "-s", H)), TABLE_CSV_JSON
    ),
    "items": Cover(
        (_c(SARA, "items", "--limit", "0", shows=(MARKUP,)), _c(SARA, "items", "--search", H)),
        TABLE_CSV_JSON,
    ),
    "item show": Cover(
        (_c(SARA, "item", "show", "1", shows=("raw label",)), _c(SARA, "item", "show", "8")),
        ("text", "json"),
    ),
    "publications": Cover((_c(SARA, "publications", shows=("publication note",)),), TABLE_CSV_JSON),
    "publication show": Cover(
        (_c(SARA, "publication", "show", "1", shows=(f"publication note {MARKUP}",)),)
    ),
    "publication diff": Cover((_c(SARA, "publication", "diff", "1", "2"),)),
    "publication export": Cover((_c(SARA, "publication", "export", "2"),), ("json", "csv")),
    "conflicts": Cover((_c(SARA, "conflicts"),), TABLE_CSV_JSON),
    "score": Cover(
        (
            _c(
                SARA,
                "score",
                "--publication",
                "2",
                "--uncertainty",
                "20",
                "--chart",
                "{out}/ranking.svg",
            ),
            _c(SARA, "score", "--snapshot", "{in}/snapshot.json", "--uncertainty", "0"),
        ),
        ("table", "csv", "json", "md"),
    ),
    "report provenance": Cover(
        (
            _c(SARA, "report", "provenance", shows=(MARKUP,)),
            _c(SARA, "report", "provenance", "--item", "7"),
            _c(SARA, "report", "provenance", "--item", "1", shows=("raw method",)),
            _c(SARA, "report", "provenance", "--city", H),
        ),
        ("md", "html", "csv", "json", "prov-json"),
    ),
    "audit verify": Cover(
        (_c(SARA, "audit", "verify"), _c(SARA, "audit", "verify", "--all")), ("text", "json")
    ),
    "edition list": Cover((_c(SARA, "edition", "list", shows=("edition name",)),)),
    "reviewer list": Cover(
        (_c(SARA, "reviewer", "list", shows=("reviewer name",)),), TABLE_CSV_JSON
    ),
    "source list": Cover((_c(SARA, "source", "list", shows=("changed title",)),), TABLE_CSV_JSON),
    "source show": Cover(
        (
            _c(SARA, "source", "show", "yearbook-2023", shows=("changed title",)),
            _c(SARA, "source", "show", H),
        ),
        TABLE_CSV_JSON,
    ),
    "source history": Cover(
        (
            _c(SARA, "source", "history", "yearbook-2023", shows=("changed title",)),
            _c(SARA, "source", "history", H),
        ),
        TABLE_CSV_JSON,
    ),
    "evidence check": Cover(
        (
            _c(SARA, "evidence", "check", shows=("snippet_not_found",)),
            _c(SARA, "evidence", "check", "--status", "snippet_not_found", "--status", "match"),
            _c(SARA, "evidence", "check", "--source", H),
        ),
        TABLE_CSV_JSON,
    ),
    "audit anchor": Cover(
        (_c(SARA, "audit", "anchor", "--no-record"), _c(SARA, "audit", "anchor"))
    ),
    "audit seal": Cover((_c(SARA, "audit", "seal"), _c(LEAD, "audit", "seal"))),
    "sprint list": Cover((_c(SARA, "sprint", "list", shows=("sprint name",)),), TABLE_CSV_JSON),
    "sprint show": Cover(
        (_c(SARA, "sprint", "show", SPRINT, shows=("sprint name",)), _c(SARA, "sprint", "show", H))
    ),
    "sprint report": Cover((_c(SARA, "sprint", "report", SPRINT),), ("md", "html")),
    "qa show": Cover((_c(SARA, "qa", "show", "1"),)),
    "qa report": Cover(
        (_c(SARA, "qa", "report"), _c(SARA, "qa", "report", "1")), ("table", "json", "md", "html")
    ),
    "match": Cover(
        (
            _c(SARA, "match", H),
            _c(
                SARA,
                "match",
                "--gazetteer",
                "{in}/gazetteer.csv",
                "--input",
                "{in}/queries.csv",
                "--output",
                "{out}/results.csv",
            ),
        )
    ),
    "backup": Cover(
        (
            _c(LEAD, "backup", "{out}/backup.db", shows=("passed the integrity check",)),
            _c(LEAD, "backup", "{out}/" + H),  # a folder that does not exist, named raw
            _c(LEAD, "backup", "{in}/snapshot.json"),  # exists: refused without --force
        )
    ),
    # Commands that change the workspace, each quoting what it was given.
    "import": Cover(
        (
            _c(OMAR, "import", "{in}/more.csv"),
            _c(OMAR, "import", "{in}/more.csv"),
            _c(OMAR, "import", "{in}/" + "x" + "\x1b[2J.csv"),
        ),
        input_format=True,
    ),
    "edition load": Cover(
        (
            _c(LEAD, "edition", "load", "{in}/edition"),
            _c(LEAD, "edition", "load", "{in}/broken-edition"),
        )
    ),
    "item set-status": Cover(
        (
            _c(OMAR, "item", "set-status", "6", "--status", "verified", "--note", H),
            _c(OMAR, "item", "set-status", "3", "--status", "rejected", "--reason", H),
        )
    ),
    "item note": Cover((_c(SARA, "item", "note", "5", "--", H),)),
    "item match": Cover(
        (
            _c(SARA, "item", "match", "4", "--city", H),
            _c(SARA, "item", "match", "4", "--city", "lb-tripoli", "--note", H),
        )
    ),
    "item confirm-label": Cover((_c(SARA, "item", "confirm-label", "4", "--city", H),)),
    "item undo": Cover((_c(SARA, "item", "undo"),)),
    "rematch": Cover((_c(LEAD, "rematch"),)),
    "conflict resolve": Cover((_c(LEAD, "conflict", "resolve", "2", "--reason", H),)),
    "qa sample": Cover(
        (_c(LEAD, "qa", "sample", "--size", "1", "--assign", "omar,sara", "--seed", "3"),),
        ("table", "json"),
    ),
    "qa review": Cover((_c(SARA, "qa", "review", "1", "--status", "flagged", "--note", H),)),
    "qa adjudicate": Cover(
        (_c(LEAD, "qa", "adjudicate", "2", "--status", "rejected", "--reason", H),)
    ),
    "sprint create": Cover(
        (
            _c(
                LEAD,
                "sprint",
                "create",
                H.replace(",", ";"),
                "--start",
                "2026-01-01",
                "--end",
                "2036-01-01",
                "--assign",
                "omar,sara",
            ),
            _c(
                LEAD,
                "sprint",
                "create",
                "again",
                "--start",
                H,
                "--end",
                "2036-01-01",
                "--assign",
                "omar",
            ),
        )
    ),
    "sprint reassign": Cover(
        (
            _c(LEAD, "sprint", "reassign", SPRINT, "--from", "omar", "--to", "sara"),
            _c(LEAD, "sprint", "reassign", SPRINT, "--from", H, "--to", "sara"),
        )
    ),
    "source add": Cover(
        (
            _c(
                LEAD,
                "source",
                "add",
                "new-source",
                "--title",
                H,
                "--publisher",
                H,
                "--published-on",
                H,
            ),
            _c(LEAD, "source", "add", "new-source", "--title", H),
        )
    ),
    "reviewer add": Cover(
        (
            _c(LEAD, "reviewer", "add", "lina", "--name", H),
            _c(LEAD, "reviewer", "add", H, "--name", H),
        )
    ),
    "publish": Cover((_c(LEAD, "publish", "--note", H),)),
    "team init": Cover((_c(LEAD, "team", "init", "--prefix", H),)),
    "init": Cover((_c(LEAD, "init"),)),
    "review": Cover((), elsewhere="tests/safety/test_tui_hostile.py runs the review UI"),
}


# The command tree -------------------------------------------------------------------------


@dataclass
class Command:
    path: str
    formats: tuple[str, ...] | None  # the --format choices; None: no --format
    free_format: bool  # --format takes any text (not a choice)
    writes_files: bool  # has --output / -o
    options: set[str] = field(default_factory=set)


def command_tree(app: typer.Typer) -> dict[str, Command]:
    """Every command the real app has, with its --format choices."""
    root = typer.main.get_command(app)
    found: dict[str, Command] = {}

    def walk(command: Any, path: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands is not None:
            for name, sub in subcommands.items():
                walk(sub, (*path, name))
            return
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        formats, free = None, False
        for param in command.params:
            if "--format" in getattr(param, "opts", []):
                kind = param.type_descriptor.annotation
                if isinstance(kind, type) and issubclass(kind, enum.Enum):
                    formats = tuple(member.value for member in kind)
                else:
                    free = True
        found[" ".join(path)] = Command(
            " ".join(path), formats, free, "--output" in options, options
        )

    walk(root, ())
    return found


def calls_of(name: str, cover: Cover, command: Command) -> Iterator[tuple[Call, list[str], str]]:
    """Each call of a covered command with each of its formats: the arguments to add and
    the kind of text standard output then holds."""
    formats = cover.formats if cover.formats is not None and not cover.input_format else None
    for call in cover.calls:
        if formats is None:
            yield call, [], "text"
            continue
        for fmt in formats:
            yield call, ["--format", fmt], fmt
            if command.writes_files:
                yield call, ["--format", fmt, "-o", f"{{out}}/{name.replace(' ', '-')}.{fmt}"], fmt
