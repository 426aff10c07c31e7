"""An edition's reference data: cities, indicators, experts' weights, sources, reviewers."""

from verifier.core.editions.files import EditionFiles, read_edition_dir
from verifier.core.editions.load import LoadReport, load_edition

__all__ = ["EditionFiles", "LoadReport", "load_edition", "read_edition_dir"]
