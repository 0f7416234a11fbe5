"""Collect everything a situation report shows from a conflictlens database.

:func:`collect` runs the queries for one period (and the previous period of
equal length) and returns a :class:`ReportData`, a plain structure the
templates and charts read.  Events come from the ``events`` table (merged
incidents) through the same filter as ``conflictlens events``
(:func:`conflictlens.store.export.build_query`), so the report's figures are
the ones an analyst gets from the command line.  Aggregates and quotes are
per-article tables: the report uses those of the articles that reported the
period's events.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from ..errors import ConflictLensError
from ..schema import EVENT_TYPES
from ..store import Store
from ..store import models as M
from ..store.export import EventFilter, build_query

# ACLED's six event types, in the order the tables list them.
EVENT_TYPE_ORDER = list(EVENT_TYPES)
# Long periods are charted per ISO week, short ones per day.
DAILY_MAX_DAYS = 62


@dataclass
class ReportParams:
    """What the report covers (all optional; see :func:`resolve_period`)."""

    country: str | None = None
    admin1: str | None = None
    since: date | None = None
    until: date | None = None
    compare_previous: bool = True
    top_n: int = 10
    notable_n: int = 5
    quotes_per_side: int = 3


@dataclass
class TypeRow:
    event_type: str
    events: int = 0
    fatalities: int = 0
    prev_events: int | None = None
    prev_fatalities: int | None = None


@dataclass
class Notable:
    """One notable event with its evidence and the articles that reported it."""

    id: str
    event_date: date | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    location: str | None
    admin1: str | None
    country: str | None
    fatalities: int
    fatalities_known: bool
    fatalities_low: int | None
    fatalities_high: int | None
    evidence: list[str]
    sources: list[dict]
    reason: str = ""


@dataclass
class ReportData:
    """All the figures, tables and texts of one report."""

    params: ReportParams
    since: date | None
    until: date | None
    prev_since: date | None = None
    prev_until: date | None = None
    place_label: str = "all countries"
    n_events: int = 0
    n_fatalities: int = 0
    n_fatal_unknown: int = 0
    prev_events: int | None = None
    prev_fatalities: int | None = None
    by_type: list[TypeRow] = field(default_factory=list)
    timeline_unit: str = "day"
    timeline: list[tuple[date, int, int]] = field(default_factory=list)
    top_actors: list[dict] = field(default_factory=list)
    top_locations: list[dict] = field(default_factory=list)
    notable_deadliest: list[Notable] = field(default_factory=list)
    notable_new_actors: list[Notable] = field(default_factory=list)
    notable_strategic: list[Notable] = field(default_factory=list)
    new_actors: list[str] = field(default_factory=list)
    aggregates: list[dict] = field(default_factory=list)  # the largest top_n
    n_aggregates: int = 0
    speakers: list[dict] = field(default_factory=list)
    stance_counts: dict[str, int] = field(default_factory=dict)
    quotes_by_stance: dict[str, list[dict]] = field(default_factory=dict)
    n_quotes: int = 0
    n_articles: int = 0
    n_mentions: int = 0
    n_undated: int = 0
    outlets: list[tuple[str, int]] = field(default_factory=list)
    points: list[dict] = field(default_factory=list)  # for the map
    db_label: str = ""

    @property
    def empty(self) -> bool:
        return self.n_events == 0


def resolve_period(params: ReportParams, store: Store) -> tuple[date | None, date | None]:
    """The report period: the given dates, completed from the data when missing.

    Without ``--since`` the period starts at the earliest dated event that
    matches the place filters; without ``--until`` it ends at the latest one
    (or at ``--since`` when there is none).
    """
    since, until = params.since, params.until
    if since and until and since > until:
        raise ConflictLensError("E902", since=since.isoformat(), until=until.isoformat())
    if since is None or until is None:
        e = M.events
        q = _place_where(select(func.min(e.c.event_date), func.max(e.c.event_date)), params)
        if since is not None:
            q = q.where(e.c.event_date >= since)
        if until is not None:
            q = q.where(e.c.event_date <= until)
        with store.engine.connect() as conn:
            lo, hi = conn.execute(q).one()
        lo, hi = _as_date(lo), _as_date(hi)
        since = since or lo or until
        until = until or hi or since
    if since and until and since > until:
        raise ConflictLensError("E902", since=since.isoformat(), until=until.isoformat())
    return since, until


def _as_date(v: Any) -> date | None:
    if v is None or isinstance(v, date):
        return v
    return date.fromisoformat(str(v)[:10])


def _place_where(q, params: ReportParams):
    e = M.events
    if params.country:
        v = params.country.strip().lower()
        q = q.where(or_(func.lower(e.c.country) == v, func.lower(e.c.iso3) == v))
    if params.admin1:
        q = q.where(func.lower(e.c.admin1) == params.admin1.strip().lower())
    return q


def _place_label(store: Store, params: ReportParams) -> str:
    """``"Balochistan, Pakistan"``: the stored spelling of the filters (an ISO3 code becomes the name)."""
    if not params.country and not params.admin1:
        return "all countries"
    e = M.events
    q = _place_where(select(e.c.admin1, e.c.country), params).limit(1)
    with store.engine.connect() as conn:
        row = conn.execute(q).first()
    admin1 = (row[0] if row and params.admin1 else None) or params.admin1
    country = (row[1] if row and params.country else None) or params.country
    return ", ".join(p for p in (admin1, country) if p)


def _events(store: Store, params: ReportParams, since: date | None, until: date | None) -> list[dict]:
    flt = EventFilter(country=params.country, admin1=params.admin1, since=since, until=until)
    return list(store.iter_events(build_query(flt, postgis=store.postgis)))


def _fat(row: dict) -> int:
    return int(row.get("fatalities") or 0)


def _notable(row: dict, reason: str) -> Notable:
    ev = [e.get("text", "") for e in (row.get("evidence") or []) if e.get("text")]
    return Notable(
        id=row["id"], event_date=_as_date(row.get("event_date")), event_type=row["event_type"],
        sub_event_type=row["sub_event_type"], actor1=row.get("actor1"), actor2=row.get("actor2"),
        location=row.get("location"), admin1=row.get("admin1"), country=row.get("country"),
        fatalities=_fat(row), fatalities_known=bool(row.get("fatalities_known")),
        fatalities_low=row.get("fatalities_low"), fatalities_high=row.get("fatalities_high"),
        evidence=ev, sources=list(row.get("sources") or []), reason=reason)


def _actors_of(row: dict) -> list[str]:
    return [a for a in (row.get("actor1"), row.get("actor2")) if a]


def _known_actors_before(store: Store, params: ReportParams, since: date) -> set[str]:
    """Actor names of the events (same place filters) dated before ``since``."""
    e = M.events
    q = _place_where(select(e.c.actor1, e.c.actor2), params).where(e.c.event_date < since)
    out: set[str] = set()
    with store.engine.connect() as conn:
        for a1, a2 in conn.execute(q):
            out.update(a for a in (a1, a2) if a)
    return out


def _per_article(store: Store, event_ids: list[str]) -> tuple[list[str], int]:
    """Source ids of the articles that reported these events, and the mention count."""
    em = M.event_mentions
    sids: set[str] = set()
    n = 0
    with store.engine.connect() as conn:
        for i in range(0, len(event_ids), 500):
            chunk = event_ids[i:i + 500]
            for (sid,) in conn.execute(select(em.c.source_id).where(em.c.event_id.in_(chunk))):
                sids.add(sid)
                n += 1
    return sorted(sids), n


def _rows(store: Store, table, source_ids: list[str]) -> list[dict]:
    """Rows of a per-article table for some sources, with the article's outlet/title/url."""
    s = M.sources
    out: list[dict] = []
    with store.engine.connect() as conn:
        for i in range(0, len(source_ids), 500):
            chunk = source_ids[i:i + 500]
            q = (select(table, s.c.outlet, s.c.title, s.c.url, s.c.published)
                 .join(s, s.c.id == table.c.source_id).where(table.c.source_id.in_(chunk))
                 .order_by(table.c.id))
            out.extend(dict(r) for r in conn.execute(q).mappings())
    return out


