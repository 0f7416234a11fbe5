"""Benchmark: latency of the events endpoint on a 100k-event database, and the dashboard's weight.

1. Builds (once, cached under ``out/bench/``) a SQLite database with N synthetic events
   (default 100 000) spread over 12 countries, 6 event types and 5 years, through the same
   tables and migrations as ``conflictlens ingest`` (synthetic rows: extraction is not what
   is measured here).
2. Starts the real server (uvicorn, in a thread) and times HTTP requests with httpx:
   the first page of ``/api/events`` unfiltered and with the filters the dashboard sends
   (type, country, date range, text search), plus ``/api/map`` and ``/api/timeline``.
   Prints p50/p95/max per query in ms.
3. Baselines measured in the same process: ``/healthz`` through the same server (HTTP +
   framework cost) and the same SQL run directly (no HTTP), so the ratios compare across
   machines.  Goal: p95 of the filtered first page < 100 ms.
4. First dashboard load: bytes on the wire for ``/`` and every asset it loads plus the
   API calls it makes on start (gzip as a browser asks for it).  Goal: < 1 MB.

Usage: ``.venv/bin/python benchmarks/api_speed.py [--events 100000] [--repeat 60] [--rebuild]``
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

COUNTRIES = [("Pakistan", "PAK", 30.0, 69.0), ("Afghanistan", "AFG", 34.0, 66.0),
             ("Somalia", "SOM", 5.0, 46.0), ("Nigeria", "NGA", 9.0, 8.0),
             ("Mali", "MLI", 16.0, -2.0), ("Ukraine", "UKR", 49.0, 32.0),
             ("Colombia", "COL", 4.0, -73.0), ("Kenya", "KEN", 0.0, 38.0),
             ("Myanmar", "MMR", 21.0, 96.0), ("Sudan", "SDN", 15.0, 30.0),
             ("Iraq", "IRQ", 33.0, 44.0), ("Philippines", "PHL", 12.0, 122.0)]
TYPES = [("Battles", "Armed clash", "Political violence"),
         ("Explosions/Remote violence", "Air/drone strike", "Political violence"),
         ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Political violence"),
         ("Violence against civilians", "Attack", "Political violence"),
         ("Protests", "Peaceful protest", "Demonstrations"),
         ("Riots", "Mob violence", "Political violence"),
         ("Strategic developments", "Arrests", "Strategic developments")]
ACTORS = ["Military Forces", "Police Forces", "Unidentified Armed Group", "Protesters",
          "Civilians", "Rebel Front", "Militia"]


def build_db(path: Path, n: int, seed: int = 7) -> str:
    """A migrated SQLite database with ``n`` synthetic merged events (cached)."""
    from sqlalchemy import insert

    from conflictlens.store import Store
    from conflictlens.store import models as M

    url = f"sqlite:///{path}"
    store = Store(url)
    rng = random.Random(seed)
    start = date(2020, 1, 1)
    now = datetime(2025, 1, 1)
    rows = []
    for i in range(n):
        country, iso3, lat, lon = rng.choice(COUNTRIES)
        etype, sub, disorder = rng.choice(TYPES)
        d = start + timedelta(days=rng.randrange(5 * 365))
        a1 = f"{rng.choice(ACTORS)} ({country})"
        a2 = f"{rng.choice(ACTORS)} ({country})" if rng.random() < 0.7 else None
        fat = rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 13, 40])
        place = f"Town {i % 997}"
        rows.append(dict(
            id=f"{iso3}-{i:012X}", event_date=d, event_date_start=d, event_date_end=d,
            time_precision=1, disorder_type=disorder, event_type=etype, sub_event_type=sub,
            actor1=a1, actor2=a2, inter1=1, inter2=2 if a2 else None, interaction=12,
            civilian_targeting=False, country=country, iso3=iso3, admin1=f"Province {i % 17}",
            location=place, latitude=lat + rng.uniform(-3, 3), longitude=lon + rng.uniform(-3, 3),
            geo_precision=1, fatalities=fat, fatalities_known=True,
            evidence=[{"start": 0, "end": 40, "text": f"Synthetic evidence sentence number {i}."}],
            confidence=0.7, notes=f"On {d}, {a1} clashed in {place}, {country}.", year=d.year,
            n_mentions=1, n_sources=1, sources=[{"id": f"s{i}", "url": None, "outlet": "Bench",
                                                 "title": None, "published": str(d)}],
            source_ids=f"s{i}", outlets="Bench", merge_detail={}, created_at=now, updated_at=now))
        if len(rows) == 5000:
            with store.engine.begin() as conn:
                conn.execute(insert(M.events), rows)
            rows = []
    if rows:
        with store.engine.begin() as conn:
            conn.execute(insert(M.events), rows)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    store.close()
    return url


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def start_server(url: str):
    import uvicorn

    from conflictlens.api import ApiSettings, create_app

    app = create_app(ApiSettings(db=url))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    while not srv.started:
        time.sleep(0.05)
    port = srv.servers[0].sockets[0].getsockname()[1]
    return srv, t, f"http://127.0.0.1:{port}", app


def first_load_bytes(base: str) -> tuple[int, int, list[tuple[str, int]]]:
    """(wire bytes, decoded bytes, per-URL wire bytes) of the dashboard's first load."""
    import httpx

    html_resp = httpx.get(base + "/", headers={"Accept-Encoding": "gzip"}, trust_env=False)
    urls = ["/"] + re.findall(r'(?:src|href)="(/static/[^"]+)"', html_resp.text)
    # what app.js fetches on start (no filters): config, facets, outlines, and the refresh calls
    urls += ["/api/config", "/api/facets", "/static/vendor/world-atlas/countries-110m.json",
             "/api/map", "/api/stats", "/api/timeline?interval=month", "/api/events?limit=100",
             "/api/quotes?limit=200", "/api/network", "/api/actors?limit=50"]
    wire = decoded = 0
    per = []
    with httpx.Client(base_url=base, headers={"Accept-Encoding": "gzip"}, trust_env=False) as c:
        for u in urls:
            with c.stream("GET", u) as r:
                raw = b"".join(r.iter_raw())
                size = len(raw) + sum(len(k) + len(v) + 4 for k, v in r.headers.raw)
                wire += size
                per.append((u, size))
            decoded += len(c.get(u).content)  # the same response, decompressed
    return wire, decoded, per


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=60)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()

    import httpx

    from conflictlens.store import queries_api as Q
    from conflictlens.store.db import make_engine

    out = REPO / "out" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"api_{args.events}.db"
    if args.rebuild or not path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        t0 = time.perf_counter()
        url = build_db(path, args.events)
        print(f"built {args.events:,} synthetic events in {time.perf_counter() - t0:.1f} s -> {path}")
    url = f"sqlite:///{path}"

    srv, thread, base, _app = start_server(url)
    engine = make_engine(url)
    queries = {
        "first page": {},
        "type=Battles": {"type": "Battles"},
        "country=PAK": {"country": "PAK"},
        "country+type+since": {"country": "Somalia", "type": "Protests", "since": "2023-06-01"},
        "actor=Police": {"actor": "police"},
        "q=Town 42": {"q": "Town 42"},
        "bbox": {"bbox": "60,25,75,37"},
    }
    print(f"\n/api/events, first page (50), {args.events:,} events, {args.repeat} runs each, ms.\n"
          f"'+count p95': the same with count=true (exact total); 'sql p95': the same page query "
          f"without HTTP; ratio = p95 / sql p95")
    print(f"{'query':22} {'p50':>7} {'p95':>7} {'max':>7} {'matches':>8} {'+count p95':>10} "
          f"{'sql p95':>8} {'ratio':>6}")
    worst = 0.0
    with httpx.Client(base_url=base, trust_env=False) as c:
        health = timed(lambda: c.get("/healthz"), args.repeat)
        for name, params in queries.items():
            lat = timed(lambda: c.get("/api/events", params=params).raise_for_status(), args.repeat)
            counted = timed(lambda: c.get("/api/events", params={**params, "count": "true"})
                            .raise_for_status(), max(10, args.repeat // 4))
            total = c.get("/api/events", params={**params, "count": "true"}).json()["total"]
            flt = Q.ApiFilter(**{k: v for k, v in params.items() if k not in ("since", "bbox")},
                              since=date.fromisoformat(params["since"]) if "since" in params else None,
                              bbox=tuple(float(x) for x in params["bbox"].split(",")) if "bbox" in params else None)
            sql = timed(lambda: Q.list_events(engine, flt, limit=50), args.repeat)
            p95 = pct(lat, 95)
            if params:
                worst = max(worst, p95)
            print(f"{name:22} {pct(lat, 50):7.1f} {p95:7.1f} {max(lat):7.1f} {total:8,} "
                  f"{pct(counted, 95):10.1f} {pct(sql, 95):8.1f} {p95 / max(pct(sql, 95), 1e-6):6.2f}")
        for name, path_, params in (("/api/map (5000 pts)", "/api/map", {}),
                                    ("/api/timeline month", "/api/timeline", {"interval": "month"}),
                                    ("/api/stats", "/api/stats", {})):
            lat = timed(lambda: c.get(path_, params=params).raise_for_status(), max(10, args.repeat // 4))
            print(f"{name:22} {pct(lat, 50):7.1f} {pct(lat, 95):7.1f} {max(lat):7.1f}")
        print(f"{'baseline /healthz':22} {pct(health, 50):7.1f} {pct(health, 95):7.1f} {max(health):7.1f}")
    print(f"\nworst filtered first-page p95: {worst:.1f} ms (goal < 100 ms): "
          f"{'OK' if worst < 100 else 'MISSED'}")
    srv.should_exit = True
    thread.join(timeout=10)
    engine.dispose()

    # the dashboard's first load (the map endpoint returns at most 5000 points)
    srv, thread, base, _app = start_server(url)
    wire, decoded, per = first_load_bytes(base)
    srv.should_exit = True
    thread.join(timeout=10)
    print(f"\nfirst dashboard load ({args.events:,}-event db): {len(per)} requests, "
          f"{wire / 1024:.0f} KiB on the wire (gzip), {decoded / 1024:.0f} KiB decoded; "
          f"goal < 1 MB: {'OK' if wire < 1_000_000 else 'MISSED'}")
    for u, size in sorted(per, key=lambda x: -x[1])[:6]:
        print(f"  {size / 1024:7.1f} KiB  {u}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
