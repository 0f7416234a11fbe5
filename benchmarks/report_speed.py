"""Report generation speed on a 10k-event database (goal: < 10 s).

    .venv/bin/python benchmarks/report_speed.py                  # 10,000 events, SQLite
    .venv/bin/python benchmarks/report_speed.py --events 2000
    .venv/bin/python benchmarks/report_speed.py --db /tmp/big.db # reuse / keep the database

The database is filled through the real storage layer (``Store.save_document``:
one transaction per article, cross-source dedup on) with synthetic articles of
our own making: 3 events per article at random places in a box around
Pakistan over one year, 2 quotes and 1 aggregate per article.  Dedup merges a
few of them (close places, same day); articles are added until the database
holds the requested number of merged events.

Printed: the time to collect the data (SQL), to render HTML (with the map and
timeline charts), Markdown and PDF, each as a full ``collect + render`` run on
a fresh ``Store`` as the CLI does; the baseline, measured in the same process, is
``conflictlens events --format csv`` of the same period's events (a full read
of every row), and the ratio report / baseline.  Peak RSS of the process.
"""
from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conflictlens.report import ReportParams, collect, render  # noqa: E402
from conflictlens.schema import (SUB_EVENT_TO_TYPE, Aggregate, Document, Event, Evidence,  # noqa: E402
                                 Quote, Source, disorder_type_for)
from conflictlens.store import Store  # noqa: E402
from conflictlens.store.export import EventFilter, build_query, export  # noqa: E402

ADMIN1 = ["Khyber Pakhtunkhwa", "Balochistan", "Sindh", "Punjab", "Gilgit-Baltistan"]
SYLLABLES = ["kot", "pur", "abad", "zai", "khel", "dera", "mir", "ban", "gul", "shah", "tar", "nau"]
SUBS = ["Armed clash", "Attack", "Suicide bomb", "Remote explosive/landmine/IED", "Air/drone strike",
        "Peaceful protest", "Arrests", "Grenade", "Abduction/forced disappearance"]
ACTORS = ["TTP: Tehreek-i-Taliban Pakistan", "BLA: Balochistan Liberation Army",
          "Military Forces of Pakistan (2018-)", "Police Forces of Pakistan (2018-)",
          "Unidentified Armed Group (Pakistan)", "Protesters (Pakistan)", "Islamic State (Pakistan)"]
SPEAKERS = ["provincial spokesman", "police chief", "a local elder", "the interior minister", "a resident"]
START = date(2024, 1, 1)


def article(i: int, rng: random.Random) -> Document:
    """A made-up article with 3 events at 3 random places on one day (our own words)."""
    day = START + timedelta(days=rng.randrange(366))
    sentences, events = [], []
    for k in range(3):
        loc = "".join(rng.sample(SYLLABLES, 3)).title()
        adm = rng.choice(ADMIN1)
        lat, lon = rng.uniform(24.5, 36.5), rng.uniform(61.5, 75.5)
        sub = rng.choice(SUBS)
        et = SUB_EVENT_TO_TYPE[sub]
        n = rng.choice([0, 0, 1, 2, 3, 5, 8, 13])
        a1, a2 = rng.sample(ACTORS, 2)
        s = f"In {loc}, {a1} and {a2} were involved in an incident that left {n} dead (report {i}-{k})."
        start = sum(len(x) + 1 for x in sentences)
        sentences.append(s)
        events.append(Event(
            id=f"e{k}", event_date=day, time_precision=1, disorder_type=disorder_type_for(et, sub),
            event_type=et, sub_event_type=sub, actor1=a1, actor2=a2, country="Pakistan", iso3="PAK",
            admin1=adm, location=loc, latitude=lat,
            longitude=lon, geo_precision=1, fatalities=n,
            fatalities_known=True, evidence=[Evidence(start=start, end=start + len(s), text=s)],
            confidence=0.7))
    q1 = f'"We will not allow this to continue," said the {rng.choice(SPEAKERS)} in report {i}.'
    sentences.append(q1)
    body = " ".join(sentences)
    qs = body.index(q1)
    quotes = [Quote(text="We will not allow this to continue", start=qs + 1, end=qs + 35, kind="direct",
                    speaker=rng.choice(SPEAKERS), stance=rng.choice(["support", "oppose", "neutral"]),
                    stance_target="the operation"),
              Quote(text="the area was calm", start=0, end=10, kind="indirect", speaker=None,
                    stance="neutral")]
    aggs = [Aggregate(kind="fatalities", value=rng.randint(10, 400), subject="militants",
                      evidence=[Evidence(start=0, end=10, text=body[:10])])]
    return Document(source=Source(id=f"bench-{i:05d}", url=f"https://news.example/{i}",
                                  outlet=rng.choice(["Dawn", "The News", "Express Tribune", "AFP"]),
                                  title=f"Report {i}", published=day, body=body),
                    events=events, quotes=quotes, aggregates=aggs)


def build(url: str, n_events: int) -> Store:
    store = Store(url)
    have = store.counts()["events"]
    if have >= n_events:
        print(f"reusing {url}: {have:,} events")
        return store
    rng = random.Random(9)
    t = time.perf_counter()
    i = store.counts()["sources"]
    while store.counts()["events"] < n_events:
        for _ in range(200):
            store.save_document(article(i, rng))
            i += 1
    print(f"built {url}: {store.counts()['events']:,} events from {i:,} articles "
          f"in {time.perf_counter() - t:.1f} s")
    return store


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--db", help="SQLite file to build or reuse (default: a temp file)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = f"sqlite:///{args.db or Path(tmp.name) / 'bench.db'}"
    build(url, args.events).close()
    params = ReportParams(country="PAK", since=START, until=START + timedelta(days=365))

    def baseline():
        store = Store(url, create=False)
        buf = io.StringIO()
        n = export(store.iter_events(build_query(EventFilter(country="PAK", since=params.since,
                                                             until=params.until))), "csv", out=buf)
        store.close()
        return n

    def run(fmt: str | None):
        store = Store(url, create=False)
        data = collect(store, params)
        store.close()
        return data if fmt is None else render(data, fmt)

    # warm up imports (matplotlib, weasyprint) once so every row is measured warm
    run("pdf")
    t_base, n_rows = timed(baseline, args.repeat)
    t_collect, data = timed(lambda: run(None), args.repeat)
    print(f"events in the report: {data.n_events:,} (csv baseline rows: {n_rows:,}); "
          f"fatalities {data.n_fatalities:,}; articles {data.n_articles:,}; quotes {data.n_quotes:,}")
    print(f"{'step':<28}{'seconds':>9}{'× baseline':>12}")
    print(f"{'baseline: events --format csv':<28}{t_base:>9.2f}{1.0:>12.2f}")
    print(f"{'collect (SQL only)':<28}{t_collect:>9.2f}{t_collect / t_base:>12.2f}")
    for fmt in ("md", "html", "pdf"):
        t, body = timed(lambda: run(fmt), args.repeat)
        flag = "ok" if t < 10 else "OVER 10 s GOAL"
        print(f"{'report --format ' + fmt:<28}{t:>9.2f}{t / t_base:>12.2f}   {len(body):>9,} bytes  {flag}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:,.0f} MiB")
    tmp.cleanup()


if __name__ == "__main__":
    main()
