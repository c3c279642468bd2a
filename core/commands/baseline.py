"""``listguard baseline write PATH... -o FILE``: record today's findings as known.

The packages are checked exactly as ``listguard check`` would (same arguments:
brand kit, ``--as-of``, ``--select``…), and every finding goes into the baseline
with the given reason. ``listguard check --baseline FILE`` then reports only new
findings, and says how many entries no longer match anything.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from . import make_host
from .check import EXIT_OK, _date, add_run_arguments, prepare_run


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "baseline",
        help="record known findings so that checks report only new ones",
        description="Manage baseline files for 'listguard check --baseline FILE'.",
    )
    actions = parser.add_subparsers(dest="baseline_action", metavar="ACTION", required=True)
    write = actions.add_parser(
        "write",
        help="check packages and record every finding in a baseline file",
        description="Check packages as 'listguard check' does and write every finding "
        "to a baseline file.",
    )
    add_run_arguments(write)
    write.add_argument(
        "--output", "-o", required=True, type=Path, metavar="FILE", help="the baseline file"
    )
    write.add_argument(
        "--reason",
        default="accepted when the baseline was written",
        metavar="TEXT",
        help="why these findings are accepted (stored with each entry)",
    )
    write.add_argument(
        "--until",
        type=_date,
        metavar="DATE",
        help="last day the entries suppress their findings, YYYY-MM-DD (default: no end)",
    )
    parser.set_defaults(command="baseline")


def run(args: argparse.Namespace) -> int:
    from ..baseline import Baseline

    host = make_host(args)
    prepared = prepare_run(args, host)
    baseline = Baseline.from_results(
        prepared.results(), reason=args.reason, until=args.until, as_of=prepared.info.as_of
    )
    args.output.write_text(baseline.dumps(), encoding="utf-8")
    count = len(baseline.entries)
    print(
        f"listguard: baseline of {count} finding(s) from {len(prepared.sources)} "
        f"package(s) written to {args.output}",
        file=sys.stderr,
    )
    return EXIT_OK
