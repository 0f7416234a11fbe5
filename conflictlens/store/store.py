"""The :class:`Store`: write processed documents, merge mentions into events, read them back.

One article is one transaction (:meth:`Store.save_document`): its source row,
its per-article extractions, one mention per event, the dedup decision for
each mention and the re-merged events all commit together or not at all, so a
crash (even ``kill -9``) between two articles loses nothing and half an
article is never visible.  The idempotency key is the SHA-256 of
``source.body`` (``sources.content_hash``, unique): storing an article twice
is a no-op.

Dedup is incremental: a new mention is compared only with stored mentions of
the same country whose dates fall in its window (an indexed query), using
:func:`conflictlens.store.dedup.choose_cluster`; existing events are never
re-clustered, they only gain mentions.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Mapping

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..errors import ConflictLensError
from ..schema import Document, Failure
from . import models as M
from .db import ENV_DB, current_revision, head_revision, make_engine, redact, resolve_url, upgrade
from .dedup import DedupConfig, Mention, choose_cluster
from .merge import merge_mentions

# How far beyond the dedup window to look when fetching candidates by
# event_date (mentions with a month-wide window have a mid-month event_date).
_DATE_SLACK_DAYS = 31
# The mention columns dedup compares (no JSON columns: they are slow to load).
_DEDUP_COLUMNS = ("id", "source_id", "event_id", "event_date", "event_date_start", "event_date_end",
                  "event_type", "sub_event_type", "iso3", "country", "admin1", "location",
                  "latitude", "longitude", "geo_precision", "fatalities", "fatalities_known",
                  "actor1", "actor2", "evidence_text")


def content_hash(text: str) -> str:
    """The idempotency key of an article: SHA-256 of its clean body."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class SaveResult:
    """What :meth:`Store.save_document` did."""

    stored: bool  # False: the article was already there (same content hash)
    source_id: str
    event_ids: list[str] = field(default_factory=list)
    new_events: int = 0


