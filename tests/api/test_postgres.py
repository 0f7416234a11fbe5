"""The API on PostgreSQL (run via scripts/with_postgres.sh): same answers as on SQLite."""
from __future__ import annotations

import os
import uuid

import pytest

PG_ENV = "CONFLICTLENS_TEST_PG_URL"


@pytest.fixture(scope="module")
def pg_url(request):
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need ${PG_ENV}; run them via scripts/with_postgres.sh")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = "cl_api_" + uuid.uuid4().hex[:10]
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    build = request.getfixturevalue("build_db")
    build(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def build_db():
    from conflictlens.pipeline import load_config
    from conflictlens.store import Store
    from conflictlens.store.ingest import ingest

    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "samples"

    def build(url: str) -> None:
        store = Store(url)
        try:
            assert ingest([str(samples)], store, load_config(), workers=1).failed == 0
        finally:
            store.close()

    return build


PARAMS = [{}, {"country": "pakistan"}, {"type": "Explosions/Remote violence"},
          {"q": "beledweyne"}, {"bbox": "60,20,80,40"}, {"actor": "forces"},
          {"country": "PAK' OR '1'='1"}, {"q": "%"}]


def test_postgres_answers_like_sqlite(pg_url, client, client_factory):
    pg = client_factory(pg_url)
    for params in PARAMS:
        a = client.get("/api/events", params={**params, "count": True}).json()
        b = pg.get("/api/events", params={**params, "count": True}).json()
        # event ids are content hashes, so both databases name the same events alike
        assert a["total"] == b["total"], params
        assert {i["id"] for i in a["items"]} == {i["id"] for i in b["items"]}, params
    for path in ("/api/stats", "/api/actors", "/api/network", "/api/timeline?interval=week"):
        assert client.get(path).json() == pg.get(path).json(), path
    qa = client.get("/api/quotes", params={"stance": "oppose"}).json()
    qb = pg.get("/api/quotes", params={"stance": "oppose"}).json()
    assert qa["total"] == qb["total"]
    ev = next(iter(client.get("/api/events").json()["items"]))["id"]
    da, db = client.get(f"/api/events/{ev}").json(), pg.get(f"/api/events/{ev}").json()
    assert [m["evidence"] for m in da["mentions"]] == [m["evidence"] for m in db["mentions"]]
