"""Fixtures for the engine tests: a 100-article corpus and the fast config."""
from __future__ import annotations

import pytest

from scale_helpers import FAST, GOLD_ARTICLES, SAMPLES, synthetic_article, write_jsonl


@pytest.fixture(scope="session")
def corpus_100(tmp_path_factory) -> list[str]:
    """100 inputs: the gold articles and bundled samples (when present) plus synthetic reports."""
    d = tmp_path_factory.mktemp("corpus")
    specs: list[str] = []
    n_real = 0
    for folder in (GOLD_ARTICLES, SAMPLES):
        if folder.is_dir():
            files = [p for p in sorted(folder.iterdir()) if p.suffix in (".txt", ".html")]
            n_real += len(files)
            specs += [str(p) for p in files]
    specs.append(str(write_jsonl(d / "synthetic.jsonl", [synthetic_article(i) for i in range(100 - n_real)])))
    return specs


@pytest.fixture(scope="session")
def fast_config() -> dict:
    from conflictlens.pipeline import load_config

    return load_config(None, FAST)




@pytest.fixture(params=["sqlite", "postgresql"])
def db_pair(request, tmp_path):
    """Two empty databases of one kind (URLs); PostgreSQL skips without $CONFLICTLENS_TEST_PG_URL."""
    import os
    import uuid

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
        return
    base = os.environ.get("CONFLICTLENS_TEST_PG_URL")
    if not base:
        pytest.skip("PostgreSQL tests need $CONFLICTLENS_TEST_PG_URL (scripts/with_postgres.sh)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    names = ["cls_" + uuid.uuid4().hex[:12] for _ in range(2)]
    with admin.connect() as conn:
        for n in names:
            conn.execute(text(f'CREATE DATABASE "{n}"'))
    try:
        yield tuple(make_url(base).set(database=n).render_as_string(hide_password=False) for n in names)
    finally:
        with admin.connect() as conn:
            for n in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)'))
        admin.dispose()
