"""Alert rules, evaluated on the events that newly ingested articles created or updated.

A rules file (YAML or JSON) holds ``rules:``, a list of mappings with a
``name`` (unique), a ``kind`` and the kind's options::

    rules:
      - name: kp-toll                      # total fatalities in an area within a window
        kind: fatalities
        min_fatalities: 10
        country: Pakistan                  # name or ISO3; optional
        admin1: Khyber Pakhtunkhwa         # optional
        window_days: 7                     # 1 = the event's own day
      - name: new-actor                    # an actor no stored event named before
        kind: new_actor
        country: PAK                       # optional
      - name: blasts-in-box                # an event type inside a bounding box
        kind: event_type
        types: ["Explosions/Remote violence", "Suicide bomb"]   # disorder, event or sub-event type
        bbox: [69.0, 31.0, 73.5, 36.0]     # min_lon, min_lat, max_lon, max_lat; optional
      - name: spike                        # events in a window vs the trailing daily average
        kind: spike
        country: Pakistan                  # optional: each country separately
        window_days: 1
        baseline_days: 28
        factor: 3.0
        min_count: 3

Each alert has a key (rule + what it is about), so it fires once:
``fatalities``: area + window bucket; ``new_actor``: the actor;
``event_type``: the event; ``spike``: country + day.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine

from ..errors import ConflictLensError
from ..store import models as M

# Generic actor names that are never "new" (ACLED placeholders and the civilian category).
GENERIC_ACTOR_PREFIXES = ("unidentified", "unknown", "civilians")


@dataclass
class Hit:
    """One rule firing: its dedup key and a one-line message."""

    key: str
    message: str
    extra: dict = field(default_factory=dict)


def _same_country(ev: dict, country: str | None) -> bool:
    if not country:
        return True
    c = country.strip().upper()
    return c in {(ev.get("iso3") or "").upper(), (ev.get("country") or "").upper()}


def _country_cond(country: str):
    c = country.strip().upper()
    return or_(func.upper(M.events.c.iso3) == c, func.upper(M.events.c.country) == c)


class Rule:
    kind = "rule"
    options: tuple[str, ...] = ()

    def __init__(self, name: str, **opts: Any) -> None:
        self.name = name
        self.country: str | None = opts.get("country")

    def evaluate(self, ev: dict, engine: Engine, batch: set[str]) -> list[Hit]:  # pragma: no cover
        """Hits for the merged event ``ev``; ``batch`` holds the source ids being evaluated."""
        raise NotImplementedError


class FatalitiesRule(Rule):
    """Total fatalities of events in a country/admin1 within ``window_days`` reach ``min_fatalities``."""

    kind = "fatalities"
    options = ("min_fatalities", "country", "admin1", "window_days")

    def __init__(self, name: str, **opts: Any) -> None:
        super().__init__(name, **opts)
        self.min_fatalities = int(opts.get("min_fatalities", 10))
        self.admin1: str | None = opts.get("admin1")
        self.window_days = max(1, int(opts.get("window_days", 1)))
        if self.min_fatalities < 1:
            raise ValueError("min_fatalities must be at least 1")

    def evaluate(self, ev, engine, batch):
        d = ev.get("event_date")
        if d is None or not ev.get("fatalities") or not _same_country(ev, self.country):
            return []
        if self.admin1 and (ev.get("admin1") or "").lower() != self.admin1.lower():
            return []
        # windows are aligned buckets of window_days, so one surge fires once per bucket
        bucket = d.toordinal() // self.window_days
        start = date.fromordinal(bucket * self.window_days)
        end = start + timedelta(days=self.window_days - 1)
        e = M.events.c
        cond = [e.event_date.between(start, end)]
        scope_country = self.country or ev.get("iso3") or ev.get("country")
        if self.country:
            cond.append(_country_cond(self.country))
        elif ev.get("iso3"):
            cond.append(e.iso3 == ev["iso3"])
        elif ev.get("country"):
            cond.append(e.country == ev["country"])
        if self.admin1:
            cond.append(func.lower(e.admin1) == self.admin1.lower())
        with engine.connect() as conn:
            total, n = conn.execute(select(func.coalesce(func.sum(e.fatalities), 0), func.count())
                                    .where(*cond)).one()
        if int(total) < self.min_fatalities:
            return []
        scope = " / ".join(x for x in (scope_country, self.admin1) if x)
        return [Hit(f"{self.name}|{scope}|{start.isoformat()}",
                    f"{total} fatalities in {scope} between {start} and {end} "
                    f"({n} event(s); threshold {self.min_fatalities})",
                    {"total_fatalities": int(total), "n_events": int(n),
                     "window": [start.isoformat(), end.isoformat()]})]


class NewActorRule(Rule):
    """An event names an actor that no article outside this batch (``batch``: source ids) named."""

    kind = "new_actor"
    options = ("country",)

    def evaluate(self, ev, engine, batch):
        if not _same_country(ev, self.country):
            return []
        m = M.event_mentions.c
        hits = []
        for col in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
            actor = (ev.get(col) or "").strip()
            if not actor or actor.lower().startswith(GENERIC_ACTOR_PREFIXES):
                continue
            cols = (m.actor1, m.actor2, m.assoc_actor_1, m.assoc_actor_2)
            # named by any report outside this batch of articles?
            q = select(func.count()).where(or_(*(c == actor for c in cols)),
                                           m.source_id.not_in(sorted(batch)))
            with engine.connect() as conn:
                if conn.execute(q).scalar_one():
                    continue
            hits.append(Hit(f"{self.name}|{actor}", f"new actor: {actor}", {"actor": actor}))
        return hits


class EventTypeRule(Rule):
    """An event of one of ``types`` (disorder, event or sub-event type), optionally in ``bbox``."""

    kind = "event_type"
    options = ("types", "bbox", "country")

    def __init__(self, name: str, **opts: Any) -> None:
        super().__init__(name, **opts)
        types = opts.get("types") or []
        if isinstance(types, str):
            types = [types]
        self.types = {t.lower() for t in types}
        bbox = opts.get("bbox")
        if bbox is not None:
            if isinstance(bbox, str):
                bbox = [float(x) for x in bbox.split(",")]
            if len(bbox) != 4:
                raise ValueError("bbox must be [min_lon, min_lat, max_lon, max_lat]")
            bbox = [float(x) for x in bbox]
        self.bbox = bbox

    def _in_bbox(self, ev) -> bool:
        if self.bbox is None:
            return True
        lon, lat = ev.get("longitude"), ev.get("latitude")
        if lon is None or lat is None:
            return False
        min_lon, min_lat, max_lon, max_lat = self.bbox
        in_lon = (min_lon <= lon <= max_lon) if min_lon <= max_lon else (lon >= min_lon or lon <= max_lon)
        return in_lon and min_lat <= lat <= max_lat

    def evaluate(self, ev, engine, batch):
        kinds = {(ev.get(k) or "").lower() for k in ("disorder_type", "event_type", "sub_event_type")}
        if self.types and not (kinds & self.types):
            return []
        if not _same_country(ev, self.country) or not self._in_bbox(ev):
            return []
        where = f" at {ev.get('location')}" if ev.get("location") else ""
        return [Hit(f"{self.name}|{ev['id']}",
                    f"{ev.get('sub_event_type') or ev.get('event_type')}{where}, {ev.get('country') or '?'}"
                    f" on {ev.get('event_date') or '?'}")]


class SpikeRule(Rule):
    """Events in the last ``window_days`` exceed ``factor`` × the trailing average (and ``min_count``)."""

    kind = "spike"
    options = ("country", "window_days", "baseline_days", "factor", "min_count")

    def __init__(self, name: str, **opts: Any) -> None:
        super().__init__(name, **opts)
        self.window_days = max(1, int(opts.get("window_days", 1)))
        self.baseline_days = max(1, int(opts.get("baseline_days", 28)))
        self.factor = float(opts.get("factor", 3.0))
        self.min_count = max(1, int(opts.get("min_count", 3)))

    def evaluate(self, ev, engine, batch):
        d = ev.get("event_date")
        if d is None or not _same_country(ev, self.country):
            return []
        e = M.events.c
        scope = self.country or ev.get("iso3") or ev.get("country")
        if not scope:
            return []
        start = d - timedelta(days=self.window_days - 1)
        base_start = start - timedelta(days=self.baseline_days)
        cc = _country_cond(scope)
        with engine.connect() as conn:
            now_n = conn.execute(select(func.count()).where(cc, e.event_date.between(start, d))).scalar_one()
            base_n = conn.execute(select(func.count()).where(
                cc, e.event_date >= base_start, e.event_date < start)).scalar_one()
        expected = base_n * self.window_days / self.baseline_days
        if now_n < self.min_count or now_n < self.factor * max(expected, 1e-9):
            return []
        return [Hit(f"{self.name}|{scope}|{d.isoformat()}",
                    f"spike in {scope}: {now_n} event(s) in {self.window_days} day(s) to {d} vs "
                    f"{expected:.2f} expected from the previous {self.baseline_days} days",
                    {"count": int(now_n), "expected": round(expected, 3)})]


RULE_KINDS: dict[str, Callable[..., Rule]] = {
    r.kind: r for r in (FatalitiesRule, NewActorRule, EventTypeRule, SpikeRule)}


def rules_from_data(data: Any, where: str = "<rules>") -> list[Rule]:
    """Build rules from parsed YAML/JSON; E806 on anything invalid."""
    if isinstance(data, dict):
        data = data.get("rules")
    if not isinstance(data, list):
        raise ConflictLensError("E806", path=where, detail="expected a list under 'rules:'")
    rules: list[Rule] = []
    names: set[str] = set()
    for i, spec in enumerate(data, start=1):
        if not isinstance(spec, dict):
            raise ConflictLensError("E806", path=where, detail=f"rule {i} is not a mapping")
        spec = dict(spec)
        kind = spec.pop("kind", None)
        name = str(spec.pop("name", f"{kind}-{i}"))
        if kind not in RULE_KINDS:
            raise ConflictLensError("E806", path=where,
                                    detail=f"rule '{name}': unknown kind {kind!r}; "
                                           f"choose one of {', '.join(RULE_KINDS)}")
        cls = RULE_KINDS[kind]
        unknown = set(spec) - set(cls.options)
        if unknown:
            raise ConflictLensError("E806", path=where,
                                    detail=f"rule '{name}': unknown option(s) {', '.join(sorted(unknown))}")
        if name in names:
            raise ConflictLensError("E806", path=where, detail=f"duplicate rule name '{name}'")
        names.add(name)
        try:
            rules.append(cls(name, **spec))
        except (TypeError, ValueError) as exc:
            raise ConflictLensError("E806", path=where, detail=f"rule '{name}': {exc}") from None
    return rules


def load_rules(path: str | Path) -> list[Rule]:
    """Rules from a YAML (``.yml``/``.yaml``) or JSON file."""
    p = Path(path)
    if not p.is_file():
        raise ConflictLensError("E806", path=str(p), detail="file not found")
    text = p.read_text("utf-8")
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except ImportError:
        raise ConflictLensError("E801", engine="YAML rules", package="pyyaml") from None
    except Exception as exc:  # noqa: BLE001 - YAMLError / JSONDecodeError
        raise ConflictLensError("E806", path=str(p), detail=str(exc).splitlines()[0][:200]) from None
    return rules_from_data(data, str(p))
