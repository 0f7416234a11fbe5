"""Query and export: filters on both databases, CSV/JSONL/GeoJSON/Parquet read back."""
from __future__ import annotations

import io
import json
from datetime import date

import pytest

from conflictlens.errors import ConflictLensError
from conflictlens.schema import ACLED_CSV_COLUMNS
from conflictlens.store.export import (CSV_COLUMNS, EventFilter, build_query, export, parse_bbox,
                                       write_parquet)


@pytest.fixture
def filled(store, gold_docs):
    for _, doc in gold_docs:
        store.save_document(doc)
    return store


def _rows(store, **kw):
    return list(store.iter_events(build_query(EventFilter(**kw), postgis=store.postgis)))


def validate_geojson(obj: dict) -> None:
    """The RFC 7946 rules a FeatureCollection of points must follow."""
    assert obj["type"] == "FeatureCollection"
    assert isinstance(obj["features"], list)
    for f in obj["features"]:
        assert f["type"] == "Feature"
        assert isinstance(f["properties"], dict)
        assert isinstance(f.get("id"), (str, int))
        g = f["geometry"]
        if g is None:
            continue
        assert g["type"] == "Point" and set(g) == {"type", "coordinates"}
        lon, lat = g["coordinates"]
        assert isinstance(lon, float) and isinstance(lat, float)
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_filters(filled, gold_records):
    everything = _rows(filled)
    assert len(everything) == filled.counts()["events"]
    pak = _rows(filled, country="pakistan")
    assert pak and all(r["iso3"] == "PAK" for r in pak)
    assert len(_rows(filled, country="PAK")) == len(pak)
    assert all(r["admin1"] == "Balochistan" for r in _rows(filled, admin1="balochistan"))
    window = _rows(filled, since=date(2024, 3, 1), until=date(2024, 3, 31))
    assert window and all(date(2024, 3, 1) <= r["event_date"] <= date(2024, 3, 31) for r in window)
    sb = _rows(filled, type="Suicide bomb")
    assert sb and all(r["sub_event_type"] == "Suicide bomb" for r in sb)
    assert len(_rows(filled, type="Explosions/Remote violence")) > len(sb)
    assert all("BLA" in (r["actor1"] or "") + (r["actor2"] or "") for r in _rows(filled, actor="bla"))
    big = _rows(filled, min_fatalities=50)
    assert big and all(r["fatalities"] >= 50 for r in big)
    # Khyber Pakhtunkhwa-ish box: every hit inside it, and every located event inside it is a hit
    box = (69.0, 31.0, 73.5, 36.0)
    hits = _rows(filled, bbox=box)
    inside = [r for r in everything if r["latitude"] is not None
              and box[0] <= r["longitude"] <= box[2] and box[1] <= r["latitude"] <= box[3]]
    assert {r["id"] for r in hits} == {r["id"] for r in inside} and hits
    assert len(_rows(filled, limit=3)) == 3


def test_csv_reads_back_with_pandas(filled):
    pd = pytest.importorskip("pandas")
    buf = io.StringIO()
    n = export(filled.iter_events(build_query(EventFilter())), "csv", out=buf)
    df = pd.read_csv(io.StringIO(buf.getvalue()))
    assert len(df) == n == filled.counts()["events"]
    assert list(df.columns[: len(ACLED_CSV_COLUMNS)]) == ACLED_CSV_COLUMNS
    assert list(df.columns) == CSV_COLUMNS
    assert (df["n_mentions"] >= 1).all() and df["sources"].notna().all()
    assert df["event_id_cnty"].is_unique
    assert (df["year"] == pd.to_datetime(df["event_date"]).dt.year).all()
    multi = df[df["n_mentions"] > 1]
    assert (multi["sources"].str.count("; ") + 1 == multi["n_mentions"]).all()


def test_jsonl_and_geojson(filled):
    buf = io.StringIO()
    export(filled.iter_events(build_query(EventFilter())), "jsonl", out=buf)
    recs = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert recs and all(len(r["sources"]) == r["n_sources"] >= 1 for r in recs)
    assert all(r["n_mentions"] >= r["n_sources"] for r in recs)
    assert all(s.get("url", "").startswith("https://") for r in recs for s in r["sources"])
    buf = io.StringIO()
    n = export(filled.iter_events(build_query(EventFilter())), "geojson", out=buf)
    gj = json.loads(buf.getvalue())
    validate_geojson(gj)
    assert len(gj["features"]) == n == len(recs)
    f0 = gj["features"][0]
    rec0 = next(r for r in recs if r["id"] == f0["id"])
    assert f0["geometry"]["coordinates"] == [rec0["longitude"], rec0["latitude"]]  # lon, lat order
    assert "n_mentions" in f0["properties"] and "sources" in f0["properties"]


def test_parquet_reads_back_with_pyarrow(filled, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    n = write_parquet(filled.iter_events(build_query(EventFilter())), path)
    table = pq.read_table(path)
    assert table.num_rows == n == filled.counts()["events"]
    assert table.column_names == CSV_COLUMNS
    assert str(table.schema.field("fatalities").type) == "int64"
    assert str(table.schema.field("latitude").type) == "double"
    assert min(table.column("n_mentions").to_pylist()) >= 1


def test_table_format_and_errors(filled):
    buf = io.StringIO()
    n = export(filled.iter_events(build_query(EventFilter(country="SDN"))), "table", out=buf)
    assert n >= 3 and "Rapid Support Forces" in buf.getvalue()
    with pytest.raises(ConflictLensError) as e:
        export([], "xml", out=io.StringIO())
    assert e.value.code == "E302"
    for bad in ("1,2,3", "a,b,c,d", "0,50,10,40"):
        with pytest.raises(ConflictLensError) as e:
            parse_bbox(bad)
        assert e.value.code == "E607"
    assert parse_bbox("-10,0,10,5") == (-10.0, 0.0, 10.0, 5.0)
