"""What import rows are checked against: the edition's indicators and the known sources."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from db.models import Indicator, Source
from verifier.core.text import match_key
from verifier.core.units import UnitTable


@dataclass(frozen=True)
class IndicatorRef:
    id: int
    code: str
    units: UnitTable
    min_value: float | None
    max_value: float | None


@dataclass
class ReferenceIndex:
    indicators: dict[str, IndicatorRef]  # by folded code, English and Arabic name
    sources: dict[str, tuple[int, str]]  # folded key -> (id, language)

    @classmethod
    def load(cls, session: Session, edition_id: int) -> ReferenceIndex:
        indicators: dict[str, IndicatorRef] = {}
        for row in session.exec(select(Indicator).where(Indicator.edition_id == edition_id)):
            assert row.id is not None
            ref = IndicatorRef(
                row.id,
                row.code,
                UnitTable.build(row.unit, row.unit_aliases),
                row.min_value,
                row.max_value,
            )
            for name in (row.name_en, row.name_ar, row.code):
                if name:
                    indicators[match_key(name)] = ref
        sources = {
            match_key(source.key): (source.id, source.language)
            for source in session.exec(select(Source))
            if source.id is not None
        }
        return cls(indicators, sources)

    def indicator(self, text: str) -> IndicatorRef | None:
        return self.indicators.get(match_key(text))

    def source(self, text: str) -> tuple[int, str] | None:
        return self.sources.get(match_key(text))
