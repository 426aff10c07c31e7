"""Styles of the marks the item view and the queue share."""

WARN = "bold yellow"
BAD = "bold red"
DIM = "dim"
