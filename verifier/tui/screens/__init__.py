"""The review UI's screens and dialogs, one per module."""
