"""Importing extracted items: read a file, validate each row, write one transaction."""

from verifier.core.importing.batch import ImportOptions, ImportReport, import_file

__all__ = ["ImportOptions", "ImportReport", "import_file"]
