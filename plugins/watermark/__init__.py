"""The watermark plugin (work in progress)."""
