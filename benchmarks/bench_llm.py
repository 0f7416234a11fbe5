"""Benchmark of the ``llm`` stage's own work (no real model involved).

Measures, on the shared DW sample (or a built-in text when ../shared is absent):

1. evidence location per quote — exact, normalised, fuzzy and not-found
   quotes — against ``str.find`` on the same body as the baseline;
2. the pipeline ``ingest.clean → llm`` against a local fake endpoint that
   answers instantly, against ``ingest.clean`` alone as the baseline, so the
   ratio is the stage's overhead (prompt, HTTP round trip on localhost,
   parsing, validation, evidence checks);
3. peak Python memory (tracemalloc) of one document through each pipeline;
4. evidence-matching accuracy on quotes derived from the body's own sentences
   with seeded perturbations (whitespace, case, typographic quotes, one or two
   typos, a dropped word) and on invented sentences built by swapping words
   between sentences: recall, exact-span rate and false positives.

Run:  .venv/bin/python benchmarks/bench_llm.py [--repeat N]
"""
from __future__ import annotations

import argparse
import random
import re
import json
import statistics
import sys
import threading
import time
import tracemalloc
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from conflictlens.doc import RawInput  # noqa: E402
from conflictlens.llm.evidence import EvidenceLocator  # noqa: E402
from conflictlens.pipeline import Pipeline, load_config  # noqa: E402

SAMPLE = ROOT / ".." / "shared" / "samples" / "dw-2024-07-01-pakistan-azm-e-istehkam.txt"
FALLBACK = (
    "Gunmen stormed a police checkpoint in the Bannu district of Khyber Pakhtunkhwa province on "
    "Monday night, killing three officers, police said.\n\nTwo of the attackers were also killed "
    "during a gunfight that lasted about an hour, a district police official said.\n\n"
) * 30


def _timeit(fn, repeat: int) -> float:
    """Median seconds per call."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _answer(body: str) -> str:
    sents = [s.strip() for s in body.replace("\n", " ").split(". ") if len(s.strip()) > 40][:6]
    events = [{"event_type": "Strategic developments", "sub_event_type": "Other",
               "event_date": None, "evidence": [s + "."]} for s in sents]
    return json.dumps({"events": events, "aggregates": []})


def _server(content: str) -> ThreadingHTTPServer:
    reply = json.dumps({"choices": [{"finish_reason": "stop",
                                     "message": {"role": "assistant", "content": content}}]}).encode()

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = 1 << 16  # one write per response (avoids Nagle + delayed-ACK stalls)

        def log_message(self, *a):
            pass

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()

    text = SAMPLE.read_text("utf-8") if SAMPLE.is_file() else FALLBACK
    base = Pipeline.from_config(load_config(overrides={"pipeline": {"stages": ["ingest.clean"]}}))
    raw = RawInput(name="bench", content=text, published=date(2024, 7, 1))
    body = base.run(raw).body
    print(f"body: {len(body):,} chars ({'DW sample' if SAMPLE.is_file() else 'built-in text'})")

    # 1. evidence location
    sent = max(body.split("\n\n"), key=len)[:220]
    quotes = {
        "exact": sent,
        "normalized": "  ".join(sent.lower().split(" ")),
        "fuzzy": sent[:60] + sent[62:150] + " x" + sent[150:],
        "not found": "Pakistani jets bombed the outskirts of Kabul on Monday, killing twenty people "
                     "and wounding dozens more, officials in the Afghan capital said on Tuesday.",
    }
    loc = EvidenceLocator(body)
    find_s = _timeit(lambda: body.find(sent), args.repeat * 10)
    print(f"\nevidence location (median of {args.repeat}; baseline str.find {find_s * 1e6:.1f} us)")
    print(f"  {'quote':<11}{'method':<12}{'us/quote':>10}{'x find':>9}")
    for name, q in quotes.items():
        res = loc.locate(q)
        t = _timeit(lambda q=q: loc.locate(q), args.repeat)
        print(f"  {name:<11}{(res.method if res else '-'):<12}{t * 1e6:>10.1f}{t / find_s:>9.0f}")
    t_init = _timeit(lambda: EvidenceLocator(body), args.repeat)
    print(f"  locator setup (normalise body once): {t_init * 1e3:.2f} ms")

    # 2. pipeline overhead against an instant local endpoint
    srv = _server(_answer(body))
    url = f"http://127.0.0.1:{srv.server_address[1]}/v1/chat/completions"
    llm = Pipeline.from_config(load_config(overrides={
        "pipeline": {"stages": ["ingest.clean", "llm"]}, "stages": {"llm": {"url": url}}}))
    n_events = len(llm.run(raw).events)
    t_base = _timeit(lambda: base.run(raw), args.repeat)
    t_llm = _timeit(lambda: llm.run(raw), args.repeat)
    print(f"\npipeline per document (median of {args.repeat}; the fake model returns {n_events} events)")
    print(f"  ingest.clean          {t_base * 1e3:8.2f} ms  (baseline)")
    print(f"  ingest.clean + llm    {t_llm * 1e3:8.2f} ms  ratio {t_llm / t_base:.2f}x, "
          f"stage overhead {(t_llm - t_base) * 1e3:.2f} ms")

    # 3. memory
    for name, pipe in (("ingest.clean", base), ("ingest.clean + llm", llm)):
        tracemalloc.start()
        pipe.run(raw)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  peak traced memory, {name:<20} {peak / 1024:8.0f} KiB")
    srv.shutdown()

    # 4. matching accuracy on perturbed and invented quotes
    rng = random.Random(0)
    sents = [m.group(0) for m in re.finditer(r"[A-Z][^.!?\n]{40,240}[.!?]", body)]

    def typo(t: str, n: int) -> str:
        chars = list(t)
        for _ in range(n):
            i = rng.randrange(1, len(chars) - 1)
            if chars[i].isalpha():
                chars[i] = "" if rng.random() < 0.5 else chars[i] * 2
        return "".join(chars)

    perturb = {
        "whitespace/case": lambda t: "  ".join(t.lower().split(" ")),
        "curly quotes": lambda t: t.replace("'", "\u2019").replace('"', "\u201c"),
        "1 typo": lambda t: typo(t, 1),
        "2 typos": lambda t: typo(t, 2),
        "dropped word": lambda t: " ".join(w for i, w in enumerate(t.split()) if i != len(t.split()) // 2),
    }
    print(f"\nevidence matching on {len(sents)} body sentences (threshold 90)")
    print(f"  {'perturbation':<17}{'found':>8}{'exact span':>12}")
    for name, fn in perturb.items():
        found = same = 0
        for t in sents:
            res = loc.locate(fn(t))
            if res:
                found += 1
                same += body[res.start:res.end].rstrip(".,") == t.rstrip(".,")
        print(f"  {name:<17}{found / len(sents):>8.0%}{same / len(sents):>12.0%}")
    fakes = 0
    n_fake = 0
    for t in sents:
        other = rng.choice(sents)
        words, owords = t.split(), other.split()
        if len(words) < 8 or len(owords) < 8 or other == t:
            continue
        k = len(words) // 2
        invented = " ".join(words[:k] + owords[len(owords) // 2:])  # splice two sentences
        n_fake += 1
        fakes += loc.locate(invented) is not None
    print(f"  invented (spliced) quotes accepted: {fakes}/{n_fake}")


if __name__ == "__main__":
    main()
