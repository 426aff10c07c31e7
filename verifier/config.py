"""User configuration: defaults < config file < environment < command-line options.

The config file is TOML, found at ``$VERIFIER_CONFIG`` or the user's config directory
(``~/.config/verifier/config.toml`` on Linux). Every setting can also be given as an
environment variable with the ``VERIFIER_`` prefix.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from verifier.config_source import APP_NAME, DEFAULT_DB_URL, config_path

__all__ = ["APP_NAME", "DEFAULT_DB_URL", "Settings", "config_path", "load_settings"]


class Settings(BaseSettings):
    """All user-facing settings. Field docs are shown by ``verifier config``."""

    model_config = SettingsConfigDict(env_prefix="VERIFIER_", extra="ignore")

    db: str = Field(
        default=DEFAULT_DB_URL,
        description="Workspace database: a SQLAlchemy URL or a path to a SQLite file.",
    )
    user: str | None = Field(
        default=None, description="Reviewer name recorded on every decision (default: OS user)."
    )
    edition: str | None = Field(
        default=None, description="Edition code used when a command does not name one."
    )
    bidi: Literal["on", "off"] = Field(
        default="on",
        description=(
            "on: reorder and shape Arabic for terminals without bidi support; "
            "off: pass logical order through for terminals that apply bidi themselves."
        ),
    )
    harakat: Literal["keep", "remove"] = Field(
        default="keep",
        description=(
            "keep: show Arabic vowel marks as written; remove: leave them out of the display "
            "(stored text never changes)."
        ),
    )
    lock_timeout: float = Field(
        default=30.0,
        ge=0,
        le=86_400,
        description=(
            "Seconds a command that writes to a SQLite workspace waits for another writer "
            "(an import, say) before giving up with nothing saved."
        ),
    )
    screenshot_dir: str | None = Field(
        default=None,
        description="Where the review UI saves screenshots (default: the current directory).",
    )
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description="Binding id -> keys, e.g. verify = 'v,enter'. See `verifier review --help`.",
    )
    anchor: str | None = Field(
        default=None,
        description=(
            "File (or directory: one file per workspace) where `publish` and "
            "`verifier audit anchor` append the review log's head, kept outside the "
            "workspace; `verifier audit verify` checks the log against it."
        ),
    )
    theme: str = Field(default="textual-dark", description="Textual theme of the review UI.")
    page_size: int = Field(default=200, ge=20, le=5000, description="Queue rows per page.")
    import_max_bytes: int = Field(
        default=512 * 1024 * 1024,
        ge=1024,
        description=(
            "Largest file `verifier import` reads, in bytes, for every format (for XLSX, "
            "what the workbook unpacks to)."
        ),
    )
    import_max_field_chars: int = Field(
        default=100_000,
        ge=100,
        description="Longest value a cell or JSON field may hold; a longer one refuses its row.",
    )
    max_document_mb: int = Field(
        default=200,
        ge=1,
        le=4096,
        description="Largest source document stored in the workspace, in megabytes.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_path())
        return (init_settings, env_settings, toml)


def load_settings(**overrides: Any) -> Settings:
    """Settings with explicit overrides (from command-line options) applied last."""
    from pydantic import ValidationError

    from verifier.core.errors import VerifierError

    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise VerifierError(
            f"invalid settings ({problems}); check {config_path()} and VERIFIER_* variables"
        ) from None
