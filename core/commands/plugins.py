"""``listguard plugins``: loaded plugins with their version, hooks and rules."""

from __future__ import annotations

import argparse
import json
from typing import Any

from . import add_plugin_options, make_host


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "plugins",
        help="list the loaded plugins",
        description="Each loaded plugin: name, version, where it came from, hooks, rule codes.",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_plugin_options(parser)


def run(args: argparse.Namespace) -> int:
    host = make_host(args)
    infos = host.plugin_infos()
    if args.format == "json":
        data = [
            {
                "name": i.name,
                "version": i.version,
                "source": i.source,
                "hooks": list(i.hooks),
                "rules": list(i.rules),
            }
            for i in infos
        ]
        print(json.dumps(data, indent=2))
        return 0
    for info in infos:
        rules = ", ".join(info.rules) if info.rules else "-"
        print(f"{info.name} {info.version} ({info.source})")
        print(f"  hooks: {', '.join(h.removeprefix('listguard_') for h in info.hooks)}")
        print(f"  rules: {rules}")
    return 0
