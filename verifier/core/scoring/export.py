"""The ranking as data files: CSV, JSON (``verifier.ranking/1``) and a Markdown report.

Names come from publications and snapshot files, so they go through the output-safety
policy: CSV cells never start a formula, JSON holds no raw control or bidi character, and
Markdown escapes every character that could become syntax, HTML or a link.
"""

from __future__ import annotations

import io
from typing import Any

from verifier.core.safe_output import json_text, write_csv_rows
from verifier.core.safe_output import markdown_text as md
from verifier.core.scoring.results import CityResult, Ranking
from verifier.core.wording import percent

RANKING_FORMAT = "verifier.ranking/1"
# Carried by every output of a ranking whose snapshot does not match its sha256: the CSV
# (column hash_verified), the JSON (publication.hash_verified), the Markdown report, the
# terminal table and the chart's title.
UNVERIFIED_NOTICE = (
    "NOT VERIFIED: the snapshot does not match its publication.sha256; it was changed after "
    "publishing, so this is not the ranking of the published snapshot"
)


def unverified_notice(ranking: Ranking) -> str | None:
    """The warning every output of ``ranking`` must carry, or None when the hash verified."""
    return None if ranking.hash_verified else UNVERIFIED_NOTICE


def csv_header(ranking: Ranking) -> list[str]:
    return [
        "rank",
        "city_id",
        "name_en",
        "name_ar",
        "country",
        "ranked",
        "overall",
        *(f"domain_{domain.code}" for domain in ranking.domains),
        "coverage",
        "indicators_with_value",
        "median_rank",
        "p5_rank",
        "p95_rank",
        "not_ranked_because",
        "hash_verified",
    ]


def to_csv(ranking: Ranking) -> str:
    """One row per city, ranked first; numbers at full precision, empty cell = none.

    Every row says whether the snapshot's hash verified, so no row copied out of the file
    can pass for a published ranking when it was not.
    """
    verified = "yes" if ranking.hash_verified else "no"
    rows = [
        [
            city.rank,
            city.id,
            city.name_en,
            city.name_ar,
            city.country,
            "yes" if city.ranked else "no",
            city.overall,
            *(city.domain_scores[domain.code] for domain in ranking.domains),
            city.coverage,
            city.indicators_with_value,
            city.median_rank,
            city.p5_rank,
            city.p95_rank,
            city.not_ranked_because,
            verified,
        ]
        for city in ranking.cities
    ]
    buffer = io.StringIO()
    write_csv_rows(buffer, csv_header(ranking), rows)
    return buffer.getvalue()


def to_dict(ranking: Ranking) -> dict[str, Any]:
    uncertainty = ranking.uncertainty
    return {
        "format": RANKING_FORMAT,
        "edition": {
            "code": ranking.edition_code,
            "name": ranking.edition_name,
            "name_ar": ranking.edition_name_ar,
        },
        "publication": {
            "id": ranking.publication_id,
            "number": ranking.publication_number,
            "sha256": ranking.publication_sha256,
            "hash_verified": ranking.hash_verified,
        },
        "options": ranking.options.as_dict(),
        "domains": [
            {
                "code": d.code,
                "name_en": d.name_en,
                "name_ar": d.name_ar,
                "weight": d.weight,
                "scored": d.scored,
            }
            for d in ranking.domains
        ],
        "indicators": [
            {
                "code": w.code,
                "domain": w.domain,
                "direction": w.direction,
                "included": w.included,
                "domain_weight": w.domain_weight,
                "within_domain_weight": w.within_domain_weight,
                "effective_weight": w.effective_weight,
            }
            for w in ranking.weights
        ],
        "uncertainty": None
        if uncertainty is None
        else {
            "runs": uncertainty.runs,
            "seed": uncertainty.seed,
            "experts": list(uncertainty.expert_codes),
            "percentile_method": "inverted_cdf",
        },
        "cities": [_city_dict(city) for city in ranking.cities],
        "warnings": [
            {"kind": w.kind, "subject": w.subject, "message": w.message} for w in ranking.warnings
        ],
    }


