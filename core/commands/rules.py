"""``listguard rules [CODE]``: the rule catalog, or one rule's docs page."""

from __future__ import annotations

import argparse
import json
from typing import Any

from . import UsageError, add_plugin_options, make_host


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "rules",
        help="list the rules, or show one rule's documentation",
        description="Without CODE, the catalog of every loaded rule; with CODE, its docs page.",
    )
    parser.add_argument("code", nargs="?", metavar="CODE", help="a rule code, e.g. CERT002")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_plugin_options(parser)


def run(args: argparse.Namespace) -> int:
    host = make_host(args)
    rules = sorted(host.rules.values(), key=lambda r: r.code)
    if args.code:
        code = args.code.upper()
        if code not in host.rules:
            raise UsageError(f"no rule {args.code!r}; `listguard rules` lists them")
        rule = host.rules[code]
        if args.format == "json":
            print(json.dumps(_rule_dict(rule), indent=2, ensure_ascii=False))
        else:
            print(rule.docs_markdown(), end="")
        return 0
    if args.format == "json":
        print(json.dumps([_rule_dict(r) for r in rules], indent=2, ensure_ascii=False))
        return 0
    for rule in rules:
        print(f"{rule.code:8} {rule.severity.value:8} {rule.plugin:14} {rule.summary}")
    return 0


def _rule_dict(rule: Any) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "plugin": rule.plugin,
        "summary": rule.summary,
        "what": rule.what,
        "why": rule.why,
        "example": rule.example,
        "fix": rule.fix,
    }
