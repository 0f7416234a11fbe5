"""The merge policy: one event from the mentions (reports) of one incident.

Documented in docs/store.md; every choice is recorded in ``merge_detail`` so
``conflictlens explain`` can show where each field came from.

* **date**: from the mention with the most precise date (lowest
  ``time_precision``); ties go to the date most mentions agree on, then the
  earliest.  Its window (start/end) comes along.
* **place**: the whole location block (country ... longitude, geo_precision)
  from the most precise mention (lowest ``geo_precision``); ties go to the
  location most mentions name, then the most confident mention.
* **type**: the sub-event type with the most votes (weighted by confidence);
  event and disorder types follow from it.
* **actors**: the actor block from the mention that names its actors best (a
  named actor beats "Unidentified ..."), then the most confident.
* **fatalities**: conservative (ACLED): the lowest figure among the reports
  that give one; ``fatalities_low``/``fatalities_high`` span every report's
  range.  Unknown everywhere: 0 with ``fatalities_known`` false.
* **sources**: the union, oldest report first; ``n_mentions`` counts reports.
* **confidence**: noisy-OR of the mentions' confidences (corroboration raises
  it), capped at 0.99; **notes** and **evidence** from the most confident one.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any, Mapping, Sequence

from ..schema import SUB_EVENT_TO_TYPE, disorder_type_for, interaction_code

PLACE_FIELDS = ("country", "iso3", "admin1", "admin2", "location", "latitude", "longitude",
                "geo_precision")
ACTOR_FIELDS = ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                "interaction", "civilian_targeting")
DATE_FIELDS = ("event_date", "event_date_start", "event_date_end", "time_precision")
_GENERIC = re.compile(r"^unidentified|^unknown", re.I)


def _prec(v: Any) -> int:
    return v if isinstance(v, int) else 9


def _conf(m: Mapping) -> float:
    return float(m.get("confidence") or 0.0)


def _pick_date(ms: Sequence[Mapping]) -> Mapping:
    best = min(_prec(m.get("time_precision")) for m in ms)
    pool = [m for m in ms if _prec(m.get("time_precision")) == best]
    votes = Counter(m.get("event_date") for m in pool)
    return min(pool, key=lambda m: (-votes[m.get("event_date")], m.get("event_date") or date.max))


def _pick_place(ms: Sequence[Mapping]) -> Mapping:
    def rank(m: Mapping) -> tuple:
        has_point = m.get("latitude") is not None
        return (_prec(m.get("geo_precision")), not has_point)

    best = min(rank(m) for m in ms)
    pool = [m for m in ms if rank(m) == best]
    votes = Counter((m.get("location") or "").lower() for m in ms)
    return max(pool, key=lambda m: (votes[(m.get("location") or "").lower()], _conf(m)))


def _pick_actors(ms: Sequence[Mapping]) -> Mapping:
    def rank(m: Mapping) -> tuple:
        a1 = m.get("actor1") or ""
        a2 = m.get("actor2") or ""
        named = sum(1 for a in (a1, a2) if a and not _GENERIC.search(a))
        return (bool(a1), named, _conf(m))

    return max(ms, key=rank)


def merge_mentions(mentions: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Merged event fields (events-table columns) and ``merge_detail`` for some mentions.

    Each mention is a mapping with Event field names plus ``mention_id``,
    ``source_id`` and optionally ``url``, ``outlet``, ``title``, ``published``.
    """
    if not mentions:
        raise ValueError("merge_mentions needs at least one mention")
    ms = list(mentions)
    out: dict[str, Any] = {}
    detail: dict[str, Any] = {"policy": "conflictlens-merge-1"}

    d = _pick_date(ms)
    out.update({k: d.get(k) for k in DATE_FIELDS})
    detail["date_from"] = d.get("mention_id")

    p = _pick_place(ms)
    out.update({k: p.get(k) for k in PLACE_FIELDS})
    detail["place_from"] = p.get("mention_id")

    votes: Counter = Counter()
    for m in ms:
        votes[m.get("sub_event_type")] += 1.0 + _conf(m)
    sub = max(votes, key=lambda s: (votes[s], s or ""))
    out["sub_event_type"] = sub
    out["event_type"] = SUB_EVENT_TO_TYPE.get(sub) or next(m["event_type"] for m in ms)
    out["disorder_type"] = disorder_type_for(out["event_type"], sub)
    detail["type_votes"] = {k: round(v, 2) for k, v in votes.items()}

    a = _pick_actors(ms)
    out.update({k: a.get(k) for k in ACTOR_FIELDS})
    if out.get("interaction") is None:
        out["interaction"] = interaction_code(out.get("inter1"), out.get("inter2"))
    out["civilian_targeting"] = bool(out.get("civilian_targeting"))
    detail["actors_from"] = a.get("mention_id")

    known = [m for m in ms if m.get("fatalities_known")]
    if known:
        best = [int(m.get("fatalities") or 0) for m in known]
        lows = [int(m["fatalities_low"] if m.get("fatalities_low") is not None else m.get("fatalities") or 0)
                for m in known]
        highs = [int(m["fatalities_high"] if m.get("fatalities_high") is not None else m.get("fatalities") or 0)
                 for m in known]
        out["fatalities"] = min(best)
        out["fatalities_low"] = min(lows + best)
        out["fatalities_high"] = max(highs + best)
        out["fatalities_known"] = True
        detail["fatalities_reported"] = {str(m.get("mention_id")): m.get("fatalities") for m in known}
    else:
        out.update(fatalities=0, fatalities_low=None, fatalities_high=None, fatalities_known=False)
    inj = [m["injuries"] for m in ms if m.get("injuries") is not None]
    out["injuries"] = min(inj) if inj else None

    top = max(ms, key=_conf)
    out["notes"] = top.get("notes") or ""
    out["evidence"] = top.get("evidence") or []
    miss = 1.0
    for m in ms:
        miss *= 1.0 - min(_conf(m), 0.99)
    out["confidence"] = round(min(0.99, 1.0 - miss), 4)

    by_source: dict[str, dict] = {}
    for m in sorted(ms, key=lambda m: (m.get("published") or date.max, str(m.get("source_id")))):
        sid = str(m.get("source_id"))
        if sid not in by_source:
            pub = m.get("published")
            by_source[sid] = {"id": sid, "url": m.get("url"), "outlet": m.get("outlet"),
                              "title": m.get("title"),
                              "published": pub.isoformat() if isinstance(pub, date) else pub}
    srcs = list(by_source.values())
    out["sources"] = srcs
    out["source_ids"] = "; ".join(s["id"] for s in srcs)
    out["source_urls"] = "; ".join(s["url"] for s in srcs if s.get("url")) or None
    out["outlets"] = "; ".join(dict.fromkeys(s["outlet"] for s in srcs if s.get("outlet"))) or None
    out["n_mentions"] = len(ms)
    out["n_sources"] = len(srcs)
    out["year"] = out["event_date"].year if isinstance(out.get("event_date"), date) else None
    out["merge_detail"] = detail
    return out
