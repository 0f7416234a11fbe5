"""Store benchmarks: ingest throughput (SQLite, PostgreSQL) and dedup scaling.

    .venv/bin/python benchmarks/store_speed.py                 # SQLite + dedup 1k/10k/100k
    scripts/with_postgres.sh .venv/bin/python benchmarks/store_speed.py   # + PostgreSQL
    .venv/bin/python benchmarks/store_speed.py --pg postgresql://...      # + a server of yours
    .venv/bin/python benchmarks/store_speed.py --sizes 1000,10000 --articles 100

Printed figures:

* ingest, store only: prebuilt Documents (3 events each) -> Store.save_document,
  one transaction per article (articles/min).
* ingest, end to end: ``ingest()`` on a JSONL corpus with the fast pipeline
  (blank spaCy + rule events + gazetteer), workers=1; the baseline is the same
  pipeline without any database, and the ratio shows the storage overhead.
* dedup: in-memory incremental clustering of N synthetic mentions (about 3
  reports per incident, 30 countries, 3 years); baseline = the 1k run, the
  exponent is the slope of log(time) against log(N) (1.0 = linear).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conflictlens.eval.dedup import cluster_metrics  # noqa: E402
from conflictlens.schema import SUB_EVENT_TO_TYPE, Document, Event, Evidence, Source  # noqa: E402
from conflictlens.store.dedup import Clusterer, DedupConfig, Mention  # noqa: E402

SUBS = ["Armed clash", "Attack", "Suicide bomb", "Remote explosive/landmine/IED",
        "Air/drone strike", "Peaceful protest", "Arrests", "Shelling/artillery/missile attack"]
ACTORS = ["Military Forces of {c}", "Police Forces of {c}", "Unidentified Armed Group ({c})",
          "Civilians ({c})", "Protesters ({c})", "Rebel Front of {c}"]
WORDS = ("attack convoy checkpoint village market soldiers police militants killed wounded "
         "blast gunmen district town officials said army rebels clash strike camp road").split()


def synthetic_mentions(n: int, seed: int = 7, span_days: int = 3 * 365) -> tuple[list[Mention], dict]:
    """N mentions of about N/3 incidents over ``span_days``, with noisy dates, places, numbers, wording."""
    rng = random.Random(seed)
    countries = [(f"C{i:02d}", rng.uniform(-30, 50), rng.uniform(-20, 100)) for i in range(30)]
    start = date(2022, 1, 1)
    mentions, gold = [], {}
    k = 0
    inc = 0
    while k < n:
        iso, clat, clon = rng.choice(countries)
        day = start + timedelta(days=rng.randrange(span_days))
        lat, lon = clat + rng.uniform(-4, 4), clon + rng.uniform(-4, 4)
        sub = rng.choice(SUBS)
        a1 = rng.choice(ACTORS).format(c=iso)
        a2 = rng.choice(ACTORS).format(c=iso)
        fat = rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 40])
        town = f"town{rng.randrange(100000)}"
        words = rng.sample(WORDS, 8)
        for r in range(min(n - k, rng.choice([1, 2, 3, 3, 4, 5]))):
            d = day + timedelta(days=rng.choice([0, 0, 0, 1, -1]))
            f = max(0, fat + rng.choice([0, 0, 1, -1, 2]))
            text = " ".join(words[:6] + rng.sample(WORDS, 3)) + f" {town} {f}"
            rec = {"event_date": d, "sub_event_type": sub, "event_type": SUB_EVENT_TO_TYPE[sub],
                   "iso3": iso, "admin1": f"{iso}-A{int(lat) % 7}", "location": town,
                   "latitude": lat + rng.uniform(-0.05, 0.05), "longitude": lon + rng.uniform(-0.05, 0.05),
                   "geo_precision": 1, "fatalities": f, "fatalities_known": True,
                   "actor1": a1, "actor2": a2, "evidence_text": text}
            mentions.append(Mention.from_fields(k, f"s{k}", rec))
            gold[k] = inc
            k += 1
        inc += 1
    mentions.sort(key=lambda m: (m.event_date, m.key))
    return mentions, gold


def bench_dedup(sizes: list[int], constant_density: bool = False) -> list[dict]:
    """Fixed density: the time span grows with N (same mentions per country-day).
    Otherwise a fixed 3-year span: blocks get denser as N grows."""
    out = []
    print("dedup, " + ("constant density (span grows with N)" if constant_density
                       else "fixed 3-year span (denser blocks as N grows)") + ":")
    for n in sizes:
        span = max(30, round(3 * 365 * n / max(sizes))) if constant_density else 3 * 365
        ms, gold = synthetic_mentions(n, span_days=span)
        c = Clusterer(DedupConfig())
        t = time.perf_counter()
        pred = c.add_all(ms)
        dt = time.perf_counter() - t
        m = cluster_metrics(gold, pred)
        out.append({"n": n, "seconds": round(dt, 3), "per_sec": round(n / dt),
                    "bcubed_f1": m["bcubed_f1"], "clusters": m["predicted_clusters"],
                    "gold_clusters": m["gold_clusters"]})
        print(f"dedup {n:>7,} mentions: {dt:8.2f} s  ({n / dt:,.0f}/s)  "
              f"B-cubed F1 {m['bcubed_f1']:.3f}  clusters {m['predicted_clusters']:,} "
              f"(gold {m['gold_clusters']:,})", flush=True)
    if len(out) >= 2:
        base = out[0]
        for r in out[1:]:
            ratio = r["seconds"] / base["seconds"]
            r["ratio_vs_first"] = round(ratio, 2)
            r["exponent_vs_first"] = round(math.log(ratio) / math.log(r["n"] / base["n"]), 3)
            print(f"  {r['n']:,} vs {base['n']:,}: time x{ratio:.1f} for size x{r['n'] // base['n']} "
                  f"-> exponent {r['exponent_vs_first']:.2f}")
    return out


def synthetic_docs(n: int, seed: int = 11) -> list[Document]:
    rng = random.Random(seed)
    ms, _ = synthetic_mentions(n * 3, seed)
    docs = []
    for i in range(n):
        evs = []
        for j, m in enumerate(ms[i * 3:(i + 1) * 3]):
            text = m.text
            evs.append(Event(id=f"e{j}", event_date=m.event_date, time_precision=1,
                             disorder_type="Political violence",
                             event_type=m.event_type, sub_event_type=m.sub_event_type,
                             actor1=m.actors[0] if m.actors else None, iso3=m.country,
                             country=m.country, location=m.location, latitude=m.latitude,
                             longitude=m.longitude, geo_precision=1, fatalities=m.fatalities or 0,
                             fatalities_known=True, confidence=0.6,
                             evidence=[Evidence(start=0, end=len(text), text=text)]))
        body = " ".join(e.evidence[0].text for e in evs) + f" (article {i})"
        docs.append(Document(source=Source(id=f"a{i}", outlet=f"Outlet {i % 17}", body=body),
                             events=evs))
    return docs


def bench_store(url: str, label: str, n_articles: int) -> dict:
    from conflictlens.store import Store

    docs = synthetic_docs(n_articles)
    store = Store(url)
    t = time.perf_counter()
    for d in docs:
        store.save_document(d)
    dt = time.perf_counter() - t
    t2 = time.perf_counter()
    for d in docs:  # second pass: every article is a skip
        store.save_document(d)
    dt2 = time.perf_counter() - t2
    store.close()
    r = {"db": label, "articles": n_articles, "per_min": round(n_articles / dt * 60),
         "reingest_per_min": round(n_articles / dt2 * 60)}
    print(f"store {label:<10} {n_articles} articles x3 events: {n_articles / dt * 60:,.0f} articles/min; "
          f"re-ingest (all skipped) {n_articles / dt2 * 60:,.0f}/min", flush=True)
    return r


def bench_ingest(url: str, label: str, n_articles: int, workdir: Path) -> dict:
    from conflictlens.doc import RawInput
    from conflictlens.pipeline import Pipeline, load_config
    from conflictlens.store import Store
    from conflictlens.store.ingest import ingest

    places = ["Bannu", "Quetta", "Peshawar", "Turbat", "Gwadar", "Zhob", "Khuzdar", "Kabul"]
    corpus = workdir / f"corpus-{label}.jsonl"
    with open(corpus, "w") as fh:
        for i in range(n_articles):
            p = places[i % len(places)]
            fh.write(json.dumps({"id": f"b{i}", "published": f"2024-05-{1 + i % 28:02d}",
                                 "text": f"{p.upper()} - Gunmen attacked a checkpoint in {p} on Monday, "
                                         f"killing {1 + i % 9} policemen, officials said. Report {i}."}) + "\n")
    cfg = load_config(None, {"pipeline": {"stages": ["ingest.clean", "nlp.spacy", "events.rules",
                                                      "geo.gazetteer"]},
                             "stages": {"nlp.spacy": {"blank": True}}})
    pipe = Pipeline.from_config(cfg)
    raws = [RawInput(name=str(i), content=json.loads(line)["text"])
            for i, line in enumerate(open(corpus))]
    for r in raws[:5]:  # warm-up (lazy loading), not timed
        pipe.process(r)
    t = time.perf_counter()
    for r in raws:
        pipe.process(r)
    base = time.perf_counter() - t
    store = Store(url, cfg)
    t = time.perf_counter()
    rep = ingest([str(corpus)], store, cfg, workers=1)
    dt = time.perf_counter() - t
    store.close()
    r = {"db": label, "articles": rep.stored, "per_min": round(rep.stored / dt * 60),
         "extract_only_per_min": round(n_articles / base * 60), "ratio_vs_extract": round(dt / base, 2)}
    print(f"ingest {label:<9} {rep.stored} articles end to end: {r['per_min']:,}/min "
          f"(extraction alone {r['extract_only_per_min']:,}/min; ingest/extract time x{r['ratio_vs_extract']})",
          flush=True)
    return r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--pg", default=os.environ.get("CONFLICTLENS_TEST_PG_URL"))
    ap.add_argument("--json", help="also write the figures to this JSON file")
    args = ap.parse_args()
    results: dict = {"ingest": [], "store": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        dbs = [(f"sqlite:///{tmpd / 'bench.db'}", "sqlite")]
        if args.pg:
            dbs.append((args.pg, "postgresql"))
        else:
            print("(PostgreSQL skipped: pass --pg URL or run under scripts/with_postgres.sh)")
        for url, label in dbs:
            results["store"].append(bench_store(url, label, args.articles))
        for url, label in dbs:
            ingest_url = url.replace("bench.db", "ingest.db") if label == "sqlite" else url
            results["ingest"].append(bench_ingest(ingest_url, label, args.articles, tmpd))
    sizes = [int(s) for s in args.sizes.split(",")]
    results["dedup"] = bench_dedup(sizes)
    results["dedup_constant_density"] = bench_dedup(sizes, constant_density=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["max_rss_mib"] = round(rss)
    print(f"peak RSS {rss:,.0f} MiB")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
