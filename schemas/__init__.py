"""JSON Schemas shipped with listguard (listing, brandkit, report)."""
