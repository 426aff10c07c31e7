"""Consistent copies of a workspace while it is in use."""
