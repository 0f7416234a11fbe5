"""Query stored events and export them (table, CSV, JSONL, GeoJSON, Parquet).

* CSV: ACLED's column names in ACLED's order for the columns we share
  (:data:`conflictlens.schema.ACLED_CSV_COLUMNS`), then our own columns, then
  ``n_mentions`` and ``sources``.
* JSONL: one object per event with the Event fields, ``n_mentions`` and
  ``sources`` (a list of ``{id, url, outlet, title, published}``).
* GeoJSON (RFC 7946): a FeatureCollection, one Feature per event, WGS 84
  ``[longitude, latitude]`` positions, ``geometry: null`` when unlocated.
* Parquet: the CSV columns, typed, written with pyarrow (optional extra).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Iterable, Sequence

from sqlalchemy import Select, func, or_, select, text

from ..errors import ConflictLensError
from ..schema import ACLED_CSV_COLUMNS, EXTRA_CSV_COLUMNS
from . import models as M

FORMATS = ("table", "csv", "jsonl", "geojson", "parquet")
STORE_COLUMNS = ["n_mentions", "n_sources", "sources"]
CSV_COLUMNS = ACLED_CSV_COLUMNS + EXTRA_CSV_COLUMNS + STORE_COLUMNS
EVENT_FIELDS = M.EVENT_FIELDS


@dataclass
class EventFilter:
    """Filters of ``conflictlens events`` (all optional, combined with AND)."""

    country: str | None = None  # name or ISO3, case-insensitive
    admin1: str | None = None
    since: date | None = None
    until: date | None = None
    type: str | None = None  # disorder, event or sub-event type, case-insensitive
    actor: str | None = None  # substring of actor1/actor2/assoc actors
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    min_fatalities: int | None = None
    limit: int | None = None


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``MIN_LON,MIN_LAT,MAX_LON,MAX_LAT`` -> a tuple (E607 when malformed)."""
    if not value:
        return None
    try:
        parts = tuple(float(p) for p in value.split(","))
    except ValueError:
        raise ConflictLensError("E607", value=value) from None
    if len(parts) != 4:
        raise ConflictLensError("E607", value=value)
    x0, y0, x1, y1 = parts
    if not (-180 <= x0 <= 180 and -180 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise ConflictLensError("E607", value=value)
    return parts  # type: ignore[return-value]


def build_query(f: EventFilter, *, postgis: bool = False) -> Select:
    """The SELECT over ``events`` for a filter."""
    e = M.events
    q = select(e)
    if f.country:
        v = f.country.strip().lower()
        q = q.where(or_(func.lower(e.c.country) == v, func.lower(e.c.iso3) == v))
    if f.admin1:
        q = q.where(func.lower(e.c.admin1) == f.admin1.strip().lower())
    if f.since:
        q = q.where(e.c.event_date >= f.since)
    if f.until:
        q = q.where(e.c.event_date <= f.until)
    if f.type:
        v = f.type.strip().lower()
        q = q.where(or_(func.lower(e.c.event_type) == v, func.lower(e.c.sub_event_type) == v,
                        func.lower(e.c.disorder_type) == v))
    if f.actor:
        pat = f"%{f.actor.strip().lower()}%"
        q = q.where(or_(*(func.lower(c).like(pat) for c in
                          (e.c.actor1, e.c.actor2, e.c.assoc_actor_1, e.c.assoc_actor_2))))
    if f.bbox:
        x0, y0, x1, y1 = f.bbox
        if postgis:
            q = q.where(text("events.geom && ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4326)")
                        .bindparams(x0=x0, y0=y0, x1=x1, y1=y1))
        else:
            q = q.where(e.c.latitude.between(y0, y1))
            if x0 <= x1:
                q = q.where(e.c.longitude.between(x0, x1))
            else:  # crosses the antimeridian (RFC 7946 §5.2)
                q = q.where(or_(e.c.longitude >= x0, e.c.longitude <= x1))
    if f.min_fatalities is not None:
        q = q.where(e.c.fatalities >= f.min_fatalities)
    q = q.order_by(e.c.event_date, e.c.id)
    if f.limit:
        q = q.limit(f.limit)
    return q


def _iso(v: Any) -> Any:
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def event_record(row: dict) -> dict:
    """The JSON view of a stored event: Event fields + ``n_mentions`` + ``sources``."""
    out = {k: _iso(row.get(k)) for k in EVENT_FIELDS}
    out["n_mentions"] = row.get("n_mentions")
    out["n_sources"] = row.get("n_sources")
    out["sources"] = row.get("sources") or []
    return out


def csv_row(row: dict) -> dict:
    """One CSV row: ACLED names first (same rules as schema.event_csv_row), then ours."""
    r = {c: None for c in CSV_COLUMNS}
    for k in EVENT_FIELDS:
        if k in r:
            r[k] = _iso(row.get(k))
    r["event_id_cnty"] = row["id"]
    d = row.get("event_date")
    r["year"] = d.year if isinstance(d, date) else None
    r["civilian_targeting"] = "Civilian targeting" if row.get("civilian_targeting") else ""
    r["source"] = row.get("outlets")
    r["source_id"] = row.get("source_ids")
    r["source_url"] = row.get("source_urls")
    r["evidence"] = " | ".join(e.get("text", "") for e in row.get("evidence") or [])
    ts = row.get("updated_at")
    r["timestamp"] = int(ts.timestamp()) if isinstance(ts, datetime) else None
    r["n_mentions"] = row.get("n_mentions")
    r["n_sources"] = row.get("n_sources")
    r["sources"] = row.get("source_ids")
    return r


def write_csv(rows: Iterable[dict], out: IO[str]) -> int:
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    n = 0
    for row in rows:
        w.writerow(csv_row(row))
        n += 1
    return n


def write_jsonl(rows: Iterable[dict], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(event_record(row), ensure_ascii=False) + "\n")
        n += 1
    return n


def events_geojson(records: Iterable[dict]) -> dict:
    """RFC 7946 FeatureCollection of event records (``[lon, lat]``, null geometry if unlocated)."""
    feats = []
    for rec in records:
        lat, lon = rec.get("latitude"), rec.get("longitude")
        geom = ({"type": "Point", "coordinates": [lon, lat]}
                if lat is not None and lon is not None else None)
        props = {k: v for k, v in rec.items() if k not in ("latitude", "longitude", "id")}
        feats.append({"type": "Feature", "id": rec["id"], "geometry": geom, "properties": props})
    return {"type": "FeatureCollection", "features": feats}


def geojson(rows: Iterable[dict]) -> dict:
    """An RFC 7946 FeatureCollection, one Feature per stored event row."""
    return events_geojson(event_record(row) for row in rows)


def write_geojson(rows: Iterable[dict], out: IO[str]) -> int:
    fc = geojson(rows)
    json.dump(fc, out, ensure_ascii=False)
    out.write("\n")
    return len(fc["features"])


_INT_COLS = {"year", "time_precision", "inter1", "inter2", "interaction", "geo_precision",
             "fatalities", "fatalities_low", "fatalities_high", "injuries", "n_mentions",
             "n_sources", "timestamp", "iso"}
_FLOAT_COLS = {"latitude", "longitude", "confidence"}
_BOOL_COLS = {"fatalities_known"}


def write_parquet(rows: Iterable[dict], path: str | Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ConflictLensError("E606", fmt="parquet", package="pyarrow") from None
    data = [csv_row(r) for r in rows]
    fields = []
    for c in CSV_COLUMNS:
        t = (pa.int64() if c in _INT_COLS else pa.float64() if c in _FLOAT_COLS
             else pa.bool_() if c in _BOOL_COLS else pa.string())
        fields.append(pa.field(c, t))
    schema = pa.schema(fields)
    cols = {c: [d[c] for d in data] for c in CSV_COLUMNS}
    for c in CSV_COLUMNS:
        if schema.field(c).type == pa.string():
            cols[c] = [None if v is None else str(v) for v in cols[c]]
    table = pa.table(cols, schema=schema)
    pq.write_table(table, str(path))
    return len(data)


def render_table(rows: Sequence[dict]):
    """A rich Table with the columns an analyst scans first."""
    from rich.table import Table

    t = Table(title=f"{len(rows)} event(s)")
    for col in ("event_id", "date", "type", "actor1", "actor2", "country", "location",
                "fatalities", "n", "sources"):
        t.add_column(col, overflow="fold")
    for r in rows:
        fat = r.get("fatalities")
        lo, hi = r.get("fatalities_low"), r.get("fatalities_high")
        fat_s = f"{fat}" + (f" ({lo}-{hi})" if lo is not None and hi is not None and lo != hi else "")
        t.add_row(r["id"], _iso(r.get("event_date")) or "", r.get("sub_event_type") or "",
                  r.get("actor1") or "", r.get("actor2") or "", r.get("iso3") or r.get("country") or "",
                  r.get("location") or "", fat_s if r.get("fatalities_known") else "?",
                  str(r.get("n_mentions")), r.get("outlets") or r.get("source_ids") or "")
    return t


def export(rows: Iterable[dict], fmt: str, out: IO[str] | None = None,
           path: str | Path | None = None) -> int:
    """Write rows in a format to a text stream (or a file for parquet); returns the count."""
    if fmt not in FORMATS:
        raise ConflictLensError("E302", fmt=fmt, choices=", ".join(FORMATS))
    if fmt == "parquet":
        if path is None:
            raise ConflictLensError("E301", path="-", detail="parquet needs -o FILE")
        return write_parquet(rows, path)
    buf = out if out is not None else io.StringIO()
    if fmt == "csv":
        return write_csv(rows, buf)
    if fmt == "jsonl":
        return write_jsonl(rows, buf)
    if fmt == "geojson":
        return write_geojson(rows, buf)
    rows = list(rows)
    from rich.console import Console

    Console(file=buf, width=200 if out is not None and not getattr(out, "isatty", lambda: False)() else None
            ).print(render_table(rows))
    return len(rows)
