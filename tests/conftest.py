import pytest

pytest_plugins = ["listguard.testing"]


@pytest.fixture(autouse=True)
def _private_result_cache(tmp_path_factory, monkeypatch):
    """Every test's `listguard check` caches into a private folder, never the user's."""
    monkeypatch.setenv("LISTGUARD_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
