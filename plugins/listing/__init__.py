"""The listing plugin (work in progress)."""
