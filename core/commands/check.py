"""``listguard check PATH...``: check packages and write the report."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..i18n import LANGUAGES
from ..model import ListingResult, RunInfo, Summary
from . import UsageError, add_plugin_options, load_run_config, make_host

if TYPE_CHECKING:
    from ..config import Config
    from ..pluginmanager import PluginHost
    from ..runner import Runner

EXIT_OK, EXIT_FINDINGS = 0, 1


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check listing packages and report",
        description="Check listing packages (folders, .zip files, or folders of packages).",
    )
    add_run_arguments(parser)
    parser.add_argument(
        "--format",
        default="text",
        metavar="FMT",
        help="report format (default: text); see --list-formats",
    )
    parser.add_argument(
        "--list-formats", action="store_true", help="list the report formats and exit"
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout"
    )
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "never"),
        help="exit 1 when a finding is at or above this severity (default: error)",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour in human formats (default: auto, on a TTY unless NO_COLOR is set)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="suppress the findings recorded in FILE (see 'listguard baseline write')",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of messages, hints and report headings: zh-CN or en "
        "(default: from LC_ALL, LC_MESSAGES or LANG; zh_CN.UTF-8 means zh-CN, anything else en)",
    )
    parser.set_defaults(command="check")


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments that say what to check and how (shared with ``baseline write``)."""
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="package folder, .zip, or folder of packages"
    )
    parser.add_argument(
        "--brand-kit", type=Path, metavar="DIR", help="the brand kit folder (brandkit.json)"
    )
    parser.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="check date, YYYY-MM-DD (default: today, UTC); makes reports reproducible",
    )
    parser.add_argument(
        "--select", metavar="CODES", help="only these rule codes or prefixes (comma-separated)"
    )
    parser.add_argument(
        "--ignore", metavar="CODES", help="skip these rule codes or prefixes (comma-separated)"
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="worker processes (default: the number of cores; 0 runs inline, without time budgets)",
    )
    parser.add_argument(
        "--time-budget", type=float, metavar="SECONDS", help="per plugin per package (default 60)"
    )
    parser.add_argument("--online", action="store_true", help="allow checks that use the network")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="check every package again instead of reusing results of unchanged packages",
    )
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the checks on a Dask cluster (e.g. tcp://scheduler:8786); "
        "needs pip install 'listguard[dask]'",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress line on a terminal")
    add_plugin_options(parser)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


@dataclass
class PreparedRun:
    """Everything a run over the command line's packages needs, before it starts."""

    host: PluginHost
    config: Config
    as_of: dt.date
    sources: list[str]
    runner: Runner
    info: RunInfo

    dask: str | None = None

    def results(self) -> Iterator[ListingResult]:
        """The packages' results, in command-line order, as they are ready."""
        if self.dask:
            from ..distributed import HostSpec, run_on_dask

            spec = HostSpec(
                extra=self.host.extra,
                entrypoints=self.host.entrypoints,
                env=tuple(sorted(self.host.env.items())),
            )
            return run_on_dask(self.dask, spec, self.runner.settings, self.sources)
        return self.runner.run(self.sources)


def prepare_run(args: argparse.Namespace, host: PluginHost) -> PreparedRun:
    """Configuration, brand kit, packages and runner for the arguments of
    :func:`add_run_arguments` (``fail_on`` is read when the command has it)."""
    from .._version import __version__
    from ..brandkit import load_brand_kit
    from ..checks import RunSettings
    from ..config import check_codes_known, parse_codes, validate_rule_codes
    from ..package import discover_packages
    from ..runner import Runner

    if not args.paths:
        raise UsageError("no PATH given: name a package folder, a .zip, or a folder of packages")
    config = load_run_config(args, host)
    validate_rule_codes(config, host.rules)  # the configuration file's own codes
    for option, text in (("--select", args.select), ("--ignore", args.ignore)):
        if text:
            check_codes_known(parse_codes(text, option), host.rules, option)
    config = config.with_overrides(
        select=parse_codes(args.select, "--select") if args.select else None,
        ignore=parse_codes(args.ignore, "--ignore") if args.ignore else None,
        fail_on=getattr(args, "fail_on", None),
        brand_kit=args.brand_kit,
        time_budget=args.time_budget,
    )
    if config.time_budget <= 0:
        raise UsageError("--time-budget must be positive")
    brand_kit = load_brand_kit(config.brand_kit) if config.brand_kit else None
    as_of = args.as_of or dt.datetime.now(dt.UTC).date()
    sources = discover_packages(args.paths)
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if jobs < 0:
        raise UsageError("--jobs must be 0 or more")
    settings = RunSettings(config=config, as_of=as_of, brand_kit=brand_kit, online=args.online)
    cache = None
    if not getattr(args, "no_cache", True):
        from ..cache import cache_for_run

        cache = cache_for_run(host, settings)
    runner = Runner(
        host, settings, jobs=min(jobs, max(1, len(sources))) if jobs else 0, cache=cache
    )
    info = RunInfo(
        tool_version=__version__,
        as_of=as_of.isoformat(),
        plugins=host.plugin_infos(with_rules_only=True),
        rules=sorted(host.rules.values(), key=lambda r: r.code),
    )
    return PreparedRun(host, config, as_of, sources, runner, info, getattr(args, "dask", None))


def run(args: argparse.Namespace) -> int:
    from ..baseline import Baseline, GatedSummary, baseline_note
    from ..i18n import lang_from_env, register_plugin_catalogs
    from ..model import Severity
    from ..progress import Progress
    from ..reporters.base import RenderOptions

    host = make_host(args)
    formats = host.output_formats()
    if args.list_formats:
        for name, fmt in sorted(formats.items()):
            print(f"{name:10} {fmt.description}")
        return EXIT_OK
    if args.format not in formats:
        raise UsageError(
            f"unknown format {args.format!r}; choose from {', '.join(sorted(formats))}"
        )
    prepared = prepare_run(args, host)
    # Read before the run starts: a broken baseline must not cost a whole run.
    baseline = Baseline.load(args.baseline) if args.baseline else None

    fmt = formats[args.format]
    # Connect to a Dask cluster before anything is written: an unreachable
    # scheduler is a usage error, not a half-written report.
    results = prepared.results()
    stream: TextIO = _open_output(args.output) if args.output else sys.stdout
    color = _use_color(args.color, fmt.for_humans, stream)
    lang = args.lang or lang_from_env()
    # Third-party plugins' catalogs (LISTGUARD_LOCALE_DIR), used when rendering here.
    register_plugin_catalogs(dict(host.pm.list_name_plugin()))
    options = RenderOptions(color=color, lang=lang, rules=dict(host.rules), output=args.output)
    writer = fmt.writer(stream, options)
    summary = GatedSummary() if baseline else Summary()
    worst = 0
    progress = Progress(len(prepared.sources), enabled=False if args.quiet else None)
    try:
        writer.start(prepared.info)
        for result in results:
            progress.update(result)
            if baseline is not None:
                result = baseline.apply(result, prepared.as_of)
            summary.add(result)
            worst = max([worst, *(f.severity.rank for f in result.findings if f.severity)])
            writer.add(result)
        if baseline is not None and isinstance(summary, GatedSummary):
            summary.suppressed = baseline.suppressed
            summary.stale_baseline_entries = len(baseline.stale)
        progress.close()
        writer.finish(summary)
    finally:
        progress.close()
        if args.output:
            stream.close()
    if args.output:
        print(f"listguard: report written to {args.output}", file=sys.stderr)
    if baseline is not None:
        print(f"listguard: {baseline_note(baseline)}", file=sys.stderr)
    fail_on = prepared.config.fail_on
    threshold = {"error": Severity.ERROR.rank, "warning": Severity.WARNING.rank}.get(fail_on)
    return EXIT_FINDINGS if threshold is not None and worst >= threshold else EXIT_OK


def _open_output(path: str) -> TextIO:
    """The report file, opened for writing; a :class:`UsageError` (one line, exit 2)
    when it cannot be, before the run starts."""
    try:
        return open(path, "w", encoding="utf-8", newline="\n")  # closed by run()
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _use_color(choice: str, for_humans: bool, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or not for_humans or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())
