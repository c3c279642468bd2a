"""Check packages on a Dask distributed cluster (``listguard check --dask ADDRESS``).

The same per-package task as a local run, submitted to the cluster's workers; the
results stream back as they complete and are yielded in the order of the sources,
so the report is the same as a local run's.

Each worker builds its plugin host once (from the same ``-p`` / entry-point
options) and reuses it for every package it is given. Packages are read by the
workers from their paths, so those paths must be visible to every worker (a
shared file system or object-store mount).

Time budgets: a Dask worker process is *daemonic* by default and may not start
child processes, so plugins then run inline in the worker, without the per-plugin
budget. Start the workers with ``distributed.worker.daemon: false`` (e.g.
``DASK_DISTRIBUTED__WORKER__DAEMON=False``) and each package runs in a child
process with the budget enforced, exactly as locally.

Needs the optional extra: ``pip install 'listguard[dask]'``.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .checks import RunSettings, check_inline
from .model import ListingResult
from .pluginmanager import PluginHost


@dataclass(frozen=True)
class HostSpec:
    """How to build the plugin host in a worker (hosts themselves are not sent)."""

    extra: tuple[str, ...] = ()
    entrypoints: bool = True
    env: tuple[tuple[str, str], ...] = ()

    def build(self) -> PluginHost:
        return PluginHost(extra=self.extra, entrypoints=self.entrypoints, env=dict(self.env)).load()


_HOSTS: dict[HostSpec, PluginHost] = {}


def check_package_task(spec: HostSpec, settings: RunSettings, source: str) -> dict[str, Any]:
    """The task a worker runs: check one package, return its result as a dict."""
    host = _HOSTS.get(spec)
    if host is None:
        host = _HOSTS[spec] = spec.build()
    if mp.current_process().daemon:
        result = check_inline(host, settings, source)
    else:
        from .runner import Runner

        (result,) = Runner(host, settings, jobs=1).run([source])
    return result.to_dict(internal=True)  # keeps message templates for --lang


#: Seconds to wait for the scheduler before giving up on ``--dask ADDRESS``.
CONNECT_TIMEOUT = 10.0


class DaskUnavailableError(RuntimeError):
    """The cluster cannot be used: the extra is not installed, or the scheduler
    does not answer (one line, exit status 2)."""


def run_on_dask(
    address: Any, spec: HostSpec, settings: RunSettings, sources: list[str]
) -> Iterator[ListingResult]:
    """Check ``sources`` on the cluster at ``address`` (a scheduler address or a
    ``distributed.Client``); yield the results in source order as they arrive.

    Connects at once (not on the first result), so that an unreachable scheduler
    raises :class:`DaskUnavailableError` before a report is started."""
    try:
        from distributed import Client
    except ImportError as exc:  # the optional extra is not installed
        raise DaskUnavailableError(
            "--dask needs the optional extra: pip install 'listguard[dask]'"
        ) from exc
    if isinstance(address, Client):
        return _results(address, False, spec, settings, sources)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise DaskUnavailableError(
            f"cannot reach the Dask scheduler at {address} within {CONNECT_TIMEOUT:g} s "
            f"({type(exc).__name__}: {exc})"
        ) from None
    return _results(client, True, spec, settings, sources)


def _results(
    client: Any, owned: bool, spec: HostSpec, settings: RunSettings, sources: list[str]
) -> Iterator[ListingResult]:
    from distributed import as_completed

    try:
        futures = {
            client.submit(check_package_task, spec, settings, source, pure=False): index
            for index, source in enumerate(sources)
        }
        ready: dict[int, ListingResult] = {}
        next_out = 0
        for future in as_completed(futures):
            ready[futures[future]] = ListingResult.from_dict(future.result())
            while next_out in ready:
                yield ready.pop(next_out)
                next_out += 1
    finally:
        if owned:
            client.close()
