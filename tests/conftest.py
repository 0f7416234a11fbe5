"""Fixtures shared across test folders: throwaway PostgreSQL databases, and a database filled by the
real pipeline from the bundled samples."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_ENV = "CONFLICTLENS_TEST_PG_URL"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@contextmanager
def _fresh_pg(prefix: str = "cl_"):
    """A new, empty database on the test cluster, dropped afterwards; skips without a cluster."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need ${PG_ENV}; run them via scripts/with_postgres.sh")
    try:
        import psycopg  # noqa: F401
    except ImportError:  # pragma: no cover
        pytest.skip("psycopg is not installed")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = prefix + uuid.uuid4().hex[:12]
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _fill_from_samples(url: str) -> None:
    """Ingest samples/ with the real pipeline (one worker) into the database at ``url``."""
    from conflictlens.pipeline import load_config
    from conflictlens.store import Store
    from conflictlens.store.ingest import ingest

    store = Store(url)
    try:
        rep = ingest([str(SAMPLES)], store, load_config(), workers=1)
        assert rep.failed == 0, rep.failures
    finally:
        store.close()


@pytest.fixture(scope="session")
def fresh_pg_database():
    """``with fresh_pg_database("prefix_") as url:`` — see :func:`_fresh_pg`."""
    return _fresh_pg


@pytest.fixture(scope="session")
def fill_from_samples():
    """``fill_from_samples(url)`` — see :func:`_fill_from_samples`."""
    return _fill_from_samples
