"""Rendering for terminals shared by the command line and the review UI (rich only, no Textual)."""
