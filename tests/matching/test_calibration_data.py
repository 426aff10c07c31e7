"""The threshold rules and the letter model of benchmarks/matching_calibration_data.py."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from verifier.core.matching.calibration import Calibration

BENCHMARKS = str(Path(__file__).resolve().parents[2] / "benchmarks")


@pytest.fixture
def calibration_data(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    monkeypatch.syspath_prepend(BENCHMARKS)
    import matching_calibration_data

    yield matching_calibration_data
    sys.modules.pop("matching_calibration_data", None)


def _outcome(
    module: ModuleType, level: float, *, correct: bool = True, abroad: bool = False
) -> Any:
    return module.learning.Outcome(
        "DZ", "Ar→En", False, correct, correct, 90.0, 10.0, False, 0.0, {"score": level}, abroad
    )


def test_allowing_k_puts_the_threshold_above_all_but_k_unlisted_outsiders(
    calibration_data: ModuleType,
) -> None:
    calibration = Calibration(0.0, {"score": 10.0}, 0.5)
    dev = [_outcome(calibration_data, n / 10) for n in range(1, 10)]
    listed = _outcome(calibration_data, 0.95, correct=False, abroad=True)
    unlisted = [_outcome(calibration_data, v, correct=False) for v in (0.5, 0.6, 0.7)]

    def threshold(k: int) -> float:
        return calibration_data.allowing(k)(calibration, dev, [listed, *unlisted])

    def p(level: float) -> float:
        return calibration.probability({"score": level})

    # The outsider the list holds never sets the threshold; the unlisted ones do.
    assert threshold(0) == pytest.approx(p(0.8))
    assert threshold(1) == pytest.approx(p(0.7))
    assert threshold(3) == pytest.approx(p(0.1))
    assert threshold(0) > threshold(1) > threshold(3)


def test_letter_model_prefers_the_letters_it_was_trained_on(calibration_data: ModuleType) -> None:
    model = calibration_data.LetterModel(["bghdad", "basra", "bsra"])
    assert model.log_p("basra") > model.log_p("xqzvw")
