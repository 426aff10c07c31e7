"""What the calibration's data does to the ``auto`` threshold, leave one country out on the
dev countries. From the repository root (after ``train_matching.py`` has filled the cache):

    .venv/bin/python benchmarks/matching_calibration_data.py

The shipped threshold must keep every outsider (a large city outside the League, matched
with no hint against a dev gazetteer) out of ``auto``. Those outsiders are the 300 most
populous, all of them in the list of large cities elsewhere (``foreign.py``), which keeps
their labels out of ``auto`` at run time anyway; but the fitting learns that the list held
a label back only from a band that was already ``auto``, so the outsider that pins the
threshold is one the list would have stopped. This script measures the honest variants:

* A: as shipped;
* B: the list's verdict recorded on every outsider, whatever the band (a label the list
  holds back no longer sets the threshold);
* C: B plus 2,000 cities that the list does not hold (ranked 1,301 to 3,300), so that
  something still stands for unlisted foreign cities; the cities ranked 1,001 to 1,300 are
  left for measuring;
* C allowing k: C, the threshold above all but the k most probable unlisted outsiders
  (a rate instead of a maximum);
* each with and without a learned "origin" feature: how much a label looks like the name of
  a city of an Arab country rather than of a city elsewhere, by letter-trigram models of the
  dev countries' names (leave one country out) against those of cities ranked after 4,000.

Every variant is fitted and thresholded on ten countries and measured on the eleventh, as
``train_matching.py`` does; the held-out League countries are never loaded.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

import matching_calibration as calibrating
import matching_learning as learning
import numpy as np
import train_matching as training
from matching_devset import ARAB_LEAGUE, DEV_COUNTRIES, arabic_names, latin_names
from matching_devset import _all_cities as all_cities

from verifier.core.matching.calibration import FEATURES, Calibration
from verifier.core.matching.forms import analyse
from verifier.core.matching.learned.parameters import MatchingParameters, default_parameters

# Every plausible best candidate is ``auto`` under this calibration, so the list of large
# cities elsewhere, which acts on an ``auto`` band only, shows its verdict on every label.
OPEN = Calibration(0.0, {"score": 1.0}, 0.0)
UNLISTED = (1300, 2000)  # (skip, count): fitting's outsiders the list does not hold
MEASURED = (1000, 300)  # cities ranked 1,001-1,300, for measuring only
ORIGIN_NEGATIVES = 4000  # cities after this rank train the "elsewhere" letter model
RUNS = [(d, h) for d in ("Ar→En", "En→Ar", "Mixed") for h in (False, True)]


def _say(*parts: object) -> None:
    print(*parts, flush=True)


# -- a learned origin feature ----------------------------------------------------------------


def _text(name: str) -> str:
    forms = analyse(name, guess_order=False)
    return forms[0].model_text if forms else name.lower()


def _trigrams(text: str) -> list[str]:
    padded = f"^^{text}$"
    return [padded[n : n + 3] for n in range(len(padded) - 2)]


class LetterModel:
    """Letter trigrams, add-half smoothed: log P(text) of a kind of name."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.counts = Counter(g for t in texts for g in _trigrams(t))
        self.contexts: Counter[str] = Counter()
        for gram, value in self.counts.items():
            self.contexts[gram[:2]] += value

    def log_p(self, text: str) -> float:
        return sum(
            math.log((self.counts[g] + 0.5) / (self.contexts[g[:2]] + 30.0))
            for g in _trigrams(text)
        )


