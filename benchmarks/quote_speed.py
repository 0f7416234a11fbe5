"""Quote extraction speed, and its share of a full ``extract`` run.

Synthesises N articles (default 500) from the quote gold set (each article is
one gold article with its paragraphs rotated, and every other one joined with
a second article, so lengths and layouts vary), runs the full default pipeline
once, timing every stage per document, and prints:

* quotes/s and articles/s of the ``quotes.rules`` stage alone;
* the full pipeline's articles/s, with and without the quote stage (the
  baseline is the same run's other stages, measured in the same process);
* the share of quote extraction in the full run, and the ratio
  full / full-without-quotes (issue 5 asks for < 1.30);
* peak Python memory of the quote stage (tracemalloc, separate pass).

Usage: ``.venv/bin/python benchmarks/quote_speed.py [N] [--stages a,b,c]``
"""
from __future__ import annotations

import json
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from conflictlens.doc import RawInput, WorkDoc  # noqa: E402
from conflictlens.pipeline import Pipeline, load_config  # noqa: E402

GOLD = REPO / "tests" / "quotes" / "gold" / "quotes_gold.jsonl"


def synthesise(n: int) -> list[RawInput]:
    arts = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    out = []
    for i in range(n):
        a = arts[i % len(arts)]
        paras = a["text"].split("\n\n")
        k = (i // len(arts)) % len(paras)
        body = paras[:1] + paras[1:][k:] + paras[1:][:k]  # keep the lede first, rotate the rest
        if i % 2:
            b = arts[(i * 7 + 3) % len(arts)]
            body += b["text"].split("\n\n")[1:]
        out.append(RawInput(name=f"synthetic-{i}", content="\n\n".join(body), title=a["title"],
                            id=f"syn{i}"))
    return out


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv and argv[0].isdigit() else 500
    cfg = load_config()
    if "--stages" in argv:
        cfg["pipeline"]["stages"] = argv[argv.index("--stages") + 1].split(",")
    if "quotes.rules" not in cfg["pipeline"]["stages"]:
        cfg["pipeline"]["stages"].append("quotes.rules")
    pipe = Pipeline.from_config(cfg)
    docs = synthesise(n)
    # warm-up: model loading and lazy data (gazetteer) are not part of the rate
    for raw in docs[:3]:
        pipe.run(raw)

    per_stage: dict[str, float] = defaultdict(float)
    n_quotes = 0
    chars = 0
    t_all = time.perf_counter()
    for raw in docs:
        doc = WorkDoc(raw=raw)
        for b in pipe.stages:
            t0 = time.perf_counter()
            doc = b.fn(doc)
            per_stage[b.spec.name] += time.perf_counter() - t0
        n_quotes += len(doc.quotes)
        chars += len(doc.body)
    wall = time.perf_counter() - t_all

    total = sum(per_stage.values())
    q = per_stage["quotes.rules"]
    base = total - q
    print(f"articles: {n}  (mean {chars / n:,.0f} chars of body)  quotes found: {n_quotes}")
    print(f"stages: {', '.join(pipe.names)}")
    for name, t in per_stage.items():
        print(f"  {name:16s} {t:8.3f} s  {1000 * t / n:7.2f} ms/article  {100 * t / total:5.1f}%")
    print(f"quotes.rules alone: {n / q:,.0f} articles/s, {n_quotes / q:,.0f} quotes/s")
    print(f"full pipeline: {n / total:,.1f} articles/s (wall {wall:.2f} s); "
          f"without quotes.rules: {n / base:,.1f} articles/s")
    print(f"quote share of full run: {100 * q / total:.2f}%; "
          f"ratio full / without-quotes = {total / base:.3f} (goal < 1.30)")

    # memory of the quote stage alone on already-prepared documents
    from conflictlens.quotes.extract import extract_quotes

    prepared = []
    for raw in docs[:50]:
        doc = WorkDoc(raw=raw)
        for b in pipe.stages:
            if b.spec.name == "quotes.rules":
                break
            doc = b.fn(doc)
        prepared.append(doc)
    tracemalloc.start()
    for doc in prepared:
        extract_quotes(doc.body, doc.source.title if doc.source else None, doc.entities)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"quote stage peak Python memory over 50 articles: {peak / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
