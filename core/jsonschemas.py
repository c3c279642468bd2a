"""Load the JSON Schemas shipped in ``listguard/schemas`` and validate against them.

jsonschema is imported on first use, not at start-up, so that ``listguard
--version`` and ``listguard rules`` stay fast.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_NAMES = ("listing", "brandkit", "report", "inspect")


def available_schemas() -> list[str]:
    """Names accepted by :func:`load_schema` (and ``listguard schema NAME``)."""
    folder = resources.files("listguard.schemas")
    return sorted(
        entry.name.removesuffix(".schema.json")
        for entry in folder.iterdir()
        if entry.name.endswith(".schema.json")
    )


@cache
def schema_text(name: str) -> str:
    """The text of ``schemas/NAME.schema.json``; ``KeyError`` for an unknown name."""
    if name not in available_schemas():
        raise KeyError(name)
    return (resources.files("listguard.schemas") / f"{name}.schema.json").read_text("utf-8")


def load_schema(name: str) -> dict[str, Any]:
    """The parsed schema ``NAME`` (a fresh copy: callers may extend it)."""
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded


def schema_validator(schema: dict[str, Any]) -> Any:
    """A Draft 2020-12 validator for ``schema`` that checks ``format`` keywords."""
    import jsonschema

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def pointer(parts: Any) -> str:
    """A JSON pointer (RFC 6901) for a jsonschema error path."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "/" + "/".join(escaped) if parts else ""
