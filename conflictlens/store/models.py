"""SQLAlchemy tables built from the typed schema (:mod:`conflictlens.schema`).

The event-shaped tables (``events`` and ``event_mentions``) take their columns
from :class:`conflictlens.schema.Event`, so a field added to the schema shows
up here (and in ``alembic revision --autogenerate``) without being retyped.
Per-article tables (``aggregates``, ``quotes``, ``actors``, ``places``) are
built from their schema models the same way.

Tables
------
``sources``         one row per stored article (idempotency key: ``content_hash``)
``event_mentions``  one row per event as one article reported it (its own
                    values and evidence) and the merged event it joined, with why
``events``          merged incidents (the dedup clusters), ACLED-style
``aggregates`` ``quotes`` ``actors`` ``places``   per-article extractions
``ingest_runs`` ``failures``                      bookkeeping of ingest batches
"""
from __future__ import annotations

import types
import typing
from datetime import date, datetime
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ..schema import Actor, Aggregate, Event, Place, Quote

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# Short, indexable text columns (everything else textual is Text).
_SHORT = {
    "iso3": 3, "disorder_type": 64, "event_type": 64, "sub_event_type": 64,
    "kind": 32, "stance": 16, "country": 128, "admin1": 128, "admin2": 128,
    "id": 255, "feature": 32,
}


def _sql_type(name: str, annotation: Any):
    """Map a pydantic field annotation to a SQLAlchemy column type."""
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _sql_type(name, args[0])
    if origin is Literal:
        values = get_args(annotation)
        if all(isinstance(v, bool) for v in values):
            return Boolean()
        if all(isinstance(v, int) for v in values):
            return Integer()
        return String(max(len(str(v)) for v in values) + 8)
    if origin in (list, dict, tuple) or annotation in (list, dict):
        return JSON()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return JSON()
    if annotation is bool:
        return Boolean()
    if annotation is int:
        return Integer()
    if annotation is float:
        return Float()
    if annotation is date:
        return Date()
    if annotation is datetime:
        return DateTime()
    if annotation is str:
        return String(_SHORT[name]) if name in _SHORT else Text()
    raise TypeError(f"no SQL type for field {name}: {annotation!r}")  # pragma: no cover


def columns_from_model(model: type[BaseModel], *, skip: tuple[str, ...] = (),
                       rename: dict[str, str] | None = None,
                       primary_key: tuple[str, ...] = ()) -> list[Column]:
    """Columns for every field of a pydantic model (nullable unless the field is required)."""
    rename = rename or {}
    cols = []
    for fname, info in model.model_fields.items():
        if fname in skip:
            continue
        if fname in primary_key:
            cols.append(Column(rename.get(fname, fname), _sql_type(fname, info.annotation),
                               primary_key=True))
            continue
        cols.append(Column(rename.get(fname, fname), _sql_type(fname, info.annotation),
                           nullable=not info.is_required()))
    return cols


# --- tables ----------------------------------------------------------------------------

ingest_runs = Table(
    "ingest_runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("inputs", JSON),
    Column("workers", Integer),
    Column("n_seen", Integer, nullable=False, default=0),
    Column("n_stored", Integer, nullable=False, default=0),
    Column("n_skipped", Integer, nullable=False, default=0),
    Column("n_failed", Integer, nullable=False, default=0),
    Column("status", String(16), nullable=False, default="running"),
)

sources = Table(
    "sources", metadata,
    Column("id", String(255), primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("raw_hash", String(64), index=True),
    Column("input_name", Text),
    Column("url", Text),
    Column("title", Text),
    Column("outlet", String(255)),
    Column("authors", JSON),
    Column("published", Date, index=True),
    Column("dateline", Text),
    Column("language", String(16)),
    Column("body", Text, nullable=False),
    Column("n_events", Integer, nullable=False, default=0),
    Column("run_id", Integer, ForeignKey("ingest_runs.id")),
    Column("ingested_at", DateTime, nullable=False),
)

events = Table(
    "events", metadata,
    *columns_from_model(Event, primary_key=("id",)),
    Column("year", Integer),
    Column("n_mentions", Integer, nullable=False, default=0),
    Column("n_sources", Integer, nullable=False, default=0),
    Column("sources", JSON, doc="[{id, url, outlet, title}] of the articles that reported it"),
    Column("source_ids", Text, doc="'; '-joined source ids (for CSV and datasette)"),
    Column("source_urls", Text),
    Column("outlets", Text, doc="'; '-joined outlets, ACLED's `source` column"),
    Column("merge_detail", JSON, doc="which mention supplied which field, and the policy used"),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_events_iso3_event_date", "iso3", "event_date"),
    Index("ix_events_event_date", "event_date"),
    Index("ix_events_lat_lon", "latitude", "longitude"),
)

event_mentions = Table(
    "event_mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(255), ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(255), ForeignKey("events.id"), index=True),
    *columns_from_model(Event, rename={"id": "event_key"}),
    Column("evidence_text", Text),
    Column("match_score", Float),
    Column("match_detail", JSON, doc="score components and the mention it matched best"),
    Column("matched_mention_id", Integer),
    Column("joined_at", DateTime, nullable=False),
    UniqueConstraint("source_id", "event_key"),
    Index("ix_event_mentions_iso3_event_date", "iso3", "event_date"),
)


def _per_source(name: str, model: type[BaseModel]) -> Table:
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("source_id", String(255), ForeignKey("sources.id", ondelete="CASCADE"),
               nullable=False, index=True),
        *columns_from_model(model),
    )


aggregates = _per_source("aggregates", Aggregate)
quotes = _per_source("quotes", Quote)
actors = _per_source("actors", Actor)
places = _per_source("places", Place)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("ingest_runs.id"), index=True),
    Column("input", Text, nullable=False),
    Column("code", String(8), nullable=False),
    Column("message", Text, nullable=False),
    Column("at", DateTime, nullable=False),
)

EVENT_FIELDS = [f for f in Event.model_fields]
