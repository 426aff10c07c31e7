"""What every command shares: settings, the acting user, the workspace, a console."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

from verifier.config_source import QUICK_DEFAULTS, quick_settings
from verifier.core.safe_output import terminal_line, terminal_text

if TYPE_CHECKING:
    # Settings and the database layer are loaded only by commands that use them: a
    # command such as `verifier match --gazetteer` starts without either.
    from db.direct import Target
    from verifier.config import Settings
    from verifier.core.people.identity import Identity
    from verifier.core.workspace import Workspace


@dataclass
class CliState:
    # The global options as given; None means "not given" (config file, env or default).
    overrides: dict[str, Any] = field(default_factory=dict)
    # soft_wrap: messages are not broken at the terminal width (they may be piped or grepped).
    # emoji/highlight/markup off: data such as "file.jsonl:100:" or "[b]" prints as written.
    console: Console = field(default_factory=lambda: _console(stderr=False))
    err: Console = field(default_factory=lambda: _console(stderr=True))
    _workspace: Workspace | None = None
    _settings: Settings | None = None
    _identity: Identity | None = None
    _told_waiting: bool = False
    _login_checked: bool = False

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from verifier.config import load_settings

            self._settings = load_settings(**self.overrides)
            from verifier.presentation.display import configure

            configure(harakat=self._settings.harakat == "keep")
        return self._settings

    def quick_settings(self) -> dict[str, Any] | None:
        """The plain settings (workspace, edition, display), read without pydantic, for a
        command that must start fast; None when only the full settings can read them."""
        if self._settings is not None:
            return {name: getattr(self._settings, name) for name in QUICK_DEFAULTS}
        quick = quick_settings(self.overrides)
        if quick is not None:
            from verifier.presentation.display import configure

            configure(harakat=quick["harakat"] == "keep")
        return quick

    @property
    def identity(self) -> Identity:
        """Who is acting: in team mode the database login; otherwise --user (or
        VERIFIER_USER, or the OS user), which must name a registered reviewer. Read once
        the workspace is at the current schema: an upgrade it needs is told first."""
        if self._identity is None:
            from verifier.core.people.identity import resolve_identity

            self._identity = resolve_identity(self.workspace(), self.settings.user)
        return self._identity

    @property
    def user(self) -> str:
        return self.identity.name

    @property
    def bidi(self) -> bool:
        """Whether to reorder and shape Arabic for display (the ``bidi`` setting)."""
        return self.settings.bidi == "on"

    def display_bidi(self) -> bool:
        """The ``bidi`` setting, read without failing: a message about a broken config
        file must still be shown (then as the default says)."""
        if self._settings is not None:
            return self._settings.bidi == "on"
        quick = quick_settings(self.overrides)
        if quick is not None:
            return bool(quick["bidi"] == "on")
        try:
            return self.bidi
        except Exception:  # the settings cannot be read: the message says why, elsewhere
            return QUICK_DEFAULTS["bidi"] == "on"

    def line(self, text: str, *, err: bool = False, one_line: bool = True) -> str:
        """A message of ours quoting untrusted text (a label, a name, a reason) as this
        command's console shows it: through the one display layout
        (``presentation.display.shown_message``), made safe, and at a terminal with the
        ``bidi`` setting on, shaped and in visual order; piped, in logical order."""
        from verifier.presentation.display import shown_message

        console = self.err if err else self.console
        bidi = console.is_terminal and self.display_bidi()
        return shown_message(text, bidi=bidi, one_line=one_line)

    def say(self, text: str, *, err: bool = False, style: str = "") -> None:
        """Print a one-line message of ours (:meth:`line`), never read as markup."""
        (self.err if err else self.console).print(Text(self.line(text, err=err), style=style))

    @property
    def edition_code(self) -> str | None:
        return self.settings.edition

    @property
    def anchor_path(self) -> Path | None:
        """The configured anchor file or directory (the ``anchor`` setting), if any."""
        configured = self.settings.anchor
        return Path(configured).expanduser() if configured and configured.strip() else None

    def workspace(self, check: bool = True) -> Workspace:
        """The workspace named by --db / VERIFIER_DB; checked to be at the current schema."""
        if self._workspace is None:
            from verifier.core.workspace import Workspace

            self._workspace = Workspace(
                self.settings.db,
                lock_timeout=self.settings.lock_timeout,
                on_lock_wait=self._say_waiting,
            )
        if check:
            self._workspace.check_schema()
            if not self._login_checked:
                self._refuse_other_login(self._workspace)
        return self._workspace

    def _refuse_other_login(self, workspace: Workspace) -> None:
        """Team mode: every command, reading or writing, acts as the database login (see
        ``refuse_other_than_login``); checked once a command, when the workspace opens."""
        self._login_checked = True
        if workspace.backend != "postgresql":
            return
        from verifier.core.people.actor import refuse_other_than_login
        from verifier.core.people.roles import team_login

        with workspace.reading() as session:
            login = team_login(session)
        if login is not None:
            refuse_other_than_login(login, self.settings.user)

    def refuse_other_login_direct(self, connection: Any, target: Target, user: str | None
                                  ) -> None:  # fmt: skip
        """The same rule on a driver connection (``db.direct``), for a command read
        without the ORM; ``user`` is the plain settings' ``user``."""
        from db import direct
        from verifier.core.people.actor import refuse_other_than_login

        login = direct.team_login(connection, target)
        if login is not None:
            refuse_other_than_login(login, user)

    def _say_waiting(self, timeout: float) -> None:
        """Once per command: why nothing seems to happen while another writer works."""
        if self._told_waiting:
            return
        self._told_waiting = True
        self.err.print(
            f"waiting for another writer (an import?) to finish with the workspace; giving up "
            f"after {timeout:g} s (setting lock_timeout, VERIFIER_LOCK_TIMEOUT)...",
            markup=False,
        )

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None


class SafeConsole(Console):
    """A console that cannot be made to send a control sequence from data: every segment of
    text it prints, whatever renderable it came from, goes through the output-safety policy
    (its own styles and cursor controls are not text and still work)."""

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control is None:
                clean = terminal_text(segment.text)
                if clean != segment.text:
                    segment = Segment(clean, segment.style)
            yield segment


def _console(*, stderr: bool) -> Console:
    return SafeConsole(stderr=stderr, soft_wrap=True, emoji=False, highlight=False, markup=False)


def state(ctx: typer.Context) -> CliState:
    obj: Any = ctx.find_root().obj
    assert isinstance(obj, CliState), "the root callback sets the state"
    return obj


def error_text(message: str, cli: CliState | None = None) -> str:
    """An error's message as stderr shows it (:meth:`CliState.line`, its lines kept); a
    command started without the parser's state reads the plain settings itself."""
    if cli is None:
        cli = CliState(err=_console(stderr=True))
    return cli.line(message, err=True, one_line=False)


def report_database_error(error: Exception) -> None:
    """A database error as one line and exit status 1. Looked up only when an error comes:
    a command that never loaded SQLAlchemy (``status``) does not load it to start."""
    if "sqlalchemy" not in sys.modules:
        return
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm.exc import StaleDataError

    if isinstance(error, StaleDataError):
        message = "someone else changed the same item at the same moment; nothing was saved"
        typer.secho(f"error: {message}. Look at it again and decide.", fg="red", err=True)
        raise typer.Exit(1) from error
    if isinstance(error, DBAPIError):
        from verifier.core.concurrency import explain_database_error

        message = terminal_line(explain_database_error(error))
        typer.secho(f"error: {message}", fg="red", err=True)
        raise typer.Exit(1) from error