class Origin:
    """Per symbol, log P(label | a dev country's name) − log P(label | a name elsewhere),
    by script; the dev model of each fold leaves its country out."""

    def __init__(self) -> None:
        cities = all_cities()
        elsewhere = sorted(
            (c for c in cities if c["countrycode"] not in ARAB_LEAGUE),
            key=lambda c: -int(c.get("population") or 0),
        )[ORIGIN_NEGATIVES:]
        self.elsewhere = self._models(elsewhere, 3)
        dev = [c for c in cities if c["countrycode"] in DEV_COUNTRIES]
        self.dev = {
            held: self._models([c for c in dev if c["countrycode"] != held], None)
            for held in (*DEV_COUNTRIES, None)
        }

    @staticmethod
    def _models(cities: list[dict], latin: int | None) -> dict[bool, LetterModel]:
        return {
            True: LetterModel([_text(n) for c in cities for n in arabic_names(c)]),
            False: LetterModel([_text(n) for c in cities for n in latin_names(c)[:latin]]),
        }

    def __call__(self, label: str, held: str | None) -> float:
        arabic = any("\u0600" <= ch <= "\u06ff" for ch in label)
        text = _text(label)
        ratio = self.dev[held][arabic].log_p(text) - self.elsewhere[arabic].log_p(text)
        return max(min(ratio / (len(text) + 1), 2.0), -2.0) / 2.0


# -- outcomes ----------------------------------------------------------------------------


def dev_outcomes(
    fitted: dict, parameters: MatchingParameters
) -> tuple[list[learning.Outcome], list[str]]:
    """The leave-one-country-out outcomes and each one's label, in the same order, with the
    list's verdict recorded whatever the band."""
    outcomes: list[learning.Outcome] = []
    labels: list[str] = []
    for country in DEV_COUNTRIES:
        fold = replace(parameters, transliteration=fitted[country], calibration=OPEN)
        outcomes.extend(learning.run([country], fold))
        for devset in learning.devsets():
            texts = [q.text for q in devset.queries if q.country == country]
            labels.extend(texts * 2)  # without, then with the hint
    assert len(outcomes) == len(labels)
    return outcomes, labels


def outsider_outcomes(
    parameters: MatchingParameters, skip: int, count: int
) -> list[tuple[str, learning.Outcome]]:
    """(label, outcome) of each outsider against each dev gazetteer, with the list's verdict
    (``abroad``) recorded whatever the band."""
    found = []
    opened = replace(parameters, calibration=OPEN)
    for devset in learning.devsets():
        labels, _ = learning.outsider_labels(devset.gazetteer, skip, count)
        results = learning.matcher_for(devset, opened).match_many([(x, None) for x in labels])
        for label, r in zip(labels, results, strict=True):
            outcome = learning.outsider_outcome(r, 0.0)
            found.append((label, outcome))
    return found


def with_origin(
    outcomes: Sequence[learning.Outcome], labels: Sequence[str], held: Sequence[str | None]
) -> list[learning.Outcome]:
    origin = _origin()
    return [
        replace(o, features={**o.features, "origin": origin(label, country)})
        for o, label, country in zip(outcomes, labels, held, strict=True)
    ]


_ORIGIN: list[Origin] = []


def _origin() -> Origin:
    if not _ORIGIN:
        _ORIGIN.append(Origin())
    return _ORIGIN[0]


# -- thresholds ------------------------------------------------------------------------------


Chooser = Callable[[Calibration, Sequence[learning.Outcome], Sequence[learning.Outcome]], float]


def shipped_rule(
    calibration: Calibration,
    outcomes: Sequence[learning.Outcome],
    outsiders: Sequence[learning.Outcome],
) -> float:
    return calibrating.choose_threshold(calibration, outcomes, outsiders).threshold


def allowing(k: int) -> Chooser:
    """The shipped rule's precision floors, above all but the ``k`` most probable outsiders
    that reach a plausible score and that the list does not hold."""

    def choose(
        calibration: Calibration,
        outcomes: Sequence[learning.Outcome],
        outsiders: Sequence[learning.Outcome],
    ) -> float:
        plausible = [o for o in outsiders if o.score >= 70.0 and not o.abroad]
        p = np.sort(calibrating.confidences(calibration, plausible))
        floor = float(p[-(k + 1)]) if len(p) > k else 0.0
        lowest = calibrating.choose_threshold(calibration, outcomes, []).threshold
        above = [
            float(t)
            for t in np.unique(calibrating.confidences(calibration, outcomes))
            if t > floor and t >= lowest
        ]
        return above[0] if above else 1.0

    return choose


