"""Checking on a Dask cluster gives the same report as a local run."""

from __future__ import annotations

import datetime as dt

import pytest

from listguard.checks import RunSettings
from listguard.config import Config
from listguard.distributed import HostSpec, run_on_dask
from listguard.pluginmanager import PluginHost
from listguard.runner import Runner
from listguard.testing import base_manifest

distributed = pytest.importorskip("distributed")

SPEC = HostSpec(
    extra=("no:watermark", "no:certificates", "no:manuals", "no:video", "no:listing",
           "plugins_for_tests_module"),
    entrypoints=False,
)  # fmt: skip


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


def test_dask_run_gives_the_same_results_as_a_local_run(client, listing_factory):
    paths = [
        str(listing_factory(base_manifest(sku=f"S{i}", manuals=[{"file": "m.pdf"}]), name=f"p{i}"))
        for i in range(4)
    ]
    settings = RunSettings(config=Config(), as_of=dt.date(2026, 11, 22))
    remote = [r.to_dict() for r in run_on_dask(client, SPEC, settings, paths)]
    host = SPEC.build()
    local = [r.to_dict() for r in Runner(host, settings, jobs=0).run(paths)]
    assert remote == local
    assert [r["package"] for r in remote] == paths
    assert all(r["findings"][0]["rule"] == "LG003" for r in remote)


def test_host_spec_builds_the_requested_plugins():
    host = SPEC.build()
    assert isinstance(host, PluginHost)
    assert "MOD001" in host.rules and "WM001" not in host.rules


def test_check_command_with_dask_writes_the_same_json_as_a_local_run(
    client, listing_factory, capsys
):
    from listguard.cli import main

    paths = [str(listing_factory(base_manifest(sku=f"D{i}"), name=f"d{i}")) for i in range(3)]
    flags = ["--as-of", "2026-11-22", "--format", "json", "--no-cache", "--no-entrypoints"]
    flags += [f"-p={name}" for name in SPEC.extra]
    assert main(["check", *paths, *flags, "--jobs", "0"]) == 0
    local = capsys.readouterr().out
    assert main(["check", *paths, *flags, "--dask", client.scheduler.address]) == 0
    assert capsys.readouterr().out == local
