"""Speed of the evaluation harness: scoring overhead relative to the pipeline run it scores.

Prints, for the extraction gold set: pipeline seconds, body+events scoring
seconds and their ratio (the harness should cost a small fraction of the
pipeline), and the Hungarian assignment on a 60 x 60 matrix against a greedy
baseline measured in the same process.

    .venv/bin/python benchmarks/eval_speed.py
"""
from __future__ import annotations

import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from conflictlens.eval.adapters import load_items  # noqa: E402
from conflictlens.eval.body import score_body  # noqa: E402
from conflictlens.eval.events import score_events  # noqa: E402
from conflictlens.eval.metrics import max_weight_assignment  # noqa: E402
from conflictlens.eval.runner import run_articles  # noqa: E402


def _greedy(scores):
    cells = sorted(((v, i, j) for i, row in enumerate(scores) for j, v in enumerate(row) if v), reverse=True)
    used_i, used_j, out = set(), set(), []
    for v, i, j in cells:
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            out.append((i, j))
    return out


def main() -> int:
    gold = ROOT / "tests" / "extract" / "gold" / "gold.jsonl"
    if not gold.is_file():
        print(f"skip: {gold} not found")
        return 0
    items = load_items(gold)
    run_articles(items[:1])  # load models once
    t0 = time.perf_counter()
    arts = run_articles(items)
    t_pipe = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(10):
        score_events(arts)
        score_body(arts)
    t_score = (time.perf_counter() - t0) / 10
    print(f"extract gold: {len(items)} articles; pipeline {t_pipe:.3f} s; scoring {t_score * 1000:.1f} ms; "
          f"scoring/pipeline = {t_score / t_pipe:.4f}")

    rng = random.Random(1)
    scores = [[rng.choice([None, None, rng.uniform(1, 10)]) for _ in range(60)] for _ in range(60)]
    t0 = time.perf_counter()
    for _ in range(5):
        opt = max_weight_assignment(scores)
    t_h = (time.perf_counter() - t0) / 5
    t0 = time.perf_counter()
    for _ in range(5):
        gr = _greedy(scores)
    t_g = (time.perf_counter() - t0) / 5
    tot = lambda pairs: sum(scores[i][j] for i, j in pairs)  # noqa: E731
    print(f"assignment 60x60: hungarian {t_h * 1000:.1f} ms (total {tot(opt):.1f}), greedy baseline "
          f"{t_g * 1000:.1f} ms (total {tot(gr):.1f}); time ratio {t_h / t_g:.1f}x, score ratio {tot(opt) / tot(gr):.3f}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