class Store:
    """A conflictlens database (SQLite by default, any SQLAlchemy URL)."""

    def __init__(self, db: str | None = None, config: Mapping[str, Any] | None = None,
                 *, create: bool = True) -> None:
        # --db, then $CONFLICTLENS_DB, then [store] db in the config, then the default.
        cfg_db = ((config or {}).get("store") or {}).get("db")
        self.url = resolve_url(db or os.environ.get(ENV_DB) or cfg_db)
        if not create:
            u = make_url(self.url)
            if (u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:"
                    and not Path(u.database).exists()):
                raise ConflictLensError("E603", url=redact(self.url),
                                        detail="the database file does not exist")
        self.engine: Engine = make_engine(self.url)
        self.dedup = DedupConfig.from_config(config or {})
        self._check_schema(create)
        self.postgis = self._has_geom()

    # --- schema ---------------------------------------------------------------------

    def _check_schema(self, create: bool) -> None:
        try:
            cur = current_revision(self.engine)
            head = head_revision(self.engine)
        except SQLAlchemyError as exc:
            raise ConflictLensError("E601", url=redact(self.url),
                                    detail=str(exc).splitlines()[0]) from None
        if cur == head:
            return
        if not create:
            raise ConflictLensError("E603", url=redact(self.url),
                                    detail=f"at revision {cur}, code expects {head}")
        upgrade(self.engine)

    def _has_geom(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return False
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = 'events' AND column_name = 'geom'").first()
        return row is not None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- ingest runs and failures ---------------------------------------------------

    def start_run(self, inputs: list[str], workers: int = 1) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(insert(M.ingest_runs).values(
                started_at=_now(), inputs=list(inputs), workers=workers, n_seen=0,
                n_stored=0, n_skipped=0, n_failed=0, status="running"))
            return int(res.inserted_primary_key[0])

    def finish_run(self, run_id: int, *, seen: int, stored: int, skipped: int, failed: int,
                   status: str = "done") -> None:
        with self.engine.begin() as conn:
            conn.execute(update(M.ingest_runs).where(M.ingest_runs.c.id == run_id).values(
                finished_at=_now(), n_seen=seen, n_stored=stored, n_skipped=skipped,
                n_failed=failed, status=status))

    def record_failure(self, failure: Failure, run_id: int | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(M.failures).values(run_id=run_id, input=failure.input,
                                                   code=failure.code, message=failure.message,
                                                   at=_now()))

    def failures(self, run_id: int | None = None) -> list[dict]:
        q = select(M.failures).order_by(M.failures.c.id)
        if run_id is not None:
            q = q.where(M.failures.c.run_id == run_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    # --- idempotency ------------------------------------------------------------------

    def known_raw_hashes(self) -> set[str]:
        """Hashes of the raw inputs already stored (lets a re-run skip extraction)."""
        with self.engine.connect() as conn:
            return {r[0] for r in conn.execute(select(M.sources.c.raw_hash)
                                               .where(M.sources.c.raw_hash.is_not(None)))}

    def has_content(self, body: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(M.sources.c.id).where(
                M.sources.c.content_hash == content_hash(body))).first() is not None

    def counts(self) -> dict[str, int]:
        out = {}
        with self.engine.connect() as conn:
            for t in (M.sources, M.event_mentions, M.events, M.quotes, M.aggregates, M.actors,
                      M.places, M.failures, M.ingest_runs):
                out[t.name] = conn.execute(select(func.count()).select_from(t)).scalar_one()
        return out

    # --- writing ------------------------------------------------------------------------

    def save_document(self, doc: Document, *, raw_hash: str | None = None,
                      input_name: str | None = None, run_id: int | None = None) -> SaveResult:
        """Store one article, its mentions and their dedup, in one transaction."""
        chash = content_hash(doc.source.body)
        try:
            with self.engine.begin() as conn:
                existing = conn.execute(select(M.sources.c.id).where(
                    M.sources.c.content_hash == chash)).first()
                if existing is not None:
                    return SaveResult(False, existing[0])
                sid = self._free_source_id(conn, doc.source.id, chash)
                return self._insert_document(conn, doc, sid, chash, raw_hash, input_name, run_id)
        except IntegrityError:
            # A concurrent writer stored the same content first: that is a skip.
            with self.engine.connect() as conn:
                row = conn.execute(select(M.sources.c.id).where(
                    M.sources.c.content_hash == chash)).first()
            if row is not None:
                return SaveResult(False, row[0])
            raise ConflictLensError("E604", what=input_name or doc.source.id,
                                    detail="integrity error (duplicate id or broken reference)") from None
        except SQLAlchemyError as exc:
            raise ConflictLensError("E604", what=input_name or doc.source.id,
                                    detail=str(exc).splitlines()[0]) from None

    def _free_source_id(self, conn: Connection, sid: str, chash: str) -> str:
        """``sid``, or ``sid~HASH8`` when another article already uses that id."""
        taken = conn.execute(select(M.sources.c.id).where(M.sources.c.id == sid)).first()
        return sid if taken is None else f"{sid}~{chash[:8]}"

    def _insert_document(self, conn: Connection, doc: Document, sid: str, chash: str,
                         raw_hash: str | None, input_name: str | None,
                         run_id: int | None) -> SaveResult:
        now = _now()
        src = doc.source
        conn.execute(insert(M.sources).values(
            id=sid, content_hash=chash, raw_hash=raw_hash, input_name=input_name, url=src.url,
            title=src.title, outlet=src.outlet, authors=list(src.authors), published=src.published,
            dateline=src.dateline, language=src.language, body=src.body,
            n_events=len(doc.events), run_id=run_id, ingested_at=now))
        for table, items in ((M.aggregates, doc.aggregates), (M.quotes, doc.quotes),
                             (M.actors, doc.actors), (M.places, doc.places)):
            if items:
                # python mode: dates stay dates (the Date columns of SQLite refuse ISO strings)
                conn.execute(insert(table), [dict(i.model_dump(), source_id=sid) for i in items])
        result = SaveResult(True, sid)
        seen_keys: set[str] = set()
        for ev in doc.events:
            key = ev.id
            n = 1
            while key in seen_keys:
                n += 1
                key = f"{ev.id}.{n}"
            seen_keys.add(key)
            row = ev.model_dump()
            row["event_key"] = key
            del row["id"]
            row["evidence"] = [e.model_dump() for e in ev.evidence]
            row["evidence_text"] = " ".join(e.text for e in ev.evidence)
            mid = int(conn.execute(insert(M.event_mentions).values(
                source_id=sid, joined_at=now, **row)).inserted_primary_key[0])
            event_id, new = self._assign(conn, mid, sid, row, now)
            result.event_ids.append(event_id)
            result.new_events += int(new)
        return result

    # --- dedup and merge ------------------------------------------------------------------

    def _candidates(self, conn: Connection, m: Mention, exclude_source: str) -> dict[str, list[Mention]]:
        em = M.event_mentions
        cond = [em.c.event_id.is_not(None), em.c.source_id != exclude_source]
        if m.country is None:
            cond.append(and_(em.c.iso3.is_(None), em.c.country.is_(None)))
        else:
            cond.append(or_(em.c.iso3 == m.country,
                            and_(em.c.iso3.is_(None), func.upper(em.c.country) == m.country)))
        if m.date_start is None:
            cond.append(em.c.event_date.is_(None))
        else:
            w = timedelta(days=self.dedup.window_days)
            lo, hi = m.date_start - w, (m.date_end or m.date_start) + w
            slack = timedelta(days=_DATE_SLACK_DAYS)
            # an indexable range on event_date, then the exact window overlap
            cond.append(em.c.event_date.between(lo - slack, hi + slack))
            cond.append(func.coalesce(em.c.event_date_start, em.c.event_date) <= hi)
            cond.append(func.coalesce(em.c.event_date_end, em.c.event_date) >= lo)
        cols = [em.c[name] for name in _DEDUP_COLUMNS]
        ids = sorted({r[0] for r in conn.execute(select(em.c.event_id).where(*cond))})
        if not ids:
            return {}
        # every member of a candidate cluster, also those outside the window (the
        # weakest-link rule looks at all of them, as the in-memory Clusterer does)
        rows = conn.execute(select(*cols).where(em.c.event_id.in_(ids))).mappings().all()
        out: dict[str, list[Mention]] = defaultdict(list)
        for r in rows:
            out[r["event_id"]].append(Mention.from_fields(r["id"], r["source_id"], r))
        return out

    def _assign(self, conn: Connection, mid: int, sid: str, row: Mapping[str, Any],
                now: datetime) -> tuple[str, bool]:
        m = Mention.from_fields(mid, sid, row)
        choice = choose_cluster(m, self._candidates(conn, m, sid), self.dedup)
        detail = {"reason": choice.reason(), "candidates": choice.candidates,
                  "components": {k: round(v, 3) for k, v in (choice.components or {}).items()},
                  "threshold": self.dedup.threshold}
        if choice.cluster is None:
            seed = hashlib.sha1(f"{sid}|{row['event_key']}".encode()).hexdigest()[:12].upper()
            event_id = f"{(row.get('iso3') or 'XXX').upper()}-{seed}"
            merged = merge_mentions(self._mention_rows(conn, mention_id=mid))
            conn.execute(insert(M.events).values(id=event_id, created_at=now, updated_at=now,
                                                 **merged))
        conn.execute(update(M.event_mentions).where(M.event_mentions.c.id == mid).values(
            event_id=choice.cluster if choice.cluster is not None else event_id,
            match_score=None if choice.score is None else round(choice.score, 4),
            match_detail=detail, matched_mention_id=choice.matched))
        if choice.cluster is None:
            return event_id, True
        event_id = str(choice.cluster)
        merged = merge_mentions(self._mention_rows(conn, event_id=event_id))
        conn.execute(update(M.events).where(M.events.c.id == event_id).values(updated_at=now,
                                                                              **merged))
        return event_id, False

    def _mention_rows(self, conn: Connection, event_id: str | None = None,
                      mention_id: int | None = None) -> list[dict]:
        """Mentions of an event (or one mention), with their article's url/outlet/title/date."""
        em, s = M.event_mentions, M.sources
        q = (select(em, s.c.url, s.c.outlet, s.c.title, s.c.published)
             .join(s, s.c.id == em.c.source_id).order_by(em.c.id))
        q = q.where(em.c.id == mention_id) if mention_id is not None else q.where(
            em.c.event_id == event_id)
        rows = []
        for r in conn.execute(q).mappings():
            d = dict(r)
            d["mention_id"] = d["id"]
            rows.append(d)
        return rows

    # --- reading --------------------------------------------------------------------------

    def get_event(self, event_id: str) -> dict:
        with self.engine.connect() as conn:
            row = conn.execute(select(M.events).where(M.events.c.id == event_id)).mappings().first()
            if row is None:
                raise ConflictLensError("E605", event_id=event_id, url=redact(self.url))
            return dict(row)

    def mentions(self, event_id: str) -> list[dict]:
        with self.engine.connect() as conn:
            return self._mention_rows(conn, event_id)

    def iter_events(self, query) -> Iterable[dict]:
        with self.engine.connect() as conn:
            for r in conn.execute(query).mappings():
                yield dict(r)
