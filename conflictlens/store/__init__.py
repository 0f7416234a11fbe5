"""Storage: the database layer, cross-source dedup, merge policy, query and export.

``Store`` writes processed :class:`~conflictlens.schema.Document` objects (one
transaction per article) and merges the events different articles report into
one event each; ``export`` reads them back as table, CSV, JSONL, GeoJSON or
Parquet.  See docs/store.md.
"""
from __future__ import annotations

from .db import resolve_url
from .store import SaveResult, Store, content_hash

__all__ = ["Store", "SaveResult", "content_hash", "resolve_url"]
