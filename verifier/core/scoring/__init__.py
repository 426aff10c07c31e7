"""Score and rank the cities of a publication snapshot (method: docs/scoring.md).

Plain Python and numpy over a publication document; no database, no UI. Names are loaded
on first use, so that commands which never score do not pay for importing numpy;
the chart of a ranking is drawn by ``verifier.presentation.chart``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verifier.core.scoring.errors import ScoringOptionError, SnapshotFormatError
    from verifier.core.scoring.export import to_csv, to_dict, to_json, to_markdown
    from verifier.core.scoring.options import DEFAULT_SEED, ScoringOptions
    from verifier.core.scoring.results import (
        CityResult,
        DomainWeight,
        IndicatorWeight,
        Ranking,
        ScoringWarning,
        UncertaintyResult,
    )
    from verifier.core.scoring.scorer import score
    from verifier.core.scoring.snapshot import (
        PublicationSnapshot,
        load_snapshot_file,
        parse_snapshot,
        verify_snapshot_hash,
    )
    from verifier.core.scoring.uncertainty import run_uncertainty

_HOME_MODULE = {
    "ScoringOptionError": "errors",
    "SnapshotFormatError": "errors",
    "to_csv": "export",
    "to_dict": "export",
    "to_json": "export",
    "to_markdown": "export",
    "DEFAULT_SEED": "options",
    "ScoringOptions": "options",
    "CityResult": "results",
    "DomainWeight": "results",
    "IndicatorWeight": "results",
    "Ranking": "results",
    "ScoringWarning": "results",
    "UncertaintyResult": "results",
    "score": "scorer",
    "PublicationSnapshot": "snapshot",
    "load_snapshot_file": "snapshot",
    "parse_snapshot": "snapshot",
    "verify_snapshot_hash": "snapshot",
    "run_uncertainty": "uncertainty",
}

__all__ = [
    "DEFAULT_SEED",
    "CityResult",
    "DomainWeight",
    "IndicatorWeight",
    "PublicationSnapshot",
    "Ranking",
    "ScoringOptionError",
    "ScoringOptions",
    "ScoringWarning",
    "SnapshotFormatError",
    "UncertaintyResult",
    "load_snapshot_file",
    "parse_snapshot",
    "run_uncertainty",
    "score",
    "to_csv",
    "to_dict",
    "to_json",
    "to_markdown",
    "verify_snapshot_hash",
]


def __getattr__(name: str) -> Any:
    home = _HOME_MODULE.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
