"""The manuals plugin (work in progress)."""