def _timeline(rows: list[dict], since: date, until: date) -> tuple[str, list[tuple[date, int, int]]]:
    span = (until - since).days + 1
    unit = "day" if span <= DAILY_MAX_DAYS else "week"

    def bucket(d: date) -> date:
        return d if unit == "day" else d - timedelta(days=d.weekday())

    ev: Counter = Counter()
    fat: Counter = Counter()
    for r in rows:
        d = _as_date(r.get("event_date"))
        if d is None:
            continue
        ev[bucket(d)] += 1
        fat[bucket(d)] += _fat(r)
    step = timedelta(days=1 if unit == "day" else 7)
    cur, out = bucket(since), []
    while cur <= until:
        out.append((cur, ev[cur], fat[cur]))
        cur += step
    return unit, out


def _pick_quotes(quotes: list[dict], n: int) -> list[dict]:
    """Up to ``n`` representative quotes: direct first, readable length, distinct speakers."""
    def rank(q: dict) -> tuple:
        length = len(q.get("text") or "")
        return (q.get("kind") != "direct", q.get("speaker") is None,
                abs(length - 160) if length else 999, q.get("id") or 0)

    chosen, speakers = [], set()
    for q in sorted(quotes, key=rank):
        key = (q.get("speaker") or "").lower()
        if key and key in speakers:
            continue
        speakers.add(key)
        chosen.append(q)
        if len(chosen) >= n:
            break
    return chosen


