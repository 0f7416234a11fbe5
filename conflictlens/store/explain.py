"""What ``conflictlens explain`` shows: a merged event, its mentions and the dedup decisions."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .store import Store

_MENTION_KEYS = ("source_id", "outlet", "url", "title", "published", "event_key", "event_date",
                 "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "country",
                 "iso3", "admin1", "location", "latitude", "longitude", "geo_precision",
                 "fatalities", "fatalities_known", "evidence_text", "match_score",
                 "matched_mention_id")


def _j(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (date, datetime)) else v


def explain(store: Store, event_id: str) -> dict:
    """A JSON-ready account of one event (raises E605 when it does not exist)."""
    ev = store.get_event(event_id)
    mentions = []
    for m in store.mentions(event_id):
        detail = m.get("match_detail") or {}
        rec = {"mention_id": m["id"], **{k: _j(m.get(k)) for k in _MENTION_KEYS}}
        rec["reason"] = detail.get("reason") or "seed"
        rec["components"] = detail.get("components") or {}
        mentions.append(rec)
    event = {k: _j(v) for k, v in ev.items() if k not in ("merge_detail", "evidence")}
    return {"event": event, "merge": ev.get("merge_detail") or {}, "mentions": mentions}
