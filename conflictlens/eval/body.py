"""Score body extraction (cleaning) and article metadata, trafilatura-style.

For each gold article the cleaned ``source.body`` must contain every
``body_must_contain`` segment (main text that must survive) and none of the
``body_must_not_contain`` segments (page debris: skip links, captions,
teasers, bios).  Segments are matched whatever the whitespace and quote style.

* ``must_contain_recall``: share of must-contain segments kept;
* ``must_not_contain_removed``: share of debris segments removed;
* ``body_f1``: harmonic mean of the two (trafilatura's eval reports the same
  pair as recall and precision);
* ``articles_clean_acc``: share of articles with every segment right;
* ``<field>_acc`` and ``metadata_acc`` for the ``source`` fields in the gold:
  ``title`` (whitespace-normalised, exact), ``published`` (ISO date),
  ``dateline`` and ``outlet`` (case-insensitive), ``authors`` (every gold
  author present).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from .adapters import ArticleResult
from .metrics import accuracy, f1_of, find_spans, norm_text

SOURCE_FIELDS = ("title", "published", "dateline", "outlet", "authors")


def source_field_ok(name: str, want: Any, got: Any) -> bool:
    """Whether a ``source`` field matches the gold value."""
    if name == "published":
        got_s = got.isoformat() if isinstance(got, date) else got
        return got_s == want
    if name == "authors":
        have = {norm_text(a).casefold() for a in (got or [])}
        return all(norm_text(a).casefold() in have for a in (want or []))
    if name == "title":
        return norm_text(got) == norm_text(want)
    return got is not None and norm_text(str(got)).casefold() == norm_text(str(want)).casefold()


def score_body(results: list[ArticleResult]) -> dict:
    """``{"metrics": {...}, "errors": [...]}`` over articles that produced a document.

    Articles expecting an error are not scored here (see the events task);
    an article that failed unexpectedly counts every segment and field as wrong.
    """
    keep: list[bool] = []
    drop: list[bool] = []
    clean: list[bool] = []
    fields: dict[str, list[bool]] = {f: [] for f in SOURCE_FIELDS}
    errors: list[dict] = []
    n = failed = 0
    for r in results:
        it = r.item
        if r.skipped or it.skipped or it.expect_error:
            continue
        has_gold = it.body_must_contain or it.body_must_not_contain or it.source
        if not has_gold:
            continue
        n += 1
        if r.document is None:
            failed += 1
            keep.extend([False] * len(it.body_must_contain))
            drop.extend([False] * len(it.body_must_not_contain))
            for f in it.source:
                if f in fields:
                    fields[f].append(False)
            clean.append(False)
            errors.append({"id": it.id, "kind": "pipeline_error", "pred": f"{r.error_code}: {r.error_message}"})
            continue
        src = r.document.source
        body = src.body
        ok_all = True
        for seg in it.body_must_contain:
            ok = bool(find_spans(body, seg))
            keep.append(ok)
            if not ok:
                ok_all = False
                errors.append({"id": it.id, "kind": "lost_text", "gold": seg})
        for seg in it.body_must_not_contain:
            ok = not find_spans(body, seg)
            drop.append(ok)
            if not ok:
                ok_all = False
                errors.append({"id": it.id, "kind": "kept_debris", "gold": seg})
        clean.append(ok_all)
        for f, want in it.source.items():
            if f not in fields:
                continue
            got = getattr(src, f, None)
            ok = source_field_ok(f, want, got)
            fields[f].append(ok)
            if not ok:
                errors.append({"id": it.id, "kind": "metadata", "field": f, "gold": want,
                               "pred": got.isoformat() if isinstance(got, date) else got})
    recall = accuracy(keep)
    removed = accuracy(drop)
    if recall is not None and removed is not None:
        body_f1 = f1_of(removed, recall)
    else:
        body_f1 = recall if removed is None else removed
    all_fields = [v for vals in fields.values() for v in vals]
    metrics: dict[str, Any] = {
        "articles": n,
        "articles_failed": failed,
        "n_must_contain": len(keep),
        "n_must_not_contain": len(drop),
        "must_contain_recall": recall,
        "must_not_contain_removed": removed,
        "body_f1": body_f1,
        "articles_clean_acc": accuracy(clean),
        **{f"{f}_acc": accuracy(v) for f, v in fields.items()},
        "metadata_acc": accuracy(all_fields),
    }
    return {"metrics": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in metrics.items()},
            "errors": errors}
