"""Cross-source deduplication: which reports (mentions) describe the same incident.

Two steps, after the classic record-linkage recipe:

1. **Blocking** (cheap, rules out most pairs): same country; date windows
   that overlap once widened by ``window_days``; and, when both mentions have
   coordinates, no farther apart than ``max_km`` (``max_km_coarse`` when one
   of them is only located to a district/province centroid).  Two mentions
   from the same article never merge (an article that lists two incidents
   means two events).
2. **Scored match**: a weighted sum of six similarities in [0, 1] — event type
   compatibility, date closeness, place (name similarity and distance), actors,
   fatalities and the text similarity of the evidence (rapidfuzz).  A mention
   joins the best-scoring cluster whose score reaches ``threshold``; its
   weakest link to that cluster must still reach ``min_link`` (no chaining of
   clearly different reports through one ambiguous one).

Clustering is incremental: :class:`Clusterer` keeps a (country, day) index of
clusters, so adding a mention touches only the clusters in its window and
never re-clusters what is already there.  The database store uses the same
:func:`choose_cluster` on candidates it loads with SQL.

All thresholds and weights come from ``[store.dedup]`` in the config.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Hashable, Iterable, Mapping

from rapidfuzz import fuzz

from ..errors import ConflictLensError

# Chosen on tests/store/gold (see docs/store.md for the numbers and caveats).
DEFAULT_WEIGHTS = {
    "type": 0.20,
    "date": 0.15,
    "place": 0.20,
    "actors": 0.10,
    "fatalities": 0.20,
    "text": 0.15,
}

# Event-type pairs that outlets often code differently for one incident.
_COMPATIBLE_TYPES = {
    frozenset({"Battles", "Violence against civilians"}),
    frozenset({"Battles", "Explosions/Remote violence"}),
    frozenset({"Explosions/Remote violence", "Violence against civilians"}),
    frozenset({"Protests", "Riots"}),
}

_STOP = frozenset(
    "a an the of in on at to and or by for from with as was were is are be been has have had "
    "that this which who said says told according reported report reports least some "
    "after during near into its their his her they it he she than also".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_GENERIC_ACTOR = re.compile(r"unidentified|unknown|gunmen", re.I)


@dataclass
class DedupConfig:
    """Thresholds and weights (``[store.dedup]`` in the config)."""

    window_days: int = 1
    max_km: float = 60.0
    max_km_coarse: float = 300.0
    threshold: float = 0.62
    min_link: float = 0.40
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> "DedupConfig":
        """Build from a full config dict (reads ``store.dedup``) or the section itself."""
        section = dict(config or {})
        if "store" in section:
            section = dict((section.get("store") or {}).get("dedup") or {})
        elif "dedup" in section:
            section = dict(section.get("dedup") or {})
        out = cls()
        for key, value in section.items():
            if key == "weights":
                if not isinstance(value, Mapping) or set(value) - set(DEFAULT_WEIGHTS):
                    raise ConflictLensError("E609", key=key,
                                            detail=f"use a table with keys {sorted(DEFAULT_WEIGHTS)}")
                w = dict(DEFAULT_WEIGHTS)
                w.update({k: float(v) for k, v in value.items()})
                out.weights = w
                continue
            if not hasattr(out, key):
                raise ConflictLensError("E609", key=key, detail="unknown setting")
            try:
                setattr(out, key, type(getattr(out, key))(value))
            except (TypeError, ValueError) as exc:
                raise ConflictLensError("E609", key=key, detail=str(exc)) from None
        if out.window_days < 0 or out.max_km <= 0 or not 0 <= out.threshold <= 1:
            raise ConflictLensError("E609", key="window_days/max_km/threshold",
                                    detail="window_days >= 0, max_km > 0, 0 <= threshold <= 1")
        return out


def _norm(text: str | None) -> str:
    return " ".join(_WORD.findall((text or "").lower()))


def _content_words(text: str | None) -> str:
    return " ".join(w for w in _WORD.findall((text or "").lower()) if w not in _STOP)


@dataclass
class Mention:
    """The features of one reported event that dedup compares."""

    key: Hashable
    source_id: str | None
    event_date: date | None
    date_start: date | None
    date_end: date | None
    event_type: str | None
    sub_event_type: str | None
    country: str | None
    admin1: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int | None  # None when unknown
    actors: tuple[str, ...]
    text: str

    @classmethod
    def from_fields(cls, key: Hashable, source_id: str | None, f: Mapping[str, Any]) -> "Mention":
        """From an :class:`~conflictlens.schema.Event`-shaped mapping (a model dump or a DB row)."""
        ev = f.get("evidence") or []
        text = f.get("evidence_text")
        if text is None:
            text = " ".join((e.get("text") if isinstance(e, Mapping) else getattr(e, "text", "")) or ""
                            for e in ev)
        d = _as_date(f.get("event_date"))
        start = _as_date(f.get("event_date_start")) or d
        end = _as_date(f.get("event_date_end")) or d
        known = f.get("fatalities_known")
        fat = f.get("fatalities")
        actors = tuple(sorted({_norm(a) for a in (f.get("actor1"), f.get("actor2")) if a}))
        country = f.get("iso3") or f.get("country")
        return cls(
            key=key, source_id=source_id, event_date=d, date_start=start, date_end=end,
            event_type=f.get("event_type"), sub_event_type=f.get("sub_event_type"),
            country=country.upper() if country else None,
            admin1=_norm(f.get("admin1")) or None,
            location=_norm(f.get("location")) or None,
            latitude=f.get("latitude"), longitude=f.get("longitude"),
            geo_precision=f.get("geo_precision"),
            fatalities=int(fat) if (known or (known is None and fat)) and fat is not None else None,
            actors=actors,
            text=_content_words(text),
        )

    @classmethod
    def from_event(cls, event, source_id: str | None, key: Hashable | None = None) -> "Mention":
        return cls.from_fields(key if key is not None else (source_id, event.id), source_id,
                               event.model_dump())

    def days(self, window: int) -> range:
        """Day ordinals this mention can match (its window widened by ``window``)."""
        if self.date_start is None:
            return range(0, 1)  # undated mentions share one bucket per country
        end = self.date_end or self.date_start
        return range(self.date_start.toordinal() - window, end.toordinal() + window + 1)


def _as_date(v: Any) -> date | None:
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(str(v)[:10])


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _has_point(m: Mention) -> bool:
    return m.latitude is not None and m.longitude is not None


def blocked(a: Mention, b: Mention, cfg: DedupConfig) -> bool:
    """True when two mentions cannot be the same incident (blocking rules)."""
    if a.source_id is not None and a.source_id == b.source_id:
        return True
    if a.country != b.country:
        return True
    if (a.date_start is None) != (b.date_start is None):
        return True
    if a.date_start is not None:
        w = timedelta(days=cfg.window_days)
        if a.date_start - w > (b.date_end or b.date_start) or b.date_start - w > (a.date_end or a.date_start):
            return True
    if _has_point(a) and _has_point(b):
        coarse = (a.geo_precision or 1) >= 3 or (b.geo_precision or 1) >= 3
        limit = cfg.max_km_coarse if coarse else cfg.max_km
        if haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) > limit:
            return True
    return False


def _type_sim(a: Mention, b: Mention) -> float:
    if a.sub_event_type and a.sub_event_type == b.sub_event_type:
        return 1.0
    if a.event_type and a.event_type == b.event_type:
        return 0.75
    if frozenset({a.event_type, b.event_type}) in _COMPATIBLE_TYPES:
        return 0.4
    return 0.0


def _date_sim(a: Mention, b: Mention) -> float:
    if a.event_date is None or b.event_date is None:
        return 0.5
    gap = abs((a.event_date - b.event_date).days)
    if a.date_start != a.date_end or b.date_start != b.date_end:  # a window, not a day
        return 0.6 if gap <= 3 else 0.4
    return {0: 1.0, 1: 0.55, 2: 0.25}.get(gap, 0.0)


def _place_sim(a: Mention, b: Mention, cfg: DedupConfig) -> float:
    scores = []
    if a.location and b.location:
        scores.append(fuzz.token_set_ratio(a.location, b.location) / 100.0)
    if _has_point(a) and _has_point(b):
        coarse = (a.geo_precision or 1) >= 3 or (b.geo_precision or 1) >= 3
        limit = cfg.max_km_coarse if coarse else cfg.max_km
        d = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)
        s = max(0.0, 1.0 - d / limit)
        scores.append(s * (0.7 if coarse else 1.0))
    if scores:
        best = max(scores)
    elif a.admin1 and b.admin1:
        best = 0.5 if a.admin1 == b.admin1 else 0.1
    else:
        best = 0.3
    if a.admin1 and b.admin1 and a.admin1 != b.admin1 and fuzz.ratio(a.admin1, b.admin1) < 80:
        best *= 0.5
    return best


def _actor_sim(a: Mention, b: Mention) -> float:
    if not a.actors or not b.actors:
        return 0.5
    small, big = (a.actors, b.actors) if len(a.actors) <= len(b.actors) else (b.actors, a.actors)
    total = 0.0
    for x in small:
        best = 0.0
        for y in big:
            if _GENERIC_ACTOR.search(x) or _GENERIC_ACTOR.search(y):
                s = 0.5
            else:
                s = fuzz.token_set_ratio(x, y) / 100.0
            best = max(best, s)
        total += best
    return total / len(small)


def _fatality_sim(a: Mention, b: Mention) -> float:
    if a.fatalities is None or b.fatalities is None:
        return 0.5
    hi = max(a.fatalities, b.fatalities)
    if hi == 0:
        return 1.0
    return max(0.0, 1.0 - abs(a.fatalities - b.fatalities) / hi)


def _text_sim(a: Mention, b: Mention) -> float:
    if not a.text or not b.text:
        return 0.3
    return fuzz.token_set_ratio(a.text, b.text) / 100.0


def score_pair(a: Mention, b: Mention, cfg: DedupConfig) -> tuple[float, dict[str, float]] | None:
    """The match score of two mentions and its components, or None when blocked."""
    if blocked(a, b, cfg):
        return None
    comps = {
        "type": _type_sim(a, b),
        "date": _date_sim(a, b),
        "place": _place_sim(a, b, cfg),
        "actors": _actor_sim(a, b),
        "fatalities": _fatality_sim(a, b),
        "text": _text_sim(a, b),
    }
    w = cfg.weights
    total = sum(w.values()) or 1.0
    score = sum(w[k] * comps[k] for k in comps) / total
    if comps["type"] == 0.0:  # a protest is never the same incident as an airstrike
        score *= 0.5
    return score, comps


@dataclass
class Assignment:
    """Where a mention went and why (recorded for ``conflictlens explain``)."""

    cluster: Hashable | None  # None: starts a new cluster
    score: float | None
    components: dict[str, float] | None
    matched: Hashable | None  # key of the cluster's mention it matched best
    candidates: int  # clusters considered after blocking

    def reason(self) -> str:
        if self.cluster is None:
            return f"new incident (no cluster reached the threshold; {self.candidates} candidate(s))"
        parts = ", ".join(f"{k} {v:.2f}" for k, v in (self.components or {}).items())
        return f"joined: score {self.score:.2f} with mention {self.matched} ({parts})"


def choose_cluster(m: Mention, candidates: Mapping[Hashable, Iterable[Mention]],
                   cfg: DedupConfig) -> Assignment:
    """Pick the cluster ``m`` joins among candidate clusters (or none)."""
    best: Assignment | None = None
    n = 0
    for cid, members in candidates.items():
        members = list(members)
        if any(x.source_id is not None and x.source_id == m.source_id for x in members):
            continue
        n += 1
        top, top_comps, top_key, low = -1.0, None, None, 2.0
        for x in members:
            r = score_pair(m, x, cfg)
            s = r[0] if r else 0.0
            low = min(low, s)
            if r and s > top:
                top, top_comps, top_key = s, r[1], x.key
        if top < cfg.threshold or low < cfg.min_link:
            continue
        if best is None or top > best.score:
            best = Assignment(cid, top, top_comps, top_key, 0)
    if best is None:
        return Assignment(None, None, None, None, n)
    best.candidates = n
    return best


class Clusterer:
    """Incremental in-memory clustering (used by evaluation and benchmarks).

    ``add`` assigns one mention in O(clusters in its (country, day) window);
    earlier assignments never change.
    """

    def __init__(self, cfg: DedupConfig | None = None) -> None:
        self.cfg = cfg or DedupConfig()
        self.clusters: dict[int, list[Mention]] = {}
        self.assignments: dict[Hashable, tuple[int, Assignment]] = {}
        self._index: dict[tuple[str | None, int], set[int]] = {}

    def candidates(self, m: Mention) -> dict[int, list[Mention]]:
        seen: set[int] = set()
        for day in m.days(self.cfg.window_days):
            seen.update(self._index.get((m.country, day), ()))
        return {cid: self.clusters[cid] for cid in seen}

    def add(self, m: Mention) -> int:
        a = choose_cluster(m, self.candidates(m), self.cfg)
        if a.cluster is None:
            cid = len(self.clusters)
            self.clusters[cid] = [m]
        else:
            cid = a.cluster
            self.clusters[cid].append(m)
        for day in m.days(0):
            self._index.setdefault((m.country, day), set()).add(cid)
        self.assignments[m.key] = (cid, a)
        return cid

    def add_all(self, mentions: Iterable[Mention]) -> dict[Hashable, int]:
        for m in mentions:
            self.add(m)
        return {k: cid for k, (cid, _) in self.assignments.items()}
