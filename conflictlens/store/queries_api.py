"""Read-only queries behind the REST API and the dashboard (``conflictlens serve``).

Every function takes an SQLAlchemy :class:`~sqlalchemy.engine.Engine` and
returns plain JSON-ready dicts and lists.  Filters reuse
:func:`conflictlens.store.export.build_query` (the ``conflictlens events``
filters), plus a free-text ``q``; every user value reaches the database as a
bound parameter, never as SQL text.
"""
from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, desc, func, or_, select, text
from sqlalchemy.engine import Engine

from ..schema import DISORDER_TYPES, EVENT_TYPES, SUB_EVENT_TO_TYPE
from . import models as M
from .export import EventFilter, build_query, event_record

# The columns a map marker needs (the list endpoint returns whole events).
_MAP_COLUMNS = ("id", "event_date", "event_type", "sub_event_type", "disorder_type", "latitude",
                "longitude", "location", "admin1", "country", "iso3", "fatalities",
                "fatalities_known", "actor1", "actor2", "n_mentions")
_LIST_SKIP = {"merge_detail"}
TIMELINE_INTERVALS = ("day", "week", "month")


@dataclass
class ApiFilter(EventFilter):
    """:class:`EventFilter` plus a free-text search over notes, place and actor names."""

    q: str | None = None


def _like(value: str) -> str:
    """A LIKE pattern that matches ``value`` literally (``%`` and ``_`` escaped)."""
    v = value.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{v}%"


# --- free-text search (``q``) ----------------------------------------------------------------

_Q_COLUMNS = ("notes", "location", "admin1", "actor1", "actor2", "sub_event_type", "outlets")
_TERM = re.compile(r"[^\W_]+")  # runs of letters and digits, as FTS5's unicode61 tokenizer splits
_MAX_TERMS = 16
_FTS_TTL = 30.0  # seconds whether a database has ``events_fts`` is cached
_FTS_CACHE: dict[int, tuple[float, bool]] = {}


def fts_match(value: str) -> str | None:
    """An FTS5 MATCH expression for the user's ``q``, or None if it holds no searchable term.

    Every term is a double-quoted FTS5 string (so ``OR``, ``NOT``, ``NEAR``, ``*``, ``^``,
    column filters and parentheses in the input are plain words, never operators); the terms
    are ANDed, and the last one matches as a prefix.  The result is passed as a bound parameter.
    A value with a control character (NUL, say; tab and newline are spaces) is no text anyone
    stored, so it gets None too and the literal scan answers it (with nothing).
    """
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in value):
        return None
    terms = _TERM.findall(value)[:_MAX_TERMS]
    if not terms:
        return None
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _has_fts(engine: Engine | None) -> bool:
    """Whether ``engine`` is SQLite with the ``events_fts`` index (migration 0002)."""
    if engine is None or engine.dialect.name != "sqlite":
        return False
    hit = _FTS_CACHE.get(id(engine))
    if hit is not None and time.monotonic() - hit[0] < _FTS_TTL:
        return hit[1]
    with engine.connect() as conn:
        found = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events_fts'"
        ).first() is not None
    _FTS_CACHE[id(engine)] = (time.monotonic(), found)
    return found


def _q_condition(value: str, engine: Engine | None):
    """``q``: the FTS5 index where there is one, else a case-insensitive substring scan."""
    e = M.events
    match = fts_match(value) if _has_fts(engine) else None
    if match is not None:
        return text("events.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH :fts_q)"
                    ).bindparams(fts_q=match)
    pat = _like(value)
    return or_(*(func.lower(e.c[c]).like(pat, escape="\\") for c in _Q_COLUMNS))


def _type_condition(value: str):
    """``type`` as an exact, index-friendly comparison when it names an ACLED type."""
    e = M.events
    v = value.strip().lower()
    for names, col in ((EVENT_TYPES, e.c.event_type), (SUB_EVENT_TO_TYPE, e.c.sub_event_type),
                       (DISORDER_TYPES, e.c.disorder_type)):
        for name in names:
            if name.lower() == v:
                return col == name
    return None


