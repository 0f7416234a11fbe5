"""Train the stance model (:mod:`conflictlens.quotes.stance_model`) on annotated articles.

This lives with the evaluation tools, not in the ``quotes`` stage package,
because it runs the pipeline and scores what it fits: a stage must not import
either.  The model it writes is read by the stage through plain data
(``data/quotes/stance_model.tsv``).

Training data is the quote markup of the gold sets (``docs/quotes.md``)::

    === t101
    title: Army launches offensive in the hills

    "[[This operation is necessary||Farid Hassanzai|support|direct]]," he said.

Every article runs through ``ingest.clean``, ``nlp.spacy`` and the quote
finder; each found quote that overlaps a gold quote (by at least half of the
shorter span) becomes one example with the gold stance.  The model is a
multinomial logistic regression with L2 penalty and class weights that
balance the three labels, fitted by full-batch gradient descent (numpy; the
result is deterministic).  Features seen in fewer than ``min_count`` examples
are dropped.

    python -m conflictlens.eval.stance_training conflictlens/data/quotes/stance_train/*.txt \\
        --out conflictlens/data/quotes/stance_model.tsv
    python -m conflictlens.eval.stance_training FILES --cv 5      # cross-validated scores only
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from ..errors import ConflictLensError
from ..quotes.stance import StanceInput, StanceResult, stance_evidence
from ..quotes.stance_model import FIXED_FEATURES, CLASSES, StanceModel, features
from .quotes import macro_f1

MARK = re.compile(r"\[\[(.+?)\|\|([^|\]]+)\|(support|oppose|neutral)\|(direct|indirect|mixed)\]\]", re.S)


def parse_block(block: str) -> dict:
    """One ``=== ID`` block of quote markup -> a gold article (``text`` without markup)."""
    lines = block.strip("\n").splitlines()
    art_id = lines[0].strip() if lines else "?"
    if len(lines) < 2 or not lines[1].startswith("title: "):
        raise ValueError(f"{art_id}: second line must be 'title: ...'")
    title = lines[1][len("title: "):].strip()
    raw = "\n".join(lines[2:]).strip("\n")
    parts, quotes, last, pos = [], [], 0, 0
    for m in MARK.finditer(raw):
        parts.append(raw[last:m.start()])
        pos += m.start() - last
        span, speaker = m.group(1), m.group(2).strip()
        quotes.append({"text": span, "start": pos, "speaker": speaker.lstrip("~"),
                       "anonymous": speaker.startswith("~"), "kind": m.group(4), "stance": m.group(3)})
        parts.append(span)
        pos += len(span)
        last = m.end()
    parts.append(raw[last:])
    text = "".join(parts)
    if "[[" in text or "]]" in text:
        raise ValueError(f"{art_id}: unbalanced markup")
    return {"id": art_id, "title": title, "text": text, "quotes": quotes}


def parse_markup(text: str) -> list[dict]:
    return [parse_block(b) for b in text.split("=== ")[1:]]


def read_markup(paths: Iterable[str | Path]) -> list[dict]:
    arts = []
    for p in paths:
        p = Path(p)
        if not p.is_file():
            raise ConflictLensError("E001", path=str(p))
        try:
            arts += parse_markup(p.read_text("utf-8"))
        except ValueError as exc:
            raise ConflictLensError("E501", path=str(p), line=0, detail=str(exc)) from None
    return arts


@dataclass
class Example:
    art_id: str
    inp: StanceInput
    terms: set[str]
    lexical: StanceResult
    other: float
    gold: str

    def feats(self) -> dict[str, float]:
        return features(self.inp, self.terms, self.lexical, self.other)


def collect_examples(arts: list[dict], pipeline=None, progress: bool = False) -> list[Example]:
    """Run the quote finder on every article and pair its quotes with the gold stance."""
    from ..doc import RawInput
    from ..pipeline import Pipeline, load_config
    from ..quotes.extract import extract_quotes
    from ..quotes.lexicon import load_lexicon

    if pipeline is None:
        pipeline = Pipeline.from_config(load_config(overrides={"pipeline": {"stages": ["ingest.clean", "nlp.spacy"]}}))
    lex = load_lexicon()
    out: list[Example] = []
    for n, art in enumerate(arts, 1):
        doc = pipeline.run(RawInput(name=art["id"], content=art["text"], id=art["id"], title=art["title"]))
        pairs, terms = extract_quotes(doc.body, art["title"], doc.entities, lexicon=lex,
                                      stance_method="lexicon", with_inputs=True,
                                      spacy_doc=doc.spacy_doc)
        inputs = [inp for _, inp in pairs]
        lexical, others = stance_evidence(inputs, terms, lex)
        golds = []
        for g in art["quotes"]:
            pos = doc.body.find(g["text"])
            if pos >= 0:
                golds.append((pos, pos + len(g["text"]), g["stance"]))
        used = set()
        for (q, inp), lx, other in zip(pairs, lexical, others):
            best, best_j = 0.0, -1
            for j, (a, b, _) in enumerate(golds):
                inter = min(b, q.end) - max(a, q.start)
                ratio = inter / max(1, min(b - a, q.end - q.start))
                if j not in used and ratio >= 0.5 and ratio > best:
                    best, best_j = ratio, j
            if best_j >= 0:
                used.add(best_j)
                out.append(Example(art["id"], inp, terms, lx, other, golds[best_j][2]))
        if progress and n % 20 == 0:
            print(f"  {n}/{len(arts)} articles", file=sys.stderr)
    return out


def fit(examples: list[Example], *, l2: float = 3.0, min_count: int = 2, iters: int = 600,
        lr: float = 0.5, balance: bool = True) -> dict[str, tuple[float, float, float]]:
    """Multinomial logistic regression with L2 and balanced class weights."""
    import numpy as np

    feats = [e.feats() for e in examples]
    counts: dict[str, int] = {}
    for f in feats:
        for k in f:
            counts[k] = counts.get(k, 0) + 1
    vocab = sorted(k for k, c in counts.items() if c >= min_count or k in FIXED_FEATURES)
    index = {k: i for i, k in enumerate(vocab)}
    X = np.zeros((len(examples), len(vocab)))
    for r, f in enumerate(feats):
        for k, v in f.items():
            i = index.get(k)
            if i is not None:
                X[r, i] = v
    y = np.array([CLASSES.index(e.gold) for e in examples])
    Y = np.eye(3)[y]
    freq = np.bincount(y, minlength=3).astype(float)
    cw = np.where(freq > 0, len(y) / (3 * np.maximum(freq, 1)), 0.0) if balance else np.ones(3)
    sw = cw[y][:, None] / len(y)
    W = np.zeros((len(vocab), 3))
    reg = np.full((len(vocab), 1), l2 / len(y))
    reg[index["bias"]] = 0.0
    v = np.zeros_like(W)
    for _ in range(iters):  # gradient descent with Nesterov momentum
        Wl = W + 0.9 * v
        Z = X @ Wl
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        G = X.T @ ((P - Y) * sw) + reg * Wl
        v = 0.9 * v - lr * G
        W = W + v
    return {k: tuple(float(round(x, 4)) for x in W[i]) for k, i in index.items()
            if k in FIXED_FEATURES or np.abs(W[i]).max() >= 1e-3}


def _scores(pairs: list[tuple[str, str]]) -> dict:
    acc = sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0
    return {"n": len(pairs), "stance_acc": round(acc, 4), "stance_macro_f1": round(macro_f1(pairs), 4)}


def evaluate(model: StanceModel, examples: list[Example]) -> dict:
    """Accuracy and macro-F1 of ``model`` on ``examples`` (the explicit-statement rule not applied)."""
    return _scores([(e.gold, model.label_of(e.feats())) for e in examples])


def cross_validate(examples: list[Example], k: int = 5, **kw) -> dict:
    """K-fold scores, folds by article so that no article is split."""
    arts = sorted({e.art_id for e in examples})
    fold_of = {a: i % k for i, a in enumerate(arts)}
    pairs = []
    for fold in range(k):
        train = [e for e in examples if fold_of[e.art_id] != fold]
        test = [e for e in examples if fold_of[e.art_id] == fold]
        if not train or not test:
            continue
        m = StanceModel(fit(train, **kw), [])
        pairs += [(e.gold, m.label_of(e.feats())) for e in test]
    return {**_scores(pairs), "folds": k}


def write_model(weights: dict, out: Path, sources: list[Path], n_examples: int, l2: float,
                min_count: int) -> None:
    digest = hashlib.sha256()
    for p in sorted(sources):
        digest.update(p.read_bytes())
    lines = [
        "# conflictlens stance model: multinomial logistic regression (conflictlens.quotes.stance_model).",
        "# Columns: feature <TAB> weight for support <TAB> oppose <TAB> neutral.",
        f"# Trained by python -m conflictlens.eval.stance_training on {n_examples} quotes from "
        + ", ".join(p.name for p in sorted(sources)) + f" (l2={l2}, min_count={min_count}).",
        f"# Training data sha256: {digest.hexdigest()}",
        "# Provenance: learned from team-written articles in conflictlens/data/quotes/stance_train/. Licence: MIT.",
    ]
    for k in sorted(weights, key=lambda k: (k not in FIXED_FEATURES, k)):
        w = weights[k]
        lines.append(f"{k}\t{w[0]:g}\t{w[1]:g}\t{w[2]:g}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m conflictlens.eval.stance_training", description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", help="quote markup files (=== ID / title: / [[span||Speaker|stance|kind]])")
    ap.add_argument("--out", help="write the model here (TSV)")
    ap.add_argument("--cv", type=int, default=0, help="report K-fold cross-validated scores (by article)")
    ap.add_argument("--test", nargs="*", default=[], help="markup files to score the trained model on")
    ap.add_argument("--l2", type=float, default=3.0, help="L2 penalty (default 3, what the shipped model uses)")
    ap.add_argument("--min-count", type=int, default=2)
    args = ap.parse_args(argv)
    try:
        arts = read_markup(args.files)
        ex = collect_examples(arts, progress=True)
        print(f"{len(arts)} articles, {len(ex)} training quotes", file=sys.stderr)
        if not ex:
            raise ConflictLensError("E502", n=sum(len(a["quotes"]) for a in arts), files=", ".join(args.files))
        if args.cv:
            print("cv", cross_validate(ex, args.cv, l2=args.l2, min_count=args.min_count))
        weights = fit(ex, l2=args.l2, min_count=args.min_count)
        model = StanceModel(weights, [])
        print("train", evaluate(model, ex))
        for t in args.test:
            print(Path(t).name, evaluate(model, collect_examples(read_markup([t]))))
        if args.out:
            try:
                write_model(weights, Path(args.out), [Path(f) for f in args.files], len(ex), args.l2,
                            args.min_count)
            except OSError as exc:
                raise ConflictLensError("E301", path=args.out, detail=exc.strerror or str(exc)) from None
            print(f"wrote {args.out}: {len(weights)} features", file=sys.stderr)
    except ConflictLensError as exc:
        print(exc.line(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
