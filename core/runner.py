"""Run the checks over many packages in worker processes the host can stop.

One parent loop (single-threaded, so forking is safe) feeds packages to ``jobs``
worker processes and watches each running plugin's deadline. A plugin that runs
past its budget gets its worker killed (``LG901``); a worker that dies is
``LG900``. Either way the package resumes in a fresh worker with the remaining
plugins, so every other plugin's findings are kept. Results come out in the
order of the sources, as soon as each one and those before it are done.

Workers are forked from the parent, so they share the loaded plugins, the
brand kit and the configuration without pickling; heavy libraries are imported
once per worker, on first use. Where ``fork`` is unavailable the checks run
inline, without a time budget.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import shutil
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .checks import (
    CORE_PLUGIN,
    ResultBuilder,
    RunSettings,
    check_inline,
    execute_package,
    host_crash_events,
    timeout_finding,
    worker_died_finding,
)
from .model import ListingResult
from .pluginmanager import PluginHost

if TYPE_CHECKING:
    from .cache import ResultCache


#: Events after which the worker goes straight on to a plugin (or to the next
#: package): they are sent at once. The others ("load", "plugin") are followed
#: within microseconds by one of these, and go out in the same message.
_SEND_AT = frozenset({"start", "done"})


def _worker_main(conn: Connection, host: PluginHost, settings: RunSettings) -> None:
    """A worker: check each package the parent sends, streaming events back.

    Each message is ``(index, [event, ...])``. A "plugin" event and the "start"
    of the next plugin share one message (likewise "load" and the first "start",
    the last "plugin" and "done"): every message wakes the parent, and on a busy
    machine each wake-up cost the worker ~0.4 ms. The parent still hears of each
    plugin before the next one runs, so a hang or a crash loses nothing.
    """
    try:
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            if message is None:
                return
            index, source, skip = message
            pending: list[tuple[Any, ...]] = []

            def emit(
                event: tuple[Any, ...], index: int = index, pending: list[Any] = pending
            ) -> None:
                pending.append(event)
                if event[0] in _SEND_AT:
                    conn.send((index, pending[:]))
                    pending.clear()

            try:
                execute_package(host, settings, source, emit, skip)
            except Exception as exc:  # a bug in the host: report it, keep the worker
                for event in host_crash_events(host, exc):
                    emit(event)
            finally:
                if pending:  # never left behind, whatever ended the package
                    conn.send((index, pending[:]))
    except (BrokenPipeError, KeyboardInterrupt):
        return


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: int | None = None
    deadline: float = 0.0


@dataclass
class _Task:
    index: int
    source: str
    builder: ResultBuilder
    skip: frozenset[str] = field(default_factory=frozenset)
    key: str | None = None  # the cache key, when caching


class Runner:
    """Checks packages with ``jobs`` worker processes and a per-plugin time budget.

    ``jobs=0`` runs inline in this process (no budget enforcement): the mode for
    tests of plugin logic and for tasks already inside a Dask worker. With a
    ``cache``, packages whose inputs are unchanged are not checked again.
    """

    def __init__(
        self,
        host: PluginHost,
        settings: RunSettings,
        jobs: int = 1,
        cache: ResultCache | None = None,
    ) -> None:
        self.host = host.load()
        self.settings = settings
        self.cache = cache
        self.jobs = jobs
        self.budget = settings.config.time_budget
        if jobs > 0 and "fork" not in mp.get_all_start_methods():
            self.jobs = 0
        self._ctx = mp.get_context("fork") if self.jobs > 0 else None

    def run(self, sources: list[str]) -> Iterator[ListingResult]:
        """Yield one result per source, in order, as they become ready."""
        if self.jobs == 0:
            for source in sources:
                key = self.cache.key(source) if self.cache else None
                result = self.cache.get(key, source) if self.cache else None
                if result is None:
                    result = check_inline(self.host, self.settings, source)
                    if self.cache:
                        self.cache.put(key, result)
                yield result
            return
        yield from self._run_parallel(sources)

    # -- the parent loop -----------------------------------------------------

    def _run_parallel(self, sources: list[str]) -> Iterator[ListingResult]:
        # Sources are looked up in the cache and turned into tasks only a short
        # window ahead of the next result to write: a catalog of 100,000
        # packages, warm or cold, never holds more than the window in memory.
        window = max(64, 4 * self.jobs)
        ready: dict[int, ListingResult] = {}
        pending: deque[_Task] = deque()
        tasks: dict[int, _Task] = {}
        next_in = next_out = 0
        workers: list[_Worker] = []
        try:
            while next_out < len(sources):
                while next_in < len(sources) and next_in - next_out < window:
                    source = sources[next_in]
                    key = self.cache.key(source) if self.cache else None
                    cached = self.cache.get(key, source) if self.cache else None
                    if cached is not None:
                        ready[next_in] = cached
                    else:
                        pending.append(_Task(next_in, source, ResultBuilder(source), key=key))
                    next_in += 1
                while pending and len(workers) < self.jobs:
                    workers.append(self._spawn())
                for worker in workers:
                    if worker.task is None and pending:
                        task = pending.popleft()
                        tasks[task.index] = task
                        self._assign(worker, task)
                busy = [w for w in workers if w.task is not None]
                if busy and next_out not in ready:
                    timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                    for conn in wait([w.conn for w in busy], timeout=timeout):
                        worker = next(w for w in busy if w.conn is conn)
                        self._drain(worker, tasks, ready)
                    now = time.monotonic()
                    for worker in workers:
                        if worker.task is not None and now >= worker.deadline:
                            self._timeout(worker, tasks, ready, pending)
                while next_out in ready:
                    yield ready.pop(next_out)
                    next_out += 1
        finally:
            for worker in workers:
                self._stop(worker)

    def _spawn(self) -> _Worker:
        assert self._ctx is not None
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_worker_main, args=(child, self.host, self.settings), daemon=True
        )
        # Everything built so far (imported modules, plugins, the brand kit) lives
        # as long as the worker: frozen, the worker's full collections skip it
        # instead of walking it again (and touching its pages) each time. Only the
        # child keeps it frozen; the parent unfreezes at once (the gc docs'
        # pattern for fork without exec).
        gc.freeze()
        try:
            process.start()
        finally:
            gc.unfreeze()
        child.close()
        return _Worker(process, parent)

    def _assign(self, worker: _Worker, task: _Task) -> None:
        worker.task = task.index
        worker.deadline = time.monotonic() + self.budget
        worker.conn.send((task.index, task.source, task.skip))

    def _drain(
        self, worker: _Worker, tasks: dict[int, _Task], ready: dict[int, ListingResult]
    ) -> None:
        """Read every event the worker has sent so far."""
        try:
            while worker.conn.poll():
                index, events = worker.conn.recv()
                task = tasks[index]
                for event in events:
                    task.builder.handle(event)
                    if event[0] in ("start", "load"):
                        worker.deadline = time.monotonic() + self.budget
                    if event[0] == "done":
                        self._complete(task, tasks, ready)
                        worker.task = None
                        return
        except (EOFError, OSError):
            self._worker_died(worker, tasks, ready)

    def _complete(
        self, task: _Task, tasks: dict[int, _Task], ready: dict[int, ListingResult]
    ) -> None:
        result = task.builder.result(self.host.rules, self.settings.config)
        if self.cache:
            self.cache.put(task.key, result)
        ready[task.index] = result
        del tasks[task.index]

    def _timeout(
        self,
        worker: _Worker,
        tasks: dict[int, _Task],
        ready: dict[int, ListingResult],
        pending: deque[_Task],
    ) -> None:
        assert worker.task is not None
        task = tasks[worker.task]
        self._drain(worker, tasks, ready)  # it may have finished just now
        if worker.task is None:
            return
        plugin = task.builder.current or CORE_PLUGIN
        self._kill(worker, task)
        finding = timeout_finding(plugin, self.host.version_of(plugin), self.budget)
        self._resume(worker, task, finding, tasks, ready, pending)

    def _worker_died(
        self, worker: _Worker, tasks: dict[int, _Task], ready: dict[int, ListingResult]
    ) -> None:
        assert worker.task is not None
        task = tasks[worker.task]
        plugin = task.builder.current or CORE_PLUGIN
        self._kill(worker, task)
        finding = worker_died_finding(plugin, self.host.version_of(plugin), worker.process.exitcode)
        self._resume(worker, task, finding, tasks, ready, deque())

    def _resume(
        self,
        worker: _Worker,
        task: _Task,
        finding: Any,
        tasks: dict[int, _Task],
        ready: dict[int, ListingResult],
        pending: deque[_Task],
    ) -> None:
        task.skip = task.builder.interrupted(finding)
        fresh = self._spawn()
        worker.process, worker.conn, worker.task = fresh.process, fresh.conn, None
        if task.builder.finished:
            self._complete(task, tasks, ready)
        else:
            self._assign(worker, task)

    def _kill(self, worker: _Worker, task: _Task) -> None:
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        if task.builder.tempdir:  # the worker could not clean up its extracted zip
            shutil.rmtree(Path(task.builder.tempdir), ignore_errors=True)

    def _stop(self, worker: _Worker) -> None:
        try:
            if worker.task is None:
                worker.conn.send(None)
            worker.process.join(2 if worker.task is None else 0)
        except (OSError, BrokenPipeError):
            pass
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(2)
        worker.conn.close()
