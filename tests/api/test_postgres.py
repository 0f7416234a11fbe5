"""The API on PostgreSQL (run via scripts/with_postgres.sh): same answers as on SQLite."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def pg_url(fresh_pg_database, fill_from_samples):
    with fresh_pg_database("cl_api_") as url:
        fill_from_samples(url)
        yield url


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
