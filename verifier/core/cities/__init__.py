"""The gazetteer in a workspace: matching item labels to cities, people's city decisions, search."""