def collect(store: Store, params: ReportParams) -> ReportData:
    """Query the database for one report (see the module docstring)."""
    since, until = resolve_period(params, store)
    data = ReportData(params=params, since=since, until=until)
    data.place_label = _place_label(store, params)
    rows = _events(store, params, since, until) if since else []
    data.n_events = len(rows)
    data.n_fatalities = sum(_fat(r) for r in rows)
    data.n_fatal_unknown = sum(1 for r in rows if not r.get("fatalities_known"))

    # undated events matching the place filters are stored but cannot be counted in a period
    e = M.events
    with store.engine.connect() as conn:
        data.n_undated = conn.execute(_place_where(
            select(func.count()).select_from(e), params).where(e.c.event_date.is_(None))).scalar_one()

    by_type = {t: TypeRow(t) for t in EVENT_TYPE_ORDER}
    for r in rows:
        tr = by_type.setdefault(r["event_type"], TypeRow(r["event_type"]))
        tr.events += 1
        tr.fatalities += _fat(r)

    if params.compare_previous and since and until:
        length = (until - since).days + 1
        data.prev_until = since - timedelta(days=1)
        data.prev_since = since - timedelta(days=length)
        prev = _events(store, params, data.prev_since, data.prev_until)
        data.prev_events = len(prev)
        data.prev_fatalities = sum(_fat(r) for r in prev)
        for tr in by_type.values():
            tr.prev_events, tr.prev_fatalities = 0, 0
        for r in prev:
            tr = by_type.setdefault(r["event_type"], TypeRow(r["event_type"], prev_events=0,
                                                             prev_fatalities=0))
            tr.prev_events = (tr.prev_events or 0) + 1
            tr.prev_fatalities = (tr.prev_fatalities or 0) + _fat(r)
    data.by_type = list(by_type.values())

    if not rows:
        return data

    data.timeline_unit, data.timeline = _timeline(rows, since, until)

    actor_ev: Counter = Counter()
    actor_fat: Counter = Counter()
    for r in rows:
        for a in set(_actors_of(r)):
            actor_ev[a] += 1
            actor_fat[a] += _fat(r)
    data.top_actors = [{"name": a, "events": n, "fatalities": actor_fat[a]}
                       for a, n in sorted(actor_ev.items(), key=lambda kv: (-kv[1], -actor_fat[kv[0]], kv[0]))
                       [:params.top_n]]

    loc_ev: Counter = Counter()
    loc_fat: Counter = Counter()
    for r in rows:
        key = (r.get("location") or "(unlocated)", r.get("admin1") or "", r.get("country") or "")
        loc_ev[key] += 1
        loc_fat[key] += _fat(r)
    data.top_locations = [{"location": k[0], "admin1": k[1], "country": k[2], "events": n,
                           "fatalities": loc_fat[k]}
                          for k, n in sorted(loc_ev.items(), key=lambda kv: (-kv[1], -loc_fat[kv[0]], kv[0]))
                          [:params.top_n]]

    # notable events
    deadly = sorted((r for r in rows if _fat(r) > 0), key=lambda r: (-_fat(r), r["id"]))
    data.notable_deadliest = [_notable(r, "highest fatalities") for r in deadly[:params.notable_n]]
    known = _known_actors_before(store, params, since)
    first_seen: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: (_as_date(r.get("event_date")), r["id"])):
        for a in _actors_of(r):
            if a not in known and a not in first_seen and not a.startswith(("Unidentified", "Civilians")):
                first_seen[a] = r
    data.new_actors = sorted(first_seen)
    seen_ids: set[str] = set()
    for a, r in sorted(first_seen.items(), key=lambda kv: (-_fat(kv[1]), kv[0])):
        if r["id"] in seen_ids:
            continue
        seen_ids.add(r["id"])
        data.notable_new_actors.append(_notable(r, f"first event of {a} in the data"))
        if len(data.notable_new_actors) >= params.notable_n:
            break
    strategic = [r for r in rows if r["event_type"] == "Strategic developments"]
    strategic.sort(key=lambda r: (-(r.get("n_sources") or 0), -(r.get("confidence") or 0), r["id"]))
    data.notable_strategic = [_notable(r, r["sub_event_type"]) for r in strategic[:params.notable_n]]

    # map points
    data.points = [{"lat": r["latitude"], "lon": r["longitude"], "type": r["event_type"],
                    "fatalities": _fat(r)}
                   for r in rows if r.get("latitude") is not None and r.get("longitude") is not None]

    # articles, mentions, outlets
    source_ids, data.n_mentions = _per_article(store, [r["id"] for r in rows])
    data.n_articles = len(source_ids)
    outlets: Counter = Counter()
    for r in rows:
        for s in r.get("sources") or []:
            outlets[s.get("outlet") or "(unknown outlet)"] += 1
    data.outlets = sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))

    # aggregates reported by sources (shown apart from counted events)
    aggs = [
        {"kind": a["kind"], "value": a["value"], "subject": a.get("subject"),
         "period_start": _as_date(a.get("period_start")), "period_end": _as_date(a.get("period_end")),
         "evidence": " ".join(e.get("text", "") for e in a.get("evidence") or []),
         "outlet": a.get("outlet"), "title": a.get("title"), "url": a.get("url")}
        for a in _rows(store, M.aggregates, source_ids)]
    data.n_aggregates = len(aggs)
    data.aggregates = sorted(aggs, key=lambda a: -a["value"])[:params.top_n]

    # voices
    quotes = _rows(store, M.quotes, source_ids)
    data.n_quotes = len(quotes)
    stance: Counter = Counter(q.get("stance") or "unclassified" for q in quotes)
    data.stance_counts = {k: stance.get(k, 0) for k in ("support", "oppose", "neutral", "unclassified")}
    per_speaker: dict[str, Counter] = defaultdict(Counter)
    roles: dict[str, str] = {}
    for q in quotes:
        sp = q.get("speaker")
        if not sp:
            continue
        per_speaker[sp][q.get("stance") or "unclassified"] += 1
        if q.get("speaker_role") or q.get("speaker_org"):
            roles.setdefault(sp, ", ".join(x for x in (q.get("speaker_role"), q.get("speaker_org")) if x))
    data.speakers = [{"name": sp, "role": roles.get(sp, ""), "quotes": sum(c.values()),
                      "support": c["support"], "oppose": c["oppose"], "neutral": c["neutral"]}
                     for sp, c in sorted(per_speaker.items(),
                                         key=lambda kv: (-sum(kv[1].values()), kv[0]))[:params.top_n]]
    data.quotes_by_stance = {
        side: [{"text": q["text"], "speaker": q.get("speaker") or "unnamed source",
                "role": q.get("speaker_role") or q.get("speaker_org") or "",
                "target": q.get("stance_target"), "outlet": q.get("outlet"), "title": q.get("title"),
                "url": q.get("url"), "kind": q.get("kind")}
               for q in _pick_quotes([q for q in quotes if q.get("stance") == side],
                                     params.quotes_per_side)]
        for side in ("support", "oppose")}
    return data
