"""``listguard schema NAME``: print a shipped JSON Schema."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import UsageError


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="print a shipped JSON Schema (listing, brandkit, report, ...)",
        description="Print one of the JSON Schemas shipped with listguard.",
    )
    parser.add_argument("name", metavar="NAME", help="listing, brandkit, report, ...")


def run(args: argparse.Namespace) -> int:
    from ..jsonschemas import available_schemas, schema_text

    name = args.name.removesuffix(".schema.json").removesuffix(".json")
    try:
        sys.stdout.write(schema_text(name))
    except KeyError:
        raise UsageError(
            f"no schema {args.name!r}; available: {', '.join(available_schemas())}"
        ) from None
    return 0