_PAIRS_TTL = 30.0  # seconds a database's (country, iso3) pairs are cached
_PAIRS_CACHE: dict[int, tuple[float, list[tuple[str | None, str | None]]]] = {}


def _country_pairs(engine: Engine) -> list[tuple[str | None, str | None]]:
    hit = _PAIRS_CACHE.get(id(engine))
    if hit is not None and time.monotonic() - hit[0] < _PAIRS_TTL:
        return hit[1]
    e = M.events
    with engine.connect() as conn:
        pairs = [tuple(r) for r in conn.execute(select(e.c.country, e.c.iso3).distinct())]
    _PAIRS_CACHE[id(engine)] = (time.monotonic(), pairs)
    return pairs


def _country_codes(engine: Engine, value: str) -> list[str] | None:
    """ISO3 codes of the stored (country, iso3) pairs a ``country`` value matches, or None
    (no match in the cache, or a matching pair without ISO3): then only the plain filter is used."""
    v = value.strip().lower()
    pairs = [(c, iso) for c, iso in _country_pairs(engine)
             if (c or "").lower() == v or (iso or "").lower() == v]
    if not pairs or any(iso is None for _c, iso in pairs):
        return None
    return sorted({iso for _c, iso in pairs})


_DENSE_BOX = 2000  # a box holding more events than this is read in date order, not by place


def _bbox_condition(engine: Engine, bbox: tuple[float, float, float, float]):
    """The bbox filter of :func:`build_query`, steering the query plan by the box's size.

    A small box is best read through the latitude/longitude index; a big one (more than
    ``_DENSE_BOX`` events, counted through that index) is best read in date order, which
    stops after one page.  ``latitude + 0`` hides the index from the planner in that case.
    """
    e = M.events
    x0, y0, x1, y1 = bbox
    lon = (e.c.longitude.between(x0, x1) if x0 <= x1
           else or_(e.c.longitude >= x0, e.c.longitude <= x1))  # crosses the antimeridian
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(
            select(e.c.id).where(e.c.latitude.between(y0, y1), lon).limit(_DENSE_BOX + 1)
            .subquery())).scalar_one()
    lat = (e.c.latitude + 0).between(y0, y1) if n > _DENSE_BOX else e.c.latitude.between(y0, y1)
    return and_(lat, lon)


def filtered(flt: ApiFilter, *, postgis: bool = False, engine: Engine | None = None) -> Select:
    """SELECT over ``events`` with every filter applied and no ordering or limit.

    Same semantics as ``conflictlens events`` (:func:`build_query`), written so that the
    database can use its indexes: a country becomes ``iso3 IN (...)`` (plus the original
    check) and an ACLED type name an exact comparison.
    """
    e = M.events
    base = EventFilter(country=flt.country, admin1=flt.admin1, since=flt.since, until=flt.until,
                       type=flt.type, actor=flt.actor, bbox=flt.bbox,
                       min_fatalities=flt.min_fatalities)
    type_cond = _type_condition(flt.type) if flt.type else None
    if type_cond is not None:
        base.type = None
    bbox_cond = None
    if flt.bbox and engine is not None and not postgis:
        base.bbox = None
        bbox_cond = _bbox_condition(engine, flt.bbox)
    q = build_query(base, postgis=postgis).order_by(None)
    if type_cond is not None:
        q = q.where(type_cond)
    if bbox_cond is not None:
        q = q.where(bbox_cond)
    if flt.country and engine is not None:
        codes = _country_codes(engine, flt.country)
        if codes is not None:
            q = q.where(e.c.iso3.in_(codes))
    if flt.q and flt.q.strip():
        q = q.where(_q_condition(flt.q, engine))
    return q


