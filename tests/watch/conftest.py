"""Fixtures for the watch tests: a local feed server, a database, the fast config."""
from __future__ import annotations

import pytest

from watch_helpers import FAST, FeedServer


@pytest.fixture
def server():
    s = FeedServer()
    yield s
    s.close()


@pytest.fixture(scope="session")
def fast_config() -> dict:
    from conflictlens.pipeline import load_config

    return load_config(None, FAST)


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'watch.db'}"
