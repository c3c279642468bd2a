import pytest

pytest_plugins = ["listguard.testing"]


@pytest.fixture(autouse=True)
def _private_result_cache(tmp_path_factory, monkeypatch):
    """Every test's `listguard check` caches into a private folder, never the user's."""
    monkeypatch.setenv("LISTGUARD_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch):
    """Tests assert English messages: the machine's locale must not pick Chinese."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")


@pytest.fixture
def private_tempdir(tmp_path_factory, monkeypatch):
    """The system temporary folder, for one test, is a folder of its own: a test
    that checks what listguard leaves there sees only its own run's folders, not
    those of a test running beside it in another worker (pytest-xdist)."""
    import tempfile

    folder = tmp_path_factory.mktemp("system-tmp")
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder
