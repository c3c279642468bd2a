"""``listguard cache clear|dir``: manage the result cache of ``listguard check``."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "cache",
        help="show or clear the result cache",
        description="The result cache lets 'listguard check' skip unchanged packages. "
        "It lives in the user's cache directory, or in $LISTGUARD_CACHE_DIR.",
    )
    parser.add_argument("action", choices=("clear", "dir"), help="clear it, or print where it is")


def run(args: argparse.Namespace) -> int:
    from ..cache import clear_cache, default_cache_dir

    if args.action == "dir":
        print(default_cache_dir())
        return 0
    removed = clear_cache()
    print(f"listguard: removed {removed} cache entr{'y' if removed == 1 else 'ies'}")
    return 0
