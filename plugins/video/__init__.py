"""The video plugin (work in progress)."""
