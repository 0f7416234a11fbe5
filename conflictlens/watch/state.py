"""Watch state in the conflictlens database, so a restart neither re-ingests nor re-alerts.

Three tables of their own (``watch_*``, created on first use, outside the
storage migrations):

``watch_feeds``   per feed: ETag, Last-Modified, last poll, last status/error
``watch_items``   every feed entry or file already handed to ingest (key: a
                  hash of the feed and the entry id / link, or the file path,
                  size and mtime), its source id, and whether alert rules have
                  looked at it yet (``evaluated``)
``watch_alerts``  every alert fired (key: rule + what it is about), with its payload
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from sqlalchemy import (JSON, Boolean, Column, DateTime, Integer, MetaData, String, Table, Text,
                        insert, select, update)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

metadata = MetaData()

watch_feeds = Table(
    "watch_feeds", metadata,
    Column("url", String(1024), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled", DateTime),
    Column("last_status", Integer),
    Column("last_error", Text),
    Column("n_items", Integer, nullable=False, default=0),
)

watch_items = Table(
    "watch_items", metadata,
    Column("key", String(64), primary_key=True),
    Column("target", String(1024), nullable=False),
    Column("name", Text),
    Column("source_id", String(255)),
    Column("status", String(16), nullable=False),  # stored | skipped | failed
    Column("evaluated", Boolean, nullable=False, default=False),
    Column("seen_at", DateTime, nullable=False),
)

watch_alerts = Table(
    "watch_alerts", metadata,
    Column("key", String(512), primary_key=True),
    Column("rule", String(255), nullable=False),
    Column("event_id", String(255)),
    Column("fired_at", DateTime, nullable=False),
    Column("payload", JSON),
)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def item_key(*parts: str) -> str:
    """A stable 64-hex key for a feed entry or file."""
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


class WatchState:
    """Reads and writes the ``watch_*`` tables of one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    # feeds
    def feed(self, url: str) -> dict:
        with self.engine.connect() as conn:
            row = conn.execute(select(watch_feeds).where(watch_feeds.c.url == url)).mappings().first()
        return dict(row) if row else {"url": url, "etag": None, "last_modified": None}

    def update_feed(self, url: str, **values) -> None:
        values["last_polled"] = _now()
        with self.engine.begin() as conn:
            res = conn.execute(update(watch_feeds).where(watch_feeds.c.url == url).values(**values))
            if res.rowcount == 0:
                conn.execute(insert(watch_feeds).values(url=url, n_items=0, **values))

    # items
    def seen(self, key: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(watch_items.c.key).where(watch_items.c.key == key)).first() is not None

    def mark(self, key: str, target: str, name: str, status: str, source_id: str | None) -> bool:
        """Record an item; False when it was already recorded (another run got there first)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(watch_items).values(key=key, target=target, name=name,
                                                        status=status, source_id=source_id,
                                                        evaluated=source_id is None,
                                                        seen_at=_now()))
        except IntegrityError:
            return False
        return True

    def unevaluated_sources(self) -> list[tuple[str, str]]:
        """(item key, source id) of stored items whose events the rules have not seen yet."""
        with self.engine.connect() as conn:
            q = select(watch_items.c.key, watch_items.c.source_id).where(
                watch_items.c.evaluated.is_(False), watch_items.c.source_id.is_not(None)
            ).order_by(watch_items.c.seen_at)
            return [(r[0], r[1]) for r in conn.execute(q)]

    def mark_evaluated(self, keys: list[str]) -> None:
        if not keys:
            return
        with self.engine.begin() as conn:
            conn.execute(update(watch_items).where(watch_items.c.key.in_(keys)).values(evaluated=True))

    # alerts
    def claim_alert(self, key: str, rule: str, event_id: str | None, payload: dict) -> bool:
        """Record an alert; False when an alert with this key already fired (it is not sent again)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(watch_alerts).values(key=key[:512], rule=rule, event_id=event_id,
                                                         fired_at=_now(), payload=payload))
        except IntegrityError:
            return False
        return True

    def alerts(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(watch_alerts).order_by(watch_alerts.c.fired_at)).mappings()]
