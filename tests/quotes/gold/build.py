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
were frozen and is only scored, never tuned on.  All texts were written by the conflictlens team for this gold
set (fictional people and events); licence MIT.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = re.compile(r"\[\[(.+?)\|\|([^|\]]+)\|(support|oppose|neutral)\|(direct|indirect|mixed)\]\]", re.S)


def parse_block(block: str) -> dict:
    lines = block.strip("\n").splitlines()
    art_id = lines[0].strip()
    assert lines[1].startswith("title: "), f"{art_id}: second line must be 'title: ...'"
    title = lines[1][len("title: "):].strip()
    raw = "\n".join(lines[2:]).strip("\n")
    text_parts, quotes, last = [], [], 0
    pos = 0
    for m in MARK.finditer(raw):
        text_parts.append(raw[last:m.start()])
        pos += len(raw[last:m.start()])
        span = m.group(1)
        speaker = m.group(2).strip()
        anonymous = speaker.startswith("~")
        quotes.append({"text": span, "start": pos, "speaker": speaker.lstrip("~"), "anonymous": anonymous,
                       "kind": m.group(4), "stance": m.group(3)})
        text_parts.append(span)
        pos += len(span)
        last = m.end()
    text_parts.append(raw[last:])
    text = "".join(text_parts)
    assert "[[" not in text and "]]" not in text, f"{art_id}: unbalanced markup"
    for q in quotes:
        assert text[q["start"]:q["start"] + len(q["text"])] == q["text"]
    return {"id": art_id, "title": title, "text": text, "quotes": quotes}


SETS = {"src": "quotes_gold.jsonl", "heldout_src": "quotes_heldout.jsonl"}


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
