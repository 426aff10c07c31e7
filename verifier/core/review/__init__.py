"""The review workflow: decisions, the queue and its filters, the item view, progress, sprints."""
