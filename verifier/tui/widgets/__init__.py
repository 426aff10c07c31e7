"""The review UI's widgets, one per module."""
