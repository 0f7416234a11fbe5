"""`conflictlens watch`: poll feeds and folders, ingest new items once, fire alert rules.

Modules: :mod:`.state` (what was seen/fired, in the database), :mod:`.fetch`
(polite conditional HTTP polling), :mod:`.sources` (feeds and folders as
items), :mod:`.rules` (alert rules), :mod:`.sinks` (stdout, JSONL, webhook),
:mod:`.runner` (the poll loop).  See docs/watch.md.
"""
from __future__ import annotations

from .rules import load_rules
from .runner import Watcher

__all__ = ["Watcher", "load_rules"]
