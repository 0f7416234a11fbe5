"""Score cross-source deduplication against a gold set of clustered mentions.

The gold file is JSON Lines; each line is one event as one article reported
it (Event field names: ``event_date``, ``sub_event_type``, ``actor1``,
``iso3``, ``location``, ``latitude`` ... plus ``evidence_text``), with
``source_id`` (the article) and ``gold`` (the incident it belongs to).
Mentions are clustered with :class:`conflictlens.store.dedup.Clusterer` in
chronological order (as an ingest would see them), and compared with the gold
clusters:

* pairwise precision / recall / F1 over pairs of mentions put together;
* B-cubed precision / recall / F1 (Bagga & Baldwin 1998): per mention, the
  share of its predicted cluster that is in its gold cluster, and vice versa,
  averaged over mentions.

``score_dedup(path)`` returns ``{"metrics": {...}, "errors": [...]}``; errors
list the false merges and false splits with the score that decided them.
"""
from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path
from typing import Any, Hashable, Mapping

from .metrics import bcubed_prf, pairwise_prf
from ..errors import ConflictLensError
from ..schema import SUB_EVENT_TO_TYPE, disorder_type_for
from ..store.dedup import Clusterer, DedupConfig, Mention, score_pair

REQUIRED = ("gold", "source_id", "sub_event_type")


def load_gold(path: str | Path) -> list[dict]:
    """Read a gold JSONL file (raises E611 on a bad line)."""
    path = Path(path)
    if not path.is_file():
        raise ConflictLensError("E001", path=str(path))
    records = []
    for i, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConflictLensError("E611", path=str(path), line=i, detail=str(exc)) from None
        missing = [k for k in REQUIRED if not rec.get(k)]
        if missing:
            raise ConflictLensError("E611", path=str(path), line=i, detail=f"missing {missing}")
        rec.setdefault("event_type", SUB_EVENT_TO_TYPE.get(rec["sub_event_type"]))
        rec.setdefault("disorder_type", disorder_type_for(rec["event_type"], rec["sub_event_type"]))
        rec["_key"] = f"{rec['source_id']}#{i}"
        records.append(rec)
    return records


def cluster_metrics(gold: Mapping[Hashable, Any], pred: Mapping[Hashable, Any]) -> dict[str, float]:
    """Pairwise and B-cubed precision/recall/F1 of a predicted clustering (from eval.metrics)."""
    pw, b3 = pairwise_prf(gold, pred), bcubed_prf(gold, pred)
    return {
        "mentions": len(gold), "gold_clusters": len(set(gold.values())),
        "predicted_clusters": len(set(pred[k] for k in gold)),
        "pairwise_precision": round(pw["precision"], 4), "pairwise_recall": round(pw["recall"], 4),
        "pairwise_f1": round(pw["f1"], 4),
        "bcubed_precision": round(b3["precision"], 4), "bcubed_recall": round(b3["recall"], 4),
        "bcubed_f1": round(b3["f1"], 4),
    }


def score_dedup(gold_path: str | Path, config: Mapping[str, Any] | None = None) -> dict:
    """Cluster the gold mentions and score them (see the module docstring)."""
    records = load_gold(gold_path)
    cfg = DedupConfig.from_config(config)
    records.sort(key=lambda r: (r.get("event_date") or "", r["source_id"]))
    mentions = {r["_key"]: Mention.from_fields(r["_key"], r["source_id"], r) for r in records}
    clusterer = Clusterer(cfg)
    pred = clusterer.add_all(mentions.values())
    gold = {r["_key"]: r["gold"] for r in records}
    metrics = cluster_metrics(gold, pred)

    errors = []
    by_key = {r["_key"]: r for r in records}
    for a, b in combinations(list(gold), 2):
        same_gold, same_pred = gold[a] == gold[b], pred[a] == pred[b]
        if same_gold == same_pred:
            continue
        r = score_pair(mentions[a], mentions[b], cfg)
        errors.append({
            "kind": "false_merge" if same_pred else "false_split",
            "a": by_key[a]["source_id"], "b": by_key[b]["source_id"],
            "gold_a": gold[a], "gold_b": gold[b],
            "score": None if r is None else round(r[0], 3),
            "components": None if r is None else {k: round(v, 2) for k, v in r[1].items()},
        })
    return {"metrics": metrics, "errors": errors}


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - thin wrapper
    import sys

    args = argv if argv is not None else sys.argv[1:]
    path = args[0] if args else str(Path(__file__).resolve().parents[2] / "tests/store/gold/dedup_mentions.jsonl")
    out = score_dedup(path)
    print(json.dumps(out["metrics"], indent=2))
    for e in out["errors"]:
        print(json.dumps(e))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
