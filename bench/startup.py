"""Start-up time of the command line: ``listguard --version`` and ``listguard rules``.

    .venv/bin/python bench/startup.py [--runs 20]

Prints the median and best wall time of each command over ``--runs`` runs, and
the time of a bare ``python -c pass`` in the same run as the floor (the machine
is shared: compare the ratio, not the absolute figure).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def measure(argv: list[str], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    commands = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "listguard --version": [sys.executable, "-m", "listguard", "--version"],
        "listguard rules": [sys.executable, "-m", "listguard", "rules", "--no-entrypoints"],
    }
    floor = None
    for label, argv in commands.items():
        median, best = measure(argv, args.runs)
        floor = floor or median
        print(f"{label:28} median {median * 1000:7.1f} ms   best {best * 1000:7.1f} ms   "
              f"x{median / floor:.1f} of the floor")  # fmt: skip


if __name__ == "__main__":
    main()