def evaluate(
    name: str,
    outcomes: Sequence[learning.Outcome],
    outsiders: Sequence[learning.Outcome],
    measured: Sequence[learning.Outcome],
    choose: Chooser = shipped_rule,
) -> None:
    decided: list[tuple[learning.Outcome, bool]] = []
    for country in DEV_COUNTRIES:
        own = [o for o in outcomes if o.country != country]
        fitted = calibrating.fit_calibration([*own, *outsiders])
        threshold = choose(fitted, own, outsiders)
        decided.extend(
            (o, calibrating.is_auto(fitted, o, threshold)) for o in outcomes if o.country == country
        )
    final = calibrating.fit_calibration([*outcomes, *outsiders])
    threshold = choose(final, outcomes, outsiders)
    leaks = sum(calibrating.is_auto(final, o, threshold) for o in measured)

    def figure(direction: str | None, hint: bool | None) -> str:
        chosen = [
            (o, a)
            for o, a in decided
            if (direction is None or o.direction == direction) and (hint is None or o.hint is hint)
        ]
        count = sum(a for _, a in chosen)
        wrong = sum(a and not o.correct for o, a in chosen)
        return f"{count / len(chosen):.3f} ({(count - wrong) / max(count, 1):.4f}, {wrong})"

    cells = [figure(None, None), *(figure(d, h) for d, h in RUNS[:4])]
    _say(f"  {name:44} " + "  ".join(cells) + f"  {threshold:.4f}  {leaks}")


def main() -> int:
    fitted, _ = training.models()
    shipped = default_parameters()
    _say(
        f"== weight {shipped.learned_weight}, prior {shipped.script_prior};"
        " outcomes leave one country out"
    )
    outcomes, labels = dev_outcomes(fitted, shipped)
    full = replace(shipped, transliteration=fitted[None])
    largest = outsider_outcomes(full, 0, 300)
    unlisted = outsider_outcomes(full, *UNLISTED)
    measured = outsider_outcomes(full, *MEASURED)
    for title, found in (
        ("300 largest", largest),
        ("ranked 1,301-3,300", unlisted),
        ("ranked 1,001-1,300", measured),
    ):
        held = sum(o.abroad for _, o in found)
        _say(f"   outsiders {title}: {len(found)} labels, {held} held by the list")
    shipped_leaks = sum(
        calibrating.is_auto(shipped.calibration, o, shipped.calibration.auto_threshold)
        for _, o in unlisted
    )
    _say(
        f"   shipped calibration: {shipped_leaks} of {len(unlisted)} labels ranked 1,301-3,300"
        " reach auto"
    )
    Labelled = list[tuple[str, learning.Outcome]]
    as_before: Labelled = [(label, replace(o, abroad=False)) for label, o in largest]
    more: Labelled = [*largest, *unlisted]
    _say(
        "\n  variant: auto share (precision, wrong) pooled, Ar→En, Ar→En +hint, En→Ar,"
        " En→Ar +hint; threshold; labels ranked 1,001-1,300 in auto"
    )
    variants: list[tuple[str, Labelled, Chooser]] = [
        ("A shipped", as_before, shipped_rule),
        ("B list's verdict on every outsider", largest, shipped_rule),
        ("C B + 2,000 unlisted", more, shipped_rule),
        ("C allowing 2", more, allowing(2)),
        ("C allowing 4", more, allowing(4)),
    ]
    for name, outsiders, choose in variants:
        evaluate(name, outcomes, [o for _, o in outsiders], [o for _, o in measured], choose)
    _say("\n  with the origin feature")
    calibrating.FEATURES = (*FEATURES, "origin")
    dev = with_origin(outcomes, labels, [o.country for o in outcomes])

    def add(found: Labelled) -> list[learning.Outcome]:
        return with_origin([o for _, o in found], [x for x, _ in found], [None] * len(found))

    for name, outsiders, choose in variants[:3]:
        evaluate(f"{name} + origin", dev, add(outsiders), add(measured), choose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
