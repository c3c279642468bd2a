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
