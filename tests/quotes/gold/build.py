"""Build ``quotes_gold.jsonl`` from the hand-written markup in ``src/*.txt``.

Markup (one article per block)::

    === g001
    title: Headline of the article
    <blank line>
    Body text; a gold quote is written [[quoted span||Speaker Name|stance|kind]].

``stance`` is support|oppose|neutral toward the headline's subject, ``kind`` is
direct|indirect|mixed, and a speaker starting with ``~`` is anonymous (an
unnamed source, written as its description: ``~senior security official``).
Run ``python tests/quotes/gold/build.py`` after editing; the JSONL is what the
scorer reads.  ``src/`` is the development set (the rules and lexicons were
tuned while reading its errors); ``heldout_src/`` was written after the rules
were frozen and is only scored, never tuned on; ``blind_src/`` was written by a
separate author after the stance model was built and is scored once per change,
never read while tuning.  All texts were written by the conflictlens team for this gold
set (fictional people and events); licence MIT.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from conflictlens.eval.stance_training import parse_block

HERE = Path(__file__).resolve().parent
SETS = {"src": "quotes_gold.jsonl", "heldout_src": "quotes_heldout.jsonl", "blind_src": "quotes_blind.jsonl"}


def build(src: str = "src") -> list[dict]:
    arts = []
    for f in sorted((HERE / src).glob("*.txt")):
        for block in f.read_text("utf-8").split("=== ")[1:]:
            arts.append(parse_block(block))
    return arts


if __name__ == "__main__":
    for src, name in SETS.items():
        arts = build(src)
        if not arts:
            continue
        out = HERE / name
        with out.open("w", encoding="utf-8") as fh:
            for a in arts:
                fh.write(json.dumps(a, ensure_ascii=False) + "\n")
        n = sum(len(a["quotes"]) for a in arts)
        print(f"wrote {out.name}: {len(arts)} articles, {n} quotes", file=sys.stderr)
