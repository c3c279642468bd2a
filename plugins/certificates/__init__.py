"""The certificates plugin (work in progress)."""
