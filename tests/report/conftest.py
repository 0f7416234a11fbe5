"""Fixtures for the report tests: a database built by the real pipeline on the bundled articles."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
GOLD_ARTICLES = REPO / "tests" / "extract" / "gold" / "articles"
ARTIFACTS = REPO / "test-artifacts" / "report"


def build_db(url: str, inputs: list[Path]):
    """Ingest articles into ``url`` with the default (real spaCy) pipeline; returns the open Store."""
    from conflictlens.pipeline import load_config
    from conflictlens.store import Store
    from conflictlens.store.ingest import ingest

    cfg = load_config()
    store = Store(url, cfg)
    ingest([str(p) for p in inputs], store, cfg, workers=2)
    return store


@pytest.fixture(scope="session")
def report_db(tmp_path_factory):
    """SQLite database of the bundled samples and the extraction gold articles."""
    inputs = [p for p in (SAMPLES, GOLD_ARTICLES) if p.is_dir()]
    if not inputs:
        pytest.skip("no bundled articles found")
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'report.db'}"
    store = build_db(url, inputs)
    if store.counts()["events"] == 0:
        pytest.skip("the pipeline stored no events")
    yield store
    store.close()


@pytest.fixture(scope="session")
def db_builder():
    """:func:`build_db`, for tests that fill a database of their own."""
    return build_db


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/report/ (gitignored): files a reviewer can open after the run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def pg_url(fresh_pg_database):
    """A fresh PostgreSQL database, or skip (run via scripts/with_postgres.sh)."""
    with fresh_pg_database("clr_") as url:
        yield url
