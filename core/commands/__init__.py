"""Subcommands of the ``listguard`` command line, and what they share."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Config
    from ..pluginmanager import PluginHost


class UsageError(ValueError):
    """Bad arguments the parser could not catch (exit 2)."""


def known_errors() -> tuple[type[Exception], ...]:
    """Errors that end a command with one line and exit status 2."""
    from ..brandkit import BrandKitError
    from ..config import ConfigError
    from ..distributed import DaskUnavailableError
    from ..package import PackageNotFoundError
    from ..pluginmanager import PluginLoadError

    return (PluginLoadError, ConfigError, BrandKitError, PackageNotFoundError, DaskUnavailableError)


def add_plugin_options(parser: argparse.ArgumentParser) -> None:
    """``-p`` and ``--config``, shared by every command that loads plugins."""
    parser.add_argument(
        "-p",
        dest="plugins",
        action="append",
        default=[],
        metavar="MODULE",
        help="load a plugin module by its import path; '-p no:NAME' disables plugin NAME",
    )
    parser.add_argument(
        "--no-entrypoints",
        action="store_true",
        help="do not load third-party plugins from the 'listguard' entry-point group",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="configuration file (default: listguard.toml or pyproject.toml "
        "[tool.listguard], searched upwards from the working directory)",
    )


def make_host(args: argparse.Namespace) -> PluginHost:
    """The loaded plugin host for the command's ``-p`` / ``--no-entrypoints``."""
    from ..pluginmanager import PluginHost

    return PluginHost(
        extra=tuple(args.plugins), entrypoints=not args.no_entrypoints, env=dict(os.environ)
    ).load()


def load_run_config(args: argparse.Namespace, host: PluginHost) -> Config:
    """The configuration file's settings, checked against the loaded plugins."""
    from ..config import load_config, validate_plugin_options

    config = load_config(args.config)
    validate_plugin_options(config, host.plugin_option_defaults())
    return config
