"""The parameter file: the learned transliteration model, how much its score weighs, the
script prior and the calibration of the bands, all fitted together by
``benchmarks/train_matching.py`` on the dev countries."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from verifier.core.matching.calibration import Calibration
from verifier.core.matching.learned.model import PARAMETER_FILE, TransliterationModel


@dataclass(frozen=True)
class MatchingParameters:
    transliteration: TransliterationModel | None
    # Share of the learned similarity in a cross-script score (rescoring.py).
    learned_weight: float
    # Best candidates per label whose score the learned model refines.
    learned_candidates: int
    # Points off a candidate outside the Arabic-speaking countries, for an Arabic-script
    # label without a country hint (ranking.py).
    script_prior: float
    calibration: Calibration
    # Latin letters a workspace's confirmations respell (respelling.py); never in the file.
    respellings: tuple[tuple[str, str], ...] = ()

    def with_transliteration(
        self, model: TransliterationModel | None, respellings: tuple[tuple[str, str], ...] = ()
    ) -> MatchingParameters:
        return replace(self, transliteration=model, respellings=respellings)

    def to_json(self) -> dict[str, Any]:
        data = self.transliteration.to_json() if self.transliteration is not None else {}
        data["scorer"] = {
            "learned_weight": self.learned_weight,
            "learned_candidates": self.learned_candidates,
            "script_prior": self.script_prior,
        }
        data["calibration"] = self.calibration.to_json()
        return data

    def save(self, path: Path) -> None:
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=1)
        path.write_text(text + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MatchingParameters:
        scorer = data["scorer"]
        return cls(
            TransliterationModel.from_json(data),
            float(scorer["learned_weight"]),
            int(scorer["learned_candidates"]),
            float(scorer["script_prior"]),
            Calibration.from_json(data["calibration"]),
        )

    @classmethod
    def load(cls, path: Path) -> MatchingParameters:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_json(data)
        except (OSError, ValueError, KeyError) as error:
            raise ValueError(f"{path}: not a usable matching parameter file ({error})") from None


@lru_cache(maxsize=1)
def default_parameters() -> MatchingParameters:
    """The shipped parameter file, loaded once."""
    return MatchingParameters.load(PARAMETER_FILE)