def _jsonable(v: Any) -> Any:
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def list_events(engine: Engine, flt: ApiFilter, *, limit: int, offset: int = 0,
                postgis: bool = False, newest_first: bool = True,
                count: bool = False) -> tuple[int | None, bool, list[dict]]:
    """(total or None, has_more, one page of events as JSON records), newest first by default.

    The page is read in index order and stops after ``limit + 1`` rows; counting every
    match (``count=True``) scans all of them, so it is optional.
    """
    e = M.events
    q = filtered(flt, postgis=postgis, engine=engine)
    cols = [c for c in e.c if c.name not in _LIST_SKIP]
    order = (desc(e.c.event_date), desc(e.c.id)) if newest_first else (e.c.event_date, e.c.id)
    page_q = q.with_only_columns(*cols).order_by(*order).limit(limit + 1).offset(offset)
    total = None
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(page_q).mappings()]
        if count:
            count_q = select(func.count()).select_from(q.with_only_columns(e.c.id).subquery())
            total = int(conn.execute(count_q).scalar_one())
    has_more = len(rows) > limit
    return total, has_more, [event_record(r) for r in rows[:limit]]




def map_points(engine: Engine, flt: ApiFilter, *, limit: int, postgis: bool = False) -> dict:
    """Compact located events for the map, newest first: ``{points, truncated}``."""
    e = M.events
    q = filtered(flt, postgis=postgis, engine=engine).where(e.c.latitude.is_not(None),
                                                            e.c.longitude.is_not(None))
    q = q.with_only_columns(*(e.c[c] for c in _MAP_COLUMNS))
    with engine.connect() as conn:
        rows = conn.execute(q.order_by(desc(e.c.event_date), desc(e.c.id)).limit(limit + 1)).all()
    pts = [{k: _jsonable(v) for k, v in zip(_MAP_COLUMNS, r)} for r in rows[:limit]]
    return {"points": pts, "truncated": len(rows) > limit}


def event_detail(engine: Engine, event_id: str) -> dict | None:
    """The merged event, every mention (its values and evidence offsets) and its sources."""
    e, em, s = M.events, M.event_mentions, M.sources
    with engine.connect() as conn:
        row = conn.execute(select(e).where(e.c.id == event_id)).mappings().first()
        if row is None:
            return None
        mentions = conn.execute(
            select(em, s.c.title, s.c.outlet, s.c.url, s.c.published)
            .join(s, s.c.id == em.c.source_id).where(em.c.event_id == event_id)
            .order_by(em.c.id)).mappings().all()
    out = event_record(dict(row))
    out["merge_detail"] = row["merge_detail"]
    out["mentions"] = [{k: _jsonable(v) for k, v in m.items() if k != "evidence_text"}
                       for m in mentions]
    return out


_SOURCE_LIST = ("id", "url", "title", "outlet", "published", "dateline", "language", "n_events",
                "ingested_at")


def list_articles(engine: Engine, *, q: str | None, outlet: str | None, limit: int,
                  offset: int = 0) -> tuple[int, list[dict]]:
    """Stored articles (no bodies), newest publication first."""
    s = M.sources
    sel = select(*(s.c[c] for c in _SOURCE_LIST))
    if q and q.strip():
        pat = _like(q)
        sel = sel.where(or_(func.lower(s.c.title).like(pat, escape="\\"),
                            func.lower(s.c.body).like(pat, escape="\\")))
    if outlet:
        sel = sel.where(func.lower(s.c.outlet) == outlet.strip().lower())
    count_q = select(func.count()).select_from(sel.subquery())
    with engine.connect() as conn:
        total = int(conn.execute(count_q).scalar_one())
        rows = conn.execute(sel.order_by(desc(s.c.published), s.c.id).limit(limit).offset(offset)
                            ).mappings().all()
    return total, [{k: _jsonable(v) for k, v in r.items()} for r in rows]


def article_detail(engine: Engine, source_id: str) -> dict | None:
    """One article with its body, its mentions (evidence offsets into the body) and quotes."""
    s, em, qt = M.sources, M.event_mentions, M.quotes
    with engine.connect() as conn:
        row = conn.execute(select(s).where(s.c.id == source_id)).mappings().first()
        if row is None:
            return None
        mentions = conn.execute(
            select(em.c.id, em.c.event_id, em.c.event_key, em.c.event_date, em.c.sub_event_type,
                   em.c.event_type, em.c.location, em.c.fatalities, em.c.evidence)
            .where(em.c.source_id == source_id).order_by(em.c.id)).mappings().all()
        quotes = conn.execute(select(qt).where(qt.c.source_id == source_id).order_by(qt.c.start)
                              ).mappings().all()
    out = {k: _jsonable(v) for k, v in row.items() if k not in ("content_hash", "raw_hash",
                                                                 "input_name", "run_id")}
    out["mentions"] = [{k: _jsonable(v) for k, v in m.items()} for m in mentions]
    out["quotes"] = [dict(q) for q in quotes]
    return out


