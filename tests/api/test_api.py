"""The read endpoints, checked against the database the real pipeline filled (samples/)."""
from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from conflictlens.schema import Document
from conflictlens.store import models as M

SAMPLES_TEXT = "samples/somalia-beledweyne-suicide-bombing.txt"


def _count(engine, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(M.events).where(*where)).scalar_one()


def test_events_total_matches_database(client, engine):
    r = client.get("/api/events", params={"count": True})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == _count(engine) > 0
    assert len(body["items"]) == body["total"]  # samples are fewer than one page
    assert body["has_more"] is False and body["next_offset"] is None
    assert client.get("/api/events").json()["total"] is None  # counting is opt-in
    dates = [i["event_date"] for i in body["items"] if i["event_date"]]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_pagination_covers_every_event_once(client, engine):
    seen = []
    offset = 0
    while offset is not None:
        page = client.get("/api/events", params={"limit": 3, "offset": offset, "count": True}).json()
        assert len(page["items"]) == 3 or not page["has_more"]
        seen += [i["id"] for i in page["items"]]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == _count(engine)


def test_page_size_is_capped(client):
    r = client.get("/api/events", params={"limit": 100_000})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "E1006"


def test_type_filter(client, engine):
    r = client.get("/api/events", params={"type": "Explosions/Remote violence", "count": True}).json()
    assert r["total"] == _count(engine, M.events.c.event_type == "Explosions/Remote violence") > 0
    assert {i["event_type"] for i in r["items"]} == {"Explosions/Remote violence"}
    # a sub-event type works too, case-insensitively
    sub = client.get("/api/events", params={"type": "suicide BOMB", "count": True}).json()
    assert sub["total"] == _count(engine, M.events.c.sub_event_type == "Suicide bomb")


def test_country_name_and_iso3_agree(client, engine):
    by_name = client.get("/api/events", params={"country": "pakistan", "count": True}).json()
    by_iso = client.get("/api/events", params={"country": "PAK", "count": True}).json()
    assert by_name["total"] == by_iso["total"] == _count(engine, M.events.c.iso3 == "PAK") > 0
    assert {i["id"] for i in by_name["items"]} == {i["id"] for i in by_iso["items"]}


