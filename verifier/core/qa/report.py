"""The QA report: per sample and overall, with breakdowns by first reviewer, source and
extractor, and the disagreements awaiting adjudication. ``report_document`` is the JSON
contract of ``verifier qa report --format json`` (docs/qa.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from db.models import Edition
from db.types import utcnow
from verifier.core.errors import NotFoundError
from verifier.core.qa.figures import (
    Figures,
    Pair,
    SampleInfo,
    breakdown,
    figures_of,
    load_pairs,
    samples,
)
from verifier.core.safe_output import json_value

BREAKDOWNS = (
    ("first_reviewer", "first reviewer", lambda p: p.first_reviewer),
    ("source", "source", lambda p: p.source),
    ("extractor", "extractor", lambda p: p.extractor or "(unknown)"),
)


@dataclass(frozen=True)
class SampleFigures:
    info: SampleInfo
    figures: Figures


@dataclass(frozen=True)
class QaReport:
    edition_code: str
    generated_at: datetime
    sample_id: int | None  # the one sample asked about, or None for all
    samples: list[SampleFigures]
    overall: Figures
    breakdowns: dict[str, list[tuple[str, Figures]]]
    disputes: list[Pair]  # disagreements awaiting adjudication, with both decisions


def build_qa_report(session: Session, edition: Edition, sample_id: int | None = None) -> QaReport:
    assert edition.id is not None
    infos = samples(session, edition.id, sample_id)
    if sample_id is not None and not infos:
        raise NotFoundError(f"no QA sample {sample_id} in edition {edition.code}")
    pairs = load_pairs(session, edition.id, sample_id)
    by_sample: dict[int, list[Pair]] = {info.id: [] for info in infos}
    for pair in pairs:
        by_sample[pair.sample_id].append(pair)
    return QaReport(
        edition_code=edition.code,
        generated_at=utcnow(),
        sample_id=sample_id,
        samples=[SampleFigures(info, figures_of(by_sample[info.id])) for info in infos],
        overall=figures_of(pairs),
        breakdowns={name: breakdown(pairs, key) for name, _, key in BREAKDOWNS},
        disputes=[p for p in pairs if p.awaiting_adjudication],
    )


def figures_fields(figures: Figures, sample_id: int | None) -> dict[str, Any]:
    """The contract's fields (docs/qa.md), then the counts behind them."""
    return {
        "sample_id": sample_id,
        "size": figures.size,
        "reviewed": figures.reviewed,
        "agreement": figures.agreement,
        "kappa": figures.kappa,
        "error_rate": figures.error_rate,
        "error_ci": [figures.error_ci.low, figures.error_ci.high],
        "disagreements": figures.disagreements,
        "verified_reviewed": figures.verified_reviewed,
        "errors": figures.errors,
        "adjudicated": figures.adjudicated,
        "confusion": {
            "categories": ["verified", "rejected", "flagged"],
            "rows_first_columns_second": figures.confusion,
        },
    }


def report_document(report: QaReport) -> dict[str, Any]:
    samples_out = []
    for entry in report.samples:
        info = entry.info
        fields = figures_fields(entry.figures, info.id)
        fields |= {
            "seed": info.seed,
            "population": info.population,
            "stratify": info.stratify or None,
            "sprint": info.sprint,
            "reviewers": info.reviewers,
            "created_by": info.created_by,
            "created_at": info.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "scope": info.scope,
        }
        samples_out.append(fields)
    overall = figures_fields(report.overall, None)
    overall["samples"] = [entry.info.id for entry in report.samples]
    document: dict[str, Any] = {
        "edition": report.edition_code,
        "generated_at": report.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "samples": samples_out,
        "overall": overall,
        "breakdowns": {
            name: [
                {name: key} | figures_fields(figures, None) | {"reasons": _reasons(figures)}
                for key, figures in groups
            ]
            for name, groups in report.breakdowns.items()
        },
        "awaiting_adjudication": [
            {
                "sample_id": p.sample_id,
                "item_id": p.item_id,
                "first_status": p.first_status,
                "first_reviewer": p.first_reviewer,
                "second_status": p.second_status,
                "second_reviewer": p.second_by,
                "reason": p.reason_given,
            }
            for p in report.disputes
        ],
    }
    for groups in document["breakdowns"].values():
        for group in groups:
            group.pop("sample_id")
    cleaned: dict[str, Any] = json_value(document)
    return cleaned


def _reasons(figures: Figures) -> list[dict[str, Any]]:
    return [{"reason": text, "count": n} for text, n in figures.reasons]
