"""verifier: a source-verification workbench for city rankings."""

__version__ = "0.1.0"