def test_date_and_fatality_filters(client):
    all_items = client.get("/api/events").json()["items"]
    dated = sorted(i["event_date"] for i in all_items if i["event_date"])
    mid = dated[len(dated) // 2]
    r = client.get("/api/events", params={"since": mid, "count": True}).json()
    assert r["total"] == sum(1 for d in dated if d >= mid)
    r = client.get("/api/events", params={"min_fatalities": 5, "count": True}).json()
    assert r["total"] == sum(1 for i in all_items if i["fatalities"] >= 5)
    bad = client.get("/api/events", params={"until": "14/10/2024"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "E1006"


def test_text_search(client):
    r = client.get("/api/events", params={"q": "beledweyne", "count": True}).json()
    assert r["total"] >= 1
    assert all("beledweyne" in (i["location"] or "").lower() + (i["notes"] or "").lower()
               for i in r["items"])


def test_geojson_output(client):
    r = client.get("/api/events", params={"format": "geojson"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    items = {i["id"]: i for i in client.get("/api/events").json()["items"]}
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == len(items)
    for f in fc["features"]:
        ev = items[f["id"]]
        if ev["latitude"] is None:
            assert f["geometry"] is None
        else:
            assert f["geometry"]["coordinates"] == [ev["longitude"], ev["latitude"]]


def test_event_detail_evidence_offsets_point_into_the_article(client):
    ids = [i["id"] for i in client.get("/api/events").json()["items"]]
    checked = 0
    for eid in ids:
        ev = client.get(f"/api/events/{eid}").json()
        assert ev["id"] == eid
        assert len(ev["mentions"]) == ev["n_mentions"] >= 1
        assert {s["id"] for s in ev["sources"]} == {m["source_id"] for m in ev["mentions"]}
        for m in ev["mentions"]:
            body = client.get(f"/api/articles/{m['source_id']}").json()["body"]
            for span in m["evidence"]:
                assert body[span["start"]:span["end"]] == span["text"]
                checked += 1
    assert checked >= len(ids)


def test_unknown_event_and_article_are_404(client):
    for path in ("/api/events/XXX-NOPE", "/api/articles/nope"):
        r = client.get(path)
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "E1007"


def test_articles(client, engine):
    r = client.get("/api/articles").json()
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(M.sources)).scalar_one()
    assert r["total"] == n == 7
    assert all("body" not in a for a in r["items"])
    one = client.get(f"/api/articles/{r['items'][0]['id']}").json()
    assert one["body"] and isinstance(one["quotes"], list) and isinstance(one["mentions"], list)


def test_quotes_filters(client, engine):
    allq = client.get("/api/quotes", params={"limit": 500}).json()
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(M.quotes)).scalar_one()
    assert allq["total"] == n > 0
    for stance in ("support", "oppose", "neutral"):
        r = client.get("/api/quotes", params={"stance": stance, "limit": 500}).json()
        assert r["total"] == sum(1 for q in allq["items"] if q["stance"] == stance)
        assert all(q["stance"] == stance for q in r["items"])
    speaker = next(q["speaker"] for q in allq["items"] if q["speaker"])
    part = speaker.split()[0]
    r = client.get("/api/quotes", params={"speaker": part.upper(), "limit": 500}).json()
    assert r["total"] == sum(1 for q in allq["items"]
                             if q["speaker"] and part.lower() in q["speaker"].lower())
    assert client.get("/api/quotes", params={"stance": "angry"}).status_code == 422


def test_actors_and_network_counts(client, engine):
    e = M.events.c
    actors = client.get("/api/actors").json()["items"]
    assert sum(a["as_actor1"] for a in actors) == _count(engine, e.actor1.is_not(None))
    assert sum(a["as_actor2"] for a in actors) == _count(engine, e.actor2.is_not(None))
    net = client.get("/api/network").json()
    assert sum(x["events"] for x in net["edges"]) == _count(engine, e.actor1.is_not(None),
                                                           e.actor2.is_not(None))
    names = {n["id"] for n in net["nodes"]}
    assert all(x["source"] in names and x["target"] in names for x in net["edges"])


def test_timeline_and_stats(client, engine):
    for interval in ("day", "week", "month"):
        t = client.get("/api/timeline", params={"interval": interval}).json()
        assert sum(b["events"] for b in t["buckets"]) == _count(engine, M.events.c.event_date.is_not(None))
        dates = [b["date"] for b in t["buckets"]]
        assert dates == sorted(set(dates))
    months = [b["date"] for b in client.get("/api/timeline", params={"interval": "month"}).json()["buckets"]]
    assert all(m.endswith("-01") for m in months)
    # months are contiguous (empty months included)
    ym = [(int(m[:4]), int(m[5:7])) for m in months]
    assert all((b[0] * 12 + b[1]) - (a[0] * 12 + a[1]) == 1 for a, b in zip(ym, ym[1:]))
    st = client.get("/api/stats").json()
    assert st["events"] == _count(engine)
    assert sum(st["by_event_type"].values()) == st["events"]
    assert st["articles"] == 7


def test_map_points(client, engine):
    m = client.get("/api/map").json()
    n = _count(engine, M.events.c.latitude.is_not(None))
    assert len(m["points"]) == n > 1
    assert not m["truncated"]
    assert all(p["latitude"] is not None and p["longitude"] is not None for p in m["points"])
    one = client.get("/api/map", params={"limit": 1}).json()
    assert len(one["points"]) == 1 and one["truncated"]
    pak = client.get("/api/map", params={"country": "pak"}).json()["points"]
    assert {p["iso3"] for p in pak} == {"PAK"}


def test_extract_json_and_plain_text(client):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / SAMPLES_TEXT).read_text("utf-8")
    r = client.post("/api/extract", json={"text": text, "published": "2024-09-22"})
    assert r.status_code == 200, r.text
    doc = Document.model_validate(r.json())
    assert doc.events and doc.events[0].country == "Somalia"
    r2 = client.post("/api/extract", content=text.encode(), headers={"Content-Type": "text/plain"})
    assert r2.status_code == 200
    assert Document.model_validate(r2.json()).source.body == doc.source.body


def test_extract_needs_input(client):
    r = client.post("/api/extract", json={"title": "nothing else"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "E1008"
    r = client.post("/api/extract", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "E1006"


def test_extract_url_is_refused_by_default(client):
    r = client.post("/api/extract", json={"url": "https://example.org/a.html"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "E1004"


def test_openapi_docs(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events/{event_id}", "/api/quotes", "/api/actors",
                 "/api/timeline", "/api/stats", "/api/extract", "/api/ingest", "/api/articles"):
        assert path in spec["paths"], path
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert "http://" not in docs.text and "https://" not in docs.text  # no CDN
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', docs.text):
        assert client.get(asset).status_code == 200, asset
    spec30 = client.get("/openapi-3.0.json").json()
    assert spec30["openapi"] == "3.0.3" and spec30["paths"].keys() == spec["paths"].keys()
    assert '{"type": "null"}' not in json.dumps(spec30)


def test_openapi_downgrade_of_nullable_fields():
    from conflictlens.api.docs import downgrade_openapi

    spec = {"openapi": "3.1.0", "components": {"schemas": {"X": {"properties": {
        "a": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "A"},
        "b": {"anyOf": [{"$ref": "#/components/schemas/Y"}, {"type": "null"}]},
        "c": {"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]},
        "d": {"const": "1"}}}}}}
    out = downgrade_openapi(spec)["components"]["schemas"]["X"]["properties"]
    assert out["a"] == {"type": "string", "nullable": True, "title": "A"}
    assert out["b"] == {"allOf": [{"$ref": "#/components/schemas/Y"}], "nullable": True}
    assert out["c"] == {"anyOf": [{"type": "integer"}, {"type": "string"}], "nullable": True}
    assert out["d"] == {"enum": ["1"]}
    assert spec["openapi"] == "3.1.0"  # the input is left alone


def test_dashboard_and_assets_are_local(client):
    html = client.get("/").text
    assert "http://" not in html and "https://" not in html  # no CDN
    for asset in ("/static/app.js", "/static/app.css", "/static/vendor/leaflet/leaflet.js",
                  "/static/vendor/world-atlas/countries-110m.json"):
        assert client.get(asset).status_code == 200, asset


def test_filters_match_the_cli_query(client, sample_db):
    """The API's index-friendly filters select exactly what `conflictlens events` selects."""
    from conflictlens.store import Store
    from conflictlens.store.export import EventFilter, build_query

    store = Store(sample_db, create=False)
    try:
        cases = [{"country": "pakistan"}, {"country": "PAK"}, {"country": "nowhere"},
                 {"type": "battles"}, {"type": "Political violence"}, {"type": "air/drone strike"},
                 {"type": "not a type"}, {"actor": "forces"}, {"admin1": "balochistan"},
                 {"country": "Pakistan", "type": "Strategic developments"}]
        for params in cases:
            want = {r["id"] for r in store.iter_events(build_query(EventFilter(**params)))}
            got = {i["id"] for i in client.get("/api/events", params={**params, "limit": 500}).json()["items"]}
            assert got == want, params
    finally:
        store.close()


def test_bbox_filter_matches_the_cli_query(client, sample_db):
    from conflictlens.store import Store
    from conflictlens.store.export import EventFilter, build_query, parse_bbox

    store = Store(sample_db, create=False)
    try:
        for box in ("60,20,80,40", "-180,-90,180,90", "170,-90,-170,90", "0,0,1,1"):
            want = {r["id"] for r in store.iter_events(build_query(EventFilter(bbox=parse_bbox(box))))}
            got = {i["id"] for i in client.get("/api/events", params={"bbox": box, "limit": 500}).json()["items"]}
            assert got == want, box
    finally:
        store.close()


def test_bbox_plan_switch_keeps_results(engine, monkeypatch):
    """Dense and sparse boxes take different query plans but select the same events."""
    from conflictlens.store import queries_api as Q

    flt = Q.ApiFilter(bbox=(-180.0, -90.0, 180.0, 90.0))
    _t, _m, sparse = Q.list_events(engine, flt, limit=500)
    monkeypatch.setattr(Q, "_DENSE_BOX", 0)
    _t, _m, dense = Q.list_events(engine, flt, limit=500)
    assert [e["id"] for e in sparse] == [e["id"] for e in dense] and sparse