def list_quotes(engine: Engine, *, speaker: str | None, stance: str | None,
                source_id: str | None, q: str | None, limit: int,
                offset: int = 0) -> tuple[int, list[dict]]:
    """Quotes with their article's title and outlet; ``speaker`` and ``q`` match substrings."""
    qt, s = M.quotes, M.sources
    sel = (select(qt, s.c.title.label("source_title"), s.c.outlet.label("source_outlet"),
                  s.c.published.label("source_published"))
           .join(s, s.c.id == qt.c.source_id))
    if speaker and speaker.strip():
        sel = sel.where(func.lower(qt.c.speaker).like(_like(speaker), escape="\\"))
    if stance:
        sel = sel.where(qt.c.stance == stance)
    if source_id:
        sel = sel.where(qt.c.source_id == source_id)
    if q and q.strip():
        sel = sel.where(func.lower(qt.c.text).like(_like(q), escape="\\"))
    count_q = select(func.count()).select_from(sel.subquery())
    with engine.connect() as conn:
        total = int(conn.execute(count_q).scalar_one())
        rows = conn.execute(sel.order_by(desc(s.c.published), qt.c.source_id, qt.c.start)
                            .limit(limit).offset(offset)).mappings().all()
    return total, [{k: _jsonable(v) for k, v in r.items()} for r in rows]


def actor_counts(engine: Engine, flt: ApiFilter, *, limit: int, postgis: bool = False) -> list[dict]:
    """Actors of the filtered events: events as actor1, as actor2, fatalities, inter code."""
    base = filtered(flt, postgis=postgis, engine=engine).subquery()
    stats: dict[str, dict] = {}
    with engine.connect() as conn:
        for role, col, inter in (("as_actor1", "actor1", "inter1"), ("as_actor2", "actor2", "inter2")):
            rows = conn.execute(
                select(base.c[col], func.max(base.c[inter]), func.count(), func.sum(base.c.fatalities))
                .where(base.c[col].is_not(None)).group_by(base.c[col])).all()
            for name, inter_code, n, fat in rows:
                d = stats.setdefault(name, {"name": name, "inter": inter_code, "events": 0,
                                            "as_actor1": 0, "as_actor2": 0, "fatalities": 0})
                d[role] += int(n)
                d["events"] += int(n)
                d["fatalities"] += int(fat or 0)
                if d["inter"] is None:
                    d["inter"] = inter_code
    return sorted(stats.values(), key=lambda d: (-d["events"], d["name"]))[:limit]


def actor_network(engine: Engine, flt: ApiFilter, *, limit: int, postgis: bool = False) -> dict:
    """Who acts on whom: nodes (actors) and directed edges actor1 -> actor2 with counts."""
    base = filtered(flt, postgis=postgis, engine=engine).subquery()
    with engine.connect() as conn:
        rows = conn.execute(
            select(base.c.actor1, base.c.inter1, base.c.actor2, base.c.inter2, func.count(),
                   func.sum(base.c.fatalities))
            .where(base.c.actor1.is_not(None), base.c.actor2.is_not(None))
            .group_by(base.c.actor1, base.c.inter1, base.c.actor2, base.c.inter2)).all()
    edges: dict[tuple[str, str], dict] = {}
    nodes: dict[str, dict] = {}
    for a1, i1, a2, i2, n, fat in rows:
        ed = edges.setdefault((a1, a2), {"source": a1, "target": a2, "events": 0, "fatalities": 0})
        ed["events"] += int(n)
        ed["fatalities"] += int(fat or 0)
        for name, inter in ((a1, i1), (a2, i2)):
            nd = nodes.setdefault(name, {"id": name, "inter": inter, "events": 0})
            nd["events"] += int(n)
    top = sorted(edges.values(), key=lambda d: (-d["events"], d["source"], d["target"]))[:limit]
    keep = {x for ed in top for x in (ed["source"], ed["target"])}
    return {"nodes": sorted((nodes[k] for k in keep), key=lambda d: (-d["events"], d["id"])),
            "edges": top}


