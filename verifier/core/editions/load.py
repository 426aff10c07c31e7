"""Write an edition folder into the workspace. Loading again updates, never duplicates.

Leads only. The ``edition_load`` event says what changed (added, changed and removed
counts per kind); each new or changed source and each role the folder grants gets its
own event of the workspace, with what it was before."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, delete, select

from db.models import (
    AliasOrigin,
    City,
    CityAlias,
    Domain,
    Edition,
    EditionCity,
    Expert,
    ExpertDomainWeight,
    ExpertIndicatorWeight,
    Indicator,
    Reviewer,
    Role,
    Source,
    SourceOrigin,
)
from verifier.core.editions.files import EditionFiles, read_edition_dir
from verifier.core.editions.load_changes import edition_snapshot, snapshot_changes
from verifier.core.errors import InputFileError, InvalidActionError
from verifier.core.eventlog.append import record_event
from verifier.core.evidence.extraction import Limits
from verifier.core.evidence.intake import DocumentError
from verifier.core.evidence.store import Stored, store_document
from verifier.core.people.names import confusable_with, normalise_name
from verifier.core.people.roles import record_role_grant, require_role, team_roles
from verifier.core.sources.registry import metadata, record_source_change
from verifier.core.text import detect_script
from verifier.core.workspace import Workspace


@dataclass
class LoadReport:
    edition_code: str
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    kept_indicators: list[str] = field(default_factory=list)
    # Per kind: {"added": n, "changed": n, "removed": n}, only the kinds that changed.
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    # Team mode: reviewers whose role in the folder differs from their database role.
    role_notes: list[str] = field(default_factory=list)
    # The documents sources.csv names: source key -> what storing it found or did.
    documents: dict[str, Stored] = field(default_factory=dict)


def load_edition(
    workspace: Workspace,
    folder: Path,
    user: str,
    limits: Limits | None = None,
    *,
    files_outside: bool = False,
) -> LoadReport:
    """Load the folder. Its sources' documents are stored in the workspace (within
    ``limits``); one that cannot be stored fails the whole load, naming it. Documents
    outside the folder are refused unless ``files_outside``."""
    limits = limits or Limits()
    files = read_edition_dir(folder, limits.max_bytes, files_outside=files_outside)
    with workspace.session() as session:
        require_role(session, user, Role.LEAD, "loading an edition")
        before = edition_snapshot(session, files.code)
        edition = session.exec(select(Edition).where(Edition.code == files.code)).first()
        report = LoadReport(files.code, created=edition is None)
        if edition is None:
            edition = Edition(code=files.code, name=files.name)
        edition.name, edition.name_ar = files.name, files.name_ar
        edition.description = files.description
        edition.qa_max_error_rate = files.qa_max_error_rate
        session.add(edition)
        session.flush()
        assert edition.id is not None
        _load_cities(session, edition.id, files, user)
        domains = _load_domains(session, edition.id, files)
        indicators = _load_indicators(session, edition.id, files, domains, report)
        _load_experts(session, edition.id, files, domains, indicators)
        report.documents = _load_sources(session, files, user, limits)
        _load_reviewers(session, files, user, report)
        session.flush()
        report.changes = snapshot_changes(before, edition_snapshot(session, files.code))
        report.counts = {
            "cities": len(files.cities),
            "aliases": sum(len(c.aliases) for c in files.cities),
            "domains": len(files.domains),
            "indicators": len(files.indicators),
            "experts": len(files.experts),
            "sources": len(files.sources),
            "reviewers": len(files.reviewers),
        }
        record_event(
            session,
            edition_id=edition.id,
            actor=user,
            action="edition_load",
            payload={
                "folder": folder.resolve().name,  # not the path: see _load_sources
                **report.counts,
                "created": report.created,
                "changes": report.changes,
            },
        )
    return report


def _load_cities(session: Session, edition_id: int, files: EditionFiles, user: str) -> None:
    for row in files.cities:
        city = session.get(City, row.id) or City(id=row.id, country=row.country)
        city.name_en, city.name_ar, city.country = row.name_en, row.name_ar, row.country
        session.add(city)
    session.flush()
    members = set(
        session.exec(select(EditionCity.city_id).where(EditionCity.edition_id == edition_id))
    )
    wanted = {row.id for row in files.cities}
    for city_id in wanted - members:
        session.add(EditionCity(edition_id=edition_id, city_id=city_id))
    if members - wanted:
        session.exec(
            delete(EditionCity).where(
                col(EditionCity.edition_id) == edition_id,
                col(EditionCity.city_id).in_(members - wanted),
            )
        )
    for row in files.cities:
        _sync_curated_aliases(session, row.id, row.aliases, user)


def _sync_curated_aliases(session: Session, city_id: str, names: list[str], user: str) -> None:
    """Curated aliases follow the file; aliases learned from reviewers are never touched."""
    existing = {
        a.name: a for a in session.exec(select(CityAlias).where(CityAlias.city_id == city_id))
    }
    for name in dict.fromkeys(names):
        if name not in existing:
            script = detect_script(name).value
            session.add(
                CityAlias(
                    city_id=city_id,
                    name=name,
                    script=script,
                    origin=AliasOrigin.CURATED,
                    added_by=user,
                )
            )
    for name, alias in existing.items():
        if alias.origin == AliasOrigin.CURATED and name not in names:
            session.delete(alias)


def _load_domains(session: Session, edition_id: int, files: EditionFiles) -> dict[str, int]:
    existing = {
        d.code: d for d in session.exec(select(Domain).where(Domain.edition_id == edition_id))
    }
    ids: dict[str, int] = {}
    for position, (code, name_en, name_ar) in enumerate(files.domains):
        domain = existing.get(code) or Domain(edition_id=edition_id, code=code)
        domain.name_en, domain.name_ar, domain.position = name_en, name_ar, position
        session.add(domain)
        session.flush()
        assert domain.id is not None
        ids[code] = domain.id
    return ids


def _load_indicators(
    session: Session,
    edition_id: int,
    files: EditionFiles,
    domains: dict[str, int],
    report: LoadReport,
) -> dict[str, int]:
    existing = {
        i.code: i for i in session.exec(select(Indicator).where(Indicator.edition_id == edition_id))
    }
    ids: dict[str, int] = {}
    for position, row in enumerate(files.indicators):
        indicator = existing.get(row.code) or Indicator(
            edition_id=edition_id, code=row.code, domain_id=domains[row.domain]
        )
        indicator.domain_id = domains[row.domain]
        indicator.name_en, indicator.name_ar = row.name_en, row.name_ar
        indicator.unit, indicator.unit_aliases = row.unit, row.unit_aliases
        indicator.direction = row.direction
        indicator.min_value, indicator.max_value = row.min_value, row.max_value
        indicator.description, indicator.position = row.description, position
        session.add(indicator)
        session.flush()
        assert indicator.id is not None
        ids[row.code] = indicator.id
    # Indicators dropped from the file may still have items; they are kept and reported.
    report.kept_indicators = sorted(set(existing) - set(ids))
    return ids


def _load_experts(
    session: Session,
    edition_id: int,
    files: EditionFiles,
    domains: dict[str, int],
    indicators: dict[str, int],
) -> None:
    existing = {
        e.code: e for e in session.exec(select(Expert).where(Expert.edition_id == edition_id))
    }
    expert_ids: dict[str, int] = {}
    for code, name, affiliation in files.experts:
        expert = existing.get(code) or Expert(edition_id=edition_id, code=code)
        expert.name, expert.affiliation = name, affiliation
        session.add(expert)
        session.flush()
        assert expert.id is not None
        expert_ids[code] = expert.id
    # Weights are replaced wholesale: the file is the experts' current answer.
    all_ids = [e.id for e in existing.values() if e.id is not None] + list(expert_ids.values())
    session.exec(delete(ExpertDomainWeight).where(col(ExpertDomainWeight.expert_id).in_(all_ids)))
    session.exec(
        delete(ExpertIndicatorWeight).where(col(ExpertIndicatorWeight.expert_id).in_(all_ids))
    )
    for expert_code, kind, code, weight in files.weights:
        if kind == "domain":
            session.add(
                ExpertDomainWeight(
                    expert_id=expert_ids[expert_code], domain_id=domains[code], weight=weight
                )
            )
        else:
            session.add(
                ExpertIndicatorWeight(
                    expert_id=expert_ids[expert_code], indicator_id=indicators[code], weight=weight
                )
            )
    for code in set(existing) - set(expert_ids):
        session.delete(existing[code])


def _load_sources(
    session: Session, files: EditionFiles, user: str, limits: Limits
) -> dict[str, Stored]:
    existing = {s.key: s for s in session.exec(select(Source))}
    problems: list[str] = []
    documents: dict[str, Stored] = {}
    for row in files.sources:
        if row.file_path:
            try:
                documents[row.key] = store_document(
                    session, Path(row.file_path), user, limits,
                    shown_as=f"sources.csv: source '{row.key}', file {row.file_path}",
                )  # fmt: skip
            except DocumentError as error:
                problems.append(str(error))
    if problems:
        raise InputFileError("; ".join(problems) + "; nothing was loaded")
    for row in files.sources:
        known = existing.get(row.key)
        before = metadata(known) if known is not None else None
        source = known or Source(key=row.key, title=row.title)
        source.title, source.publisher, source.language = row.title, row.publisher, row.language
        # The document is known by its name and sha256 (the workspace stores it): the path
        # it was read from would tell everyone reading the log the loader's folders.
        source.url, source.file_path, source.file_sha256 = row.url, row.file_name, row.file_sha256
        source.published_on, source.retrieved_on = row.published_on, row.retrieved_on
        source.origin = SourceOrigin.CURATED
        session.add(source)
        session.flush()
        record_source_change(session, user, source, before)
    return documents


def _load_reviewers(session: Session, files: EditionFiles, user: str, report: LoadReport) -> None:
    """Register the folder's reviewers with their roles (each grant an event). In team mode
    roles are database roles that only the administrator grants: differences are reported."""
    team = team_roles(session) is not None
    names = list(session.exec(select(Reviewer.username)).all())
    for raw_name, display_name, role in files.reviewers:
        username = normalise_name(raw_name)
        wanted = Role(role)
        reviewer = session.get(Reviewer, username)
        if reviewer is None:
            lookalike = confusable_with(username, names)
            if lookalike is not None:
                raise InvalidActionError(
                    f"reviewers.csv: '{username}' ({username!a}) looks like the existing "
                    f"reviewer '{lookalike}'; the load is refused"
                )
        if team:
            current = Role(reviewer.role) if reviewer is not None else None
            if current != wanted:
                report.role_notes.append(
                    f"{username}: {wanted.value} in the folder, "
                    f"{current.value if current else 'no login'} in the database; the "
                    f"administrator runs: verifier reviewer add {username} --role {wanted.value}"
                )
            if reviewer is not None and display_name and reviewer.display_name != display_name:
                report.role_notes.append(f"{username}: display name not changed in team mode")
            continue
        old = Role(reviewer.role) if reviewer is not None else None
        reviewer = reviewer or Reviewer(username=username)
        reviewer.display_name, reviewer.role = display_name, wanted.value
        session.add(reviewer)
        session.flush()
        names.append(username)
        if old != wanted:
            record_role_grant(session, username, old, wanted, by=user, note="edition folder")