def to_json(ranking: Ranking) -> str:
    return json_text(to_dict(ranking)) + "\n"


def to_markdown(ranking: Ranking) -> str:
    """A report: ranking table, unranked cities, weights used and warnings."""
    lines = [f"# {md(ranking.edition_name)} — publication {ranking.publication_number}", ""]
    notice = unverified_notice(ranking)
    if notice is not None:
        lines += [f"> **{notice}** (sha256 {md(ranking.publication_sha256)})", ""]
    options = ranking.options
    lines.append(
        f"Normalisation: {options.normalisation}; aggregation: {options.aggregation}; "
        f"expert weights: {options.expert_weights}; coverage threshold: "
        f"{percent(options.coverage_threshold)}; " + _uncertainty_note(ranking)
    )
    lines.append("")
    domains = ranking.domains
    lines.append(
        "| Rank | City | المدينة | Country | Overall | "
        + "".join(f"{md(d.name_en)} | " for d in domains)
        + "Coverage | Median rank | 5–95% rank |"
    )
    lines.append(
        "|" + " ---: | --- | --- | --- | ---: |" + " ---: |" * len(domains) + " ---: |" * 3
    )
    for city in ranking.ranked:
        lines.append(
            f"| {city.rank} | {md(city.name_en)} | {md(city.name_ar)} | {md(city.country)} | "
            f"{_score(city.overall)} | "
            + "".join(f"{_score(city.domain_scores[d.code])} | " for d in domains)
            + f"{percent(city.coverage)} | {_blank(city.median_rank)} | {_interval(city)} |"
        )
    if ranking.unranked:
        lines += ["", "## Not ranked", "", "| City | المدينة | Coverage | Why |"]
        lines.append("| --- | --- | ---: | --- |")
        for city in ranking.unranked:
            lines.append(
                f"| {md(city.name_en)} | {md(city.name_ar)} | {percent(city.coverage)} | "
                f"{md(city.not_ranked_because)} |"
            )
    lines += ["", "## Weights used", "", "| Indicator | Domain | Direction | Weight |"]
    lines.append("| --- | --- | --- | ---: |")
    for w in ranking.weights:
        weight = f"{w.effective_weight:.4f}" if w.included else "left out"
        lines.append(f"| {md(w.code)} | {md(w.domain)} | {w.direction} | {weight} |")
    if ranking.warnings:
        lines += ["", "## Warnings", ""]
        lines += [f"- {md(w.message)}" for w in ranking.warnings]
    return "\n".join(lines) + "\n"


def _city_dict(city: CityResult) -> dict[str, Any]:
    return {
        "id": city.id,
        "name_en": city.name_en,
        "name_ar": city.name_ar,
        "country": city.country,
        "ranked": city.ranked,
        "rank": city.rank,
        "overall": city.overall,
        "domain_scores": dict(city.domain_scores),
        "coverage": city.coverage,
        "indicators_with_value": city.indicators_with_value,
        "median_rank": city.median_rank,
        "p5_rank": city.p5_rank,
        "p95_rank": city.p95_rank,
        "not_ranked_because": city.not_ranked_because or None,
    }


def _uncertainty_note(ranking: Ranking) -> str:
    if ranking.uncertainty is None:
        return "no rank intervals (Monte Carlo off)."
    return (
        f"rank intervals from {ranking.uncertainty.runs} Monte Carlo runs "
        f"(seed {ranking.uncertainty.seed})."
    )


def _interval(city: CityResult) -> str:
    if city.p5_rank is None or city.p95_rank is None:
        return ""
    return f"{city.p5_rank}–{city.p95_rank}"


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _blank(value: int | None) -> str:
    return "" if value is None else str(value)