def _bucket(d: date, interval: str) -> date:
    if interval == "month":
        return d.replace(day=1)
    if interval == "week":
        return d - timedelta(days=d.weekday())
    return d


def timeline(engine: Engine, flt: ApiFilter, *, interval: str = "day",
             postgis: bool = False) -> list[dict]:
    """Events and fatalities per day, ISO week (Monday) or month, by event type."""
    base = filtered(flt, postgis=postgis, engine=engine).subquery()
    with engine.connect() as conn:
        rows = conn.execute(
            select(base.c.event_date, base.c.event_type, func.count(), func.sum(base.c.fatalities))
            .where(base.c.event_date.is_not(None))
            .group_by(base.c.event_date, base.c.event_type)).all()
    buckets: dict[date, dict] = {}
    for d, etype, n, fat in rows:
        if isinstance(d, str):  # pragma: no cover - drivers that return text dates
            d = date.fromisoformat(d)
        b = buckets.setdefault(_bucket(d, interval), {"events": 0, "fatalities": 0,
                                                     "by_type": defaultdict(int)})
        b["events"] += int(n)
        b["fatalities"] += int(fat or 0)
        b["by_type"][etype] += int(n)
    if buckets:  # empty buckets between the first and the last, so gaps show as gaps
        first, last = min(buckets), max(buckets)
        cur, steps = first, 0
        while cur < last and steps < _MAX_FILLED:
            cur = _next_bucket(cur, interval)
            steps += 1
            if cur not in buckets:
                buckets[cur] = {"events": 0, "fatalities": 0, "by_type": {}}
    return [{"date": k.isoformat(), "events": v["events"], "fatalities": v["fatalities"],
             "by_type": dict(v["by_type"])} for k, v in sorted(buckets.items())]


_MAX_FILLED = 5000  # at most this many empty buckets are added (≈ 14 years of days)


def _next_bucket(d: date, interval: str) -> date:
    if interval == "month":
        return date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return d + timedelta(days=7 if interval == "week" else 1)


def summary(engine: Engine, flt: ApiFilter, *, postgis: bool = False) -> dict:
    """Totals for the filtered events, plus database-wide article and quote counts."""
    base = filtered(flt, postgis=postgis, engine=engine).subquery()
    with engine.connect() as conn:
        n, fat, mentions, d0, d1 = conn.execute(
            select(func.count(), func.sum(base.c.fatalities), func.sum(base.c.n_mentions),
                   func.min(base.c.event_date), func.max(base.c.event_date))).one()
        by_type = conn.execute(select(base.c.event_type, func.count()).group_by(base.c.event_type)).all()
        by_country = conn.execute(select(func.coalesce(base.c.country, base.c.iso3), func.count())
                                  .group_by(func.coalesce(base.c.country, base.c.iso3))).all()
        n_sources = conn.execute(select(func.count()).select_from(M.sources)).scalar_one()
        stances = conn.execute(select(M.quotes.c.stance, func.count()).group_by(M.quotes.c.stance)).all()
    return {
        "events": int(n or 0), "fatalities": int(fat or 0), "mentions": int(mentions or 0),
        "first_date": _jsonable(d0), "last_date": _jsonable(d1),
        "by_event_type": dict(Counter({k or "unknown": int(v) for k, v in by_type}).most_common()),
        "by_country": dict(Counter({k or "unknown": int(v) for k, v in by_country}).most_common()),
        "articles": int(n_sources),
        "quotes_by_stance": {k or "none": int(v) for k, v in stances},
    }


def facets(engine: Engine) -> dict:
    """Values the dashboard's filter bar offers: countries, event types, sub-event types."""
    e = M.events
    with engine.connect() as conn:
        countries = [r[0] for r in conn.execute(
            select(e.c.country).where(e.c.country.is_not(None)).distinct().order_by(e.c.country))]
        types = [r[0] for r in conn.execute(select(e.c.event_type).distinct().order_by(e.c.event_type))]
    return {"countries": countries, "event_types": types}
