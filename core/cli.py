"""The ``listguard`` command line (SPEC §5).

Each subcommand is a module in ``listguard.commands`` with ``add_parser`` and
``run``; this module only dispatches, and maps the errors every command can
meet (a plugin that fails to load, a bad configuration or brand kit) to one
clear line and exit status 2. Heavy libraries are imported by the commands
that need them, so ``listguard --version`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from ._version import __version__

#: Subcommand modules under ``listguard.commands``, in help order.
COMMANDS: tuple[str, ...] = (
    "check",
    "inspect",
    "baseline",
    "rules",
    "plugins",
    "schema",
    "plugin",
    "cache",
    "brandkit",
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Any]]:
    parser = argparse.ArgumentParser(
        prog="listguard",
        description="Check marketplace listing packages for compliance before upload.",
    )
    parser.add_argument("--version", action="version", version=f"listguard {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = {}
    for name in COMMANDS:
        module = importlib.import_module(f"listguard.commands.{name}")
        module.add_parser(subparsers)
        modules[name] = module
    return parser, modules


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``listguard`` console script; returns the exit status."""
    parser, modules = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from .commands import UsageError, known_errors

    try:
        return int(modules[args.command].run(args))
    except known_errors() as exc:
        print(f"listguard: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"listguard: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("listguard: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
