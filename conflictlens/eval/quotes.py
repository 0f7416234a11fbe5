"""Score quote extraction against a gold JSONL file.

Gold format (``docs/quotes.md``): one article per line, ``{"id", "title",
"text", "quotes": [{"text", "speaker", "anonymous", "kind", "stance"}]}``; a
quote's ``text`` is an exact substring of the article text (an optional
``start`` disambiguates repeated substrings).  Each article runs through the
pipeline (``ingest.clean``, ``nlp.spacy``, ``quotes.rules`` by default) and
gold quotes are located in the cleaned body by their text.

Metrics:

* ``span_exact_f1``: a prediction matches when its span equals the gold span
  after trimming whitespace, quotation marks and edge punctuation;
* ``span_overlap_f1``: a prediction matches when the overlap covers at least
  half of the shorter of the two spans (one-to-one, largest overlap first);
* ``speaker_acc``: share of overlap-matched pairs with the right speaker
  (case, determiners and possessives ignored; a named person must be given by
  full name; two anonymous sources match when their head nouns agree);
* ``speaker_acc_all``: right speaker over *all* gold quotes (misses count wrong);
* ``stance_acc`` and ``stance_macro_f1`` (support/oppose/neutral) and
  ``kind_acc`` over overlap-matched pairs.

Run ``python -m conflictlens.eval.quotes tests/quotes/gold/quotes_gold.jsonl``.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Iterable, Optional

from ..doc import RawInput
from ..errors import ConflictLensError
from .metrics import macro_f1 as _macro_f1

DEFAULT_STAGES = ["ingest.clean", "nlp.spacy", "quotes.rules"]
STANCES = ("support", "oppose", "neutral")
_EDGE = " \t\n\"“”‘’'.,;:!?"
_DET = {"the", "a", "an", "one"}


def load_gold(path: str | Path) -> list[dict]:
    """Read and validate a gold JSONL file."""
    p = Path(path)
    if not p.is_file():
        raise ConflictLensError("E001", path=str(p))
    arts = []
    for i, line in enumerate(p.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            art = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConflictLensError("E501", path=str(p), line=i, detail=str(exc)) from None
        for key in ("id", "text", "quotes"):
            if key not in art:
                raise ConflictLensError("E501", path=str(p), line=i, detail=f"missing '{key}'")
        for q in art["quotes"]:
            missing = [k for k in ("text", "speaker", "kind", "stance") if k not in q]
            if missing:
                raise ConflictLensError("E501", path=str(p), line=i, detail=f"quote lacks {missing}")
            if q["text"] not in art["text"]:
                raise ConflictLensError("E501", path=str(p), line=i,
                                        detail=f"quote {q['text'][:40]!r} is not a substring of the text")
            if q["stance"] not in STANCES or q["kind"] not in ("direct", "indirect", "mixed"):
                raise ConflictLensError("E501", path=str(p), line=i, detail="bad stance or kind")
        arts.append(art)
    return arts


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _EDGE:
        a += 1
    while b > a and text[b - 1] in _EDGE:
        b -= 1
    return a, b


def norm_speaker(s: Optional[str]) -> list[str]:
    if not s:
        return []
    toks = re.findall(r"[\w\-]+", re.sub(r"['’]s\b", "", s.lower()))
    return [t for t in toks if t not in _DET]


_PREP = {"in", "of", "for", "at", "from", "with", "on", "who", "that", "which", "near"}


def _head(tokens: list[str]) -> str:
    """Head noun of a description: the last word before a preposition or relative clause."""
    for i, t in enumerate(tokens):
        if (t in _PREP or t.endswith("ing")) and i > 0:
            return tokens[i - 1]
    return tokens[-1]


def speaker_matches(gold: dict, pred) -> bool:
    g, p = norm_speaker(gold["speaker"]), norm_speaker(pred.speaker)
    if not g or not p:
        return False
    if g == p:
        return True
    if gold.get("anonymous") and pred.anonymous and _head(g) == _head(p):
        return True
    # a title kept in front of the full name ("colonel rashid mir" for "rashid mir")
    return len(p) == len(g) + 1 and p[1:] == g


def _locate(body: str, gold_quotes: list[dict], original: str) -> list[Optional[tuple[int, int]]]:
    out = []
    cursor = 0
    for q in gold_quotes:
        t = q["text"]
        st = q.get("start")
        if isinstance(st, int) and body[st:st + len(t)] == t:
            out.append((st, st + len(t)))  # the body kept the gold offsets
            cursor = st + 1
            continue
        pos = body.find(t, cursor)
        if pos < 0:
            pos = body.find(t)
        if pos < 0:
            out.append(None)
            continue
        out.append((pos, pos + len(t)))
        cursor = pos + 1
    return out


def _f1(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def macro_f1(pairs: Iterable[tuple[str, str]]) -> float:
    """Macro-F1 over the stance labels seen (an empty prediction is no label of its own)."""
    pairs = list(pairs)
    return _macro_f1(pairs, labels={g for g, _ in pairs} | {p for _, p in pairs if p}) or 0.0


def score_quotes(gold_path: str | Path, *, pipeline=None, min_overlap: float = 0.5) -> dict:
    """Score the pipeline's quotes on a gold file; see the module docstring."""
    from ..pipeline import Pipeline, load_config

    arts = load_gold(gold_path)
    if pipeline is None:
        pipeline = Pipeline.from_config(load_config(overrides={"pipeline": {"stages": DEFAULT_STAGES}}))
    n_gold = n_pred = exact_tp = overlap_tp = 0
    spk_ok = stance_ok = kind_ok = 0
    stance_pairs: list[tuple[str, str]] = []
    errors: list[dict] = []
    for art in arts:
        raw = RawInput(name=art["id"], content=art["text"], id=art["id"], title=art.get("title"))
        doc = pipeline.run(raw)
        body = doc.body
        preds = list(doc.quotes)
        golds = art["quotes"]
        n_gold += len(golds)
        n_pred += len(preds)
        locs = _locate(body, golds, art["text"])
        cands = []
        for gi, loc in enumerate(locs):
            if loc is None:
                errors.append({"id": art["id"], "type": "gold_not_in_body", "gold": golds[gi]["text"]})
                continue
            ga, gb = _trim(body, *loc)
            for pi, q in enumerate(preds):
                pa, pb = _trim(body, q.start, q.end)
                inter = min(gb, pb) - max(ga, pa)
                if inter <= 0:
                    continue
                ratio = inter / max(1, min(gb - ga, pb - pa))
                cands.append((ratio, inter, gi, pi, (ga, gb) == (pa, pb)))
        cands.sort(key=lambda c: (-c[0], -c[1]))
        used_g, used_p = set(), set()
        for ratio, _, gi, pi, exact in cands:
            if gi in used_g or pi in used_p or ratio < min_overlap:
                continue
            used_g.add(gi)
            used_p.add(pi)
            g, q = golds[gi], preds[pi]
            overlap_tp += 1
            exact_tp += int(exact)
            ok = speaker_matches(g, q)
            spk_ok += int(ok)
            stance_ok += int(g["stance"] == q.stance)
            kind_ok += int(g["kind"] == q.kind)
            stance_pairs.append((g["stance"], q.stance or ""))
            if not ok:
                errors.append({"id": art["id"], "type": "speaker", "gold": g["speaker"], "pred": q.speaker,
                               "text": g["text"][:80]})
            if g["stance"] != q.stance:
                errors.append({"id": art["id"], "type": "stance", "gold": g["stance"], "pred": q.stance,
                               "cues": q.stance_cues, "text": g["text"][:80]})
            if not exact:
                errors.append({"id": art["id"], "type": "span", "gold": g["text"][:80],
                               "pred": q.text[:80]})
        for gi, g in enumerate(golds):
            if gi not in used_g:
                errors.append({"id": art["id"], "type": "missed", "gold": g["text"][:80],
                               "speaker": g["speaker"]})
        for pi, q in enumerate(preds):
            if pi not in used_p:
                errors.append({"id": art["id"], "type": "spurious", "pred": q.text[:80],
                               "speaker": q.speaker})
    _, _, exact_f1 = _f1(exact_tp, n_pred, n_gold)
    op, orr, overlap_f1 = _f1(overlap_tp, n_pred, n_gold)
    m = overlap_tp or 1
    metrics = {
        "span_exact_f1": round(exact_f1, 4),
        "span_overlap_f1": round(overlap_f1, 4),
        "span_overlap_precision": round(op, 4),
        "span_overlap_recall": round(orr, 4),
        "speaker_acc": round(spk_ok / m, 4),
        "speaker_acc_all": round(spk_ok / n_gold, 4) if n_gold else 0.0,
        "stance_acc": round(stance_ok / m, 4),
        "stance_macro_f1": round(macro_f1(stance_pairs), 4),
        "kind_acc": round(kind_ok / m, 4),
        "n_gold": n_gold,
        "n_pred": n_pred,
        "n_matched": overlap_tp,
        "n_articles": len(arts),
    }
    return {"metrics": metrics, "errors": errors}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m conflictlens.eval.quotes GOLD.jsonl [--errors]", file=sys.stderr)
        return 2
    try:
        res = score_quotes(args[0])
    except ConflictLensError as exc:
        print(exc.line(), file=sys.stderr)
        return 1
    for k, v in res["metrics"].items():
        print(f"{k:24s} {v}")
    if "--errors" in args:
        for e in res["errors"]:
            print(json.dumps(e, ensure_ascii=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
