"""Fixtures for the API tests: a database filled by the real pipeline from the bundled samples."""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

TOKEN = "test-token-7f3a"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, fill_from_samples) -> str:
    """URL of a SQLite database holding the bundled samples (built once per session)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('apidb') / 'samples.db'}"
    fill_from_samples(url)
    return url


@pytest.fixture(scope="session")
def engine(sample_db):
    from conflictlens.store.db import make_engine

    eng = make_engine(sample_db)
    yield eng
    eng.dispose()


def make_client(url: str, **settings):
    from conflictlens.api import ApiSettings, create_app

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*starlette.testclient.*")
        from fastapi.testclient import TestClient
    return TestClient(create_app(ApiSettings(db=url, **settings)), raise_server_exceptions=False)


@pytest.fixture(scope="session")
def client(sample_db):
    """A read-only API client (no token) on the sample database."""
    with make_client(sample_db) as c:
        yield c


def copy_sqlite(url: str, dest: Path) -> str:
    """A copy of a SQLite database (with its WAL file, if any); returns the copy's URL."""
    src = Path(url.removeprefix("sqlite:///"))
    for suffix in ("", "-wal"):
        if Path(str(src) + suffix).exists():
            shutil.copyfile(str(src) + suffix, str(dest) + suffix)
    return f"sqlite:///{dest}"


@pytest.fixture
def write_client(sample_db, tmp_path):
    """An API client with a token, on its own copy of the sample database (tests may write)."""
    url = copy_sqlite(sample_db, tmp_path / "w.db")
    with make_client(url, token=TOKEN, max_body=200_000) as c:
        yield c


@pytest.fixture
def client_factory():
    """``make_client(url, **settings)``: clients with other settings (closed at teardown)."""
    made = []

    def factory(url: str, **settings):
        c = make_client(url, **settings)
        c.__enter__()
        made.append(c)
        return c

    yield factory
    for c in made:
        c.__exit__(None, None, None)


@pytest.fixture
def db_copy(sample_db, tmp_path):
    """URL of a private copy of the sample database."""
    return copy_sqlite(sample_db, tmp_path / "copy.db")


@pytest.fixture(scope="session")
def token() -> str:
    return TOKEN
