"""Benchmark: loading the actor/country data and matching its aliases in text.

Prints, for ``conflictlens/data/actors.json`` and ``countries.json``:

* load time (JSON parse) and index build time (alias -> entry dicts);
* compile time of one alternation regex over every actor alias, country name and demonym;
* matching throughput of that regex on an article, as a ratio to a baseline measured in the same
  process (``\\w+`` tokenisation of the same text), so numbers compare across machines;
* peak Python memory (tracemalloc) of the loaded data and regex.

Usage: ``.venv/bin/python benchmarks/bench_actor_data.py [ARTICLE.txt]`` (default: the shared DW sample,
else a built-in paragraph).
"""
from __future__ import annotations

import json
import re
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "conflictlens" / "data"
SAMPLE = REPO / ".." / "shared" / "samples" / "dw-2024-07-01-pakistan-azm-e-istehkam.txt"
FALLBACK = (
    "Pakistani soldiers raided a hideout of the Tehreek-e-Taliban Pakistan in North Waziristan, while "
    "Baloch Liberation Army fighters attacked Chinese engineers near Gwadar. Afghan forces returned fire "
    "on the border, and the Islamic State group claimed a bombing in Kabul. "
) * 20


def best_of(fn, repeat: int = 5) -> float:
    """Fastest of ``repeat`` runs of ``fn``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    text = path.read_text(encoding="utf-8") if path.exists() else FALLBACK
    raw_a = (DATA / "actors.json").read_text(encoding="utf-8")
    raw_c = (DATA / "countries.json").read_text(encoding="utf-8")

    tracemalloc.start()
    t_load = best_of(lambda: (json.loads(raw_a), json.loads(raw_c)))
    actors, countries = json.loads(raw_a), json.loads(raw_c)

    def build_index() -> dict:
        idx = {}
        for a in actors["actors"]:
            for k in (a["name"], *a["aliases"]):
                idx.setdefault(k.casefold(), a)
        for c in countries["countries"]:
            for k in (c["name"], *c["aliases"], *c["demonyms"]):
                idx.setdefault(k.casefold(), c)
        return idx

    t_index = best_of(build_index)
    index = build_index()
    keys = sorted(index, key=len, reverse=True)

    def compile_rx() -> re.Pattern:
        re.purge()
        return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])", re.I)

    t_compile = best_of(compile_rx, repeat=3)
    rx = compile_rx()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    hits = rx.findall(text)
    t_match = best_of(lambda: rx.findall(text), repeat=10)
    t_base = best_of(lambda: re.findall(r"\w+", text), repeat=10)

    # alternative: token n-gram dictionary lookup (what a PhraseMatcher-style matcher does)
    tok = re.compile(r"\w+|[^\w\s]")
    grams = {tuple(m.group().casefold() for m in tok.finditer(k)) for k in keys}
    max_n = max(len(g) for g in grams)

    def ngram_match() -> list[str]:
        toks = [m.group().casefold() for m in tok.finditer(text)]
        out, i = [], 0
        while i < len(toks):
            for n in range(min(max_n, len(toks) - i), 0, -1):
                if tuple(toks[i:i + n]) in grams:
                    out.append(" ".join(toks[i:i + n]))
                    i += n
                    break
            else:
                i += 1
        return out

    ngram_hits = ngram_match()
    t_ngram = best_of(ngram_match, repeat=10)

    print(f"data: {len(actors['actors'])} actors, {len(countries['countries'])} countries, {len(keys)} lookup keys")
    print(f"json load (both files):    {t_load * 1e3:8.2f} ms")
    print(f"index build:               {t_index * 1e3:8.2f} ms")
    print(f"alias regex compile:       {t_compile * 1e3:8.2f} ms")
    print(f"match on {len(text):,} chars:    {t_match * 1e3:8.2f} ms  ({len(hits)} hits; "
          f"{t_match / t_base:.1f}x the \\w+ tokenisation baseline of {t_base * 1e3:.2f} ms)")
    print(f"n-gram dict lookup:        {t_ngram * 1e3:8.2f} ms  ({len(ngram_hits)} hits; "
          f"{t_ngram / t_base:.1f}x baseline; {t_match / t_ngram:.1f}x faster than the regex)")
    print(f"peak Python memory (load+index+regex): {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
