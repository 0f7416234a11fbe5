"""Extraction throughput and peak memory on 500 articles, against a trafilatura-only baseline.

Run:  .venv/bin/python benchmarks/extract_speed.py [--n 500] [--workers 2]

The corpus is the team's gold articles (tests/extract/gold/articles) and the
bundled samples, cycled to N documents, each wrapped in a small HTML page so
that the baseline (trafilatura.extract on the same pages) and conflictlens
do the same input work.  Both run in this process; the ratio is printed.
Peak RSS is read from the OS (ru_maxrss) after each phase.
"""
from __future__ import annotations

import argparse
import html
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpus(n: int) -> list[str]:
    texts = []
    for d in (ROOT / "tests/extract/gold/articles", ROOT / "samples"):
        for p in sorted(d.glob("*.txt")):
            t = p.read_text("utf-8")
            if t.strip():
                texts.append(t)
    pages = []
    for i in range(n):
        t = texts[i % len(texts)]
        paras = "".join(f"<p>{html.escape(x)}</p>" for x in t.split("\n\n") if x.strip())
        pages.append(f"<html><head><title>Article {i}</title></head><body><nav><a href='/'>Home</a></nav>"
                     f"<article><h1>Article {i}</h1>{paras}</article><footer>© 2024</footer></body></html>")
    return pages


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_PIPE = None


def _worker(page: str) -> int:
    global _PIPE
    from conflictlens.doc import RawInput
    from conflictlens.pipeline import get_pipeline

    if _PIPE is None:
        _PIPE = get_pipeline()
    try:
        return len(_PIPE.process(RawInput(name="bench", content=page, kind="html")).events)
    except Exception:
        return -1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    pages = corpus(args.n)
    words = sum(len(p.split()) for p in pages)
    print(f"corpus: {len(pages)} articles, {words / len(pages):.0f} words/article on average")

    import trafilatura

    t0 = time.perf_counter()
    for p in pages:
        trafilatura.extract(p, favor_precision=True)
    base = time.perf_counter() - t0
    print(f"baseline trafilatura-only : {len(pages) / base:8.1f} articles/s  (peak RSS {rss_mib():.0f} MiB)")

    from conflictlens.doc import RawInput
    from conflictlens.pipeline import get_pipeline

    t0 = time.perf_counter()
    pipe = get_pipeline()
    pipe.process(RawInput(name="warm", content=pages[0], kind="html"))
    load = time.perf_counter() - t0
    from conflictlens.errors import ConflictLensError

    n_events = n_failed = 0
    t0 = time.perf_counter()
    for p in pages:
        try:
            n_events += len(pipe.process(RawInput(name="bench", content=p, kind="html")).events)
        except ConflictLensError:  # the non-English gold articles give E004, as they should
            n_failed += 1
    seq = time.perf_counter() - t0
    print(f"conflictlens, 1 process   : {len(pages) / seq:8.1f} articles/s  (model load {load:.2f} s, "
          f"{n_events} events, {n_failed} numbered errors, peak RSS {rss_mib():.0f} MiB)")
    print(f"ratio conflictlens/baseline (1 process): {base / seq:.3f}  "
          f"(conflictlens takes {seq / base:.1f}x the time of trafilatura alone)")

    # per-stage share of the time
    shares = {b.spec.name: 0.0 for b in pipe.stages}
    from conflictlens.doc import WorkDoc

    for p in pages[:100]:
        doc = WorkDoc(raw=RawInput(name="bench", content=p, kind="html"))
        try:
            for b in pipe.stages:
                t = time.perf_counter()
                doc = b.fn(doc)
                shares[b.spec.name] += time.perf_counter() - t
        except ConflictLensError:
            continue
    total = sum(shares.values())
    print("time share by stage (100 articles): " + ", ".join(f"{k} {v / total:.0%}" for k, v in shares.items()))

    sample = ROOT.parent / "shared" / "samples" / "dw-2024-07-01-pakistan-azm-e-istehkam.txt"
    if sample.is_file():
        # a long, debris-laden real article (~1,100 words), read from ../shared, never copied
        text = sample.read_text("utf-8")
        n_long = max(20, args.n // 10)
        t0 = time.perf_counter()
        for i in range(n_long):
            pipe.process(RawInput(name=f"dw{i}", content=text + f"\n\nRef {i}."))
        long_t = time.perf_counter() - t0
        print(f"conflictlens, DW sample ({len(text.split())} words) x{n_long}: {n_long / long_t:8.1f} articles/s")
    if args.workers > 1:
        t0 = time.perf_counter()
        with ProcessPoolExecutor(args.workers) as ex:
            list(ex.map(_worker, pages, chunksize=10))
        par = time.perf_counter() - t0
        print(f"conflictlens, {args.workers} processes : {len(pages) / par:8.1f} articles/s "
              f"(including worker start-up; ratio to baseline {base / par:.3f})")
    print(f"peak RSS of this process: {rss_mib():.0f} MiB (target <= 500 MiB); target >= 25 articles/s")


if __name__ == "__main__":
    main()
